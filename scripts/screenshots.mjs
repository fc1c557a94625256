// Takes screenshots of pages of a running site for a human look (not committed, not a test).
// Usage: node scripts/screenshots.mjs http://127.0.0.1:4321 /path/ [/other/ ...]  → /tmp/shots/
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
// The browser tests' Chromium settings (WebGPU through SwiftShader), so scripts see what tests see.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/browser.ts';

const [base, ...paths] = process.argv.slice(2);
const out = process.env.SHOTS_DIR ?? '/tmp/shots';
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
for (const path of paths) {
  for (const width of [1280, 360]) {
    for (const colorScheme of ['light', 'dark']) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
      await page.goto(base + path, { waitUntil: 'networkidle' });
      await page.waitForTimeout(Number(process.env.SHOTS_WAIT ?? 300));
      const name = `${path.replace(/\W+/g, '_') || 'home'}-${width}-${colorScheme}.png`;
      await page.screenshot({ path: `${out}/${name}`, fullPage: process.env.SHOTS_FULL !== '0' });
      console.log(`${out}/${name}`);
      await page.close();
    }
  }
}
await browser.close();
