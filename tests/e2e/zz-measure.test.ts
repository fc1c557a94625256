import { describe, it, inject } from 'vitest';
import { chromiumPerFile } from './widgets';
const baseURL = inject('baseURL');
const browser = chromiumPerFile();
const LAB = '[data-widget="training-lab"]';
describe('measure', () => {
  for (const q of ['', '&overfit.shift=2&overfit.rotate=10&overfit.scale=0.1'])
    it(`run ${q}`, async () => {
      const page = await browser().newPage();
      await page.goto(`${baseURL}/lessons/overfitting/?backend=wasm${q}`);
      await page.locator(LAB).scrollIntoViewIfNeeded();
      await page.locator(`${LAB} [data-backends] li[data-backend-status]`).first().waitFor();
      await page.locator(`${LAB} [data-action="start"]`).click();
      await page.locator(`${LAB}[data-state="done"], ${LAB}[data-state="error"]`).first().waitFor({ timeout: 400_000 });
      const row = await page.locator(`${LAB} [data-runs] tr`).first().locator('td').allTextContents();
      console.log('MEASURE', q, JSON.stringify(row), await page.locator(LAB).getAttribute('data-clean-train-accuracy'));
      await page.close();
    }, 420_000);
});
