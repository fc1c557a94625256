// Screenshot of one widget after it has computed: node scripts/shot-widget.mjs URL SELECTOR OUT [width] [scheme]
import { chromium } from 'playwright-core';
// The browser tests' Chromium settings (WebGPU through SwiftShader), so scripts see what tests see.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/browser.ts';
const [url, selector, out, width = '1280', scheme = 'light'] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const p = await b.newPage({ viewport: { width: Number(width), height: 900 }, colorScheme: scheme });
p.on('pageerror', (e) => console.log('pageerror', e.message));
await p.goto(url);
const el = p.locator(selector).first();
await el.scrollIntoViewIfNeeded();
await p
  .waitForFunction(
    (s) =>
      ['done', 'error', 'idle'].includes(document.querySelector(s)?.dataset.state) ||
      document.querySelector(s)?.dataset.agree !== undefined,
    selector,
    { timeout: 60000 },
  )
  .catch(() => console.log('not done'));
await p.waitForTimeout(800);
await el.screenshot({ path: out });
console.log(out, await el.getAttribute('data-agree'), await el.getAttribute('data-backend'));
await b.close();
