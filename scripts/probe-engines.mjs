import { chromium } from 'playwright-core';
// The browser tests' Chromium settings (WebGPU through SwiftShader), so scripts see what tests see.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/browser.ts';
const base = process.argv[2];
const b = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const p = await b.newPage();
p.on('console', (m) => console.log('console', m.type(), m.text()));
p.on('pageerror', (e) => console.log('pageerror', e.message));
p.on('requestfailed', (r) => console.log('failed', r.url()));
p.on('request', (r) => {
  if (/ort|wasm|worker/.test(r.url())) console.log('req', r.url());
});
await p.goto(base + '/engines/' + (process.argv[3] ?? ''));
await p
  .waitForFunction(
    () =>
      ['done', 'error'].includes(
        document.querySelector('[data-widget="engine-check"]')?.dataset.state,
      ),
    null,
    { timeout: 120000 },
  )
  .catch(() => console.log('timeout'));
console.log(await p.locator('[data-widget="engine-check"]').innerText());
console.log(
  JSON.stringify(
    await p.evaluate(() => ({
      ...document.querySelector('[data-widget="engine-check"]').dataset,
      isolated: crossOriginIsolated,
    })),
  ),
);
await b.close();
