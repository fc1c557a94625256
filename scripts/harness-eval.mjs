import { chromium } from 'playwright-core';
// The browser tests' Chromium settings (WebGPU through SwiftShader), so scripts see what tests see.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/browser.ts';
const [base, expr] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const p = await b.newPage();
p.on('console', (m) => {
  if (m.type() !== 'log' || process.env.VERBOSE)
    console.log('console', m.type(), m.text().slice(0, 300));
});
p.on('pageerror', (e) => console.log('pageerror', e.message));
await p.goto(base + '/__harness/');
await p.waitForFunction(() => document.body.dataset.ready === 'true');
const t0 = Date.now();
const r = await p.evaluate(expr);
console.log(JSON.stringify(r, null, 1).slice(0, 6000));
console.log('took', Date.now() - t0, 'ms');
await b.close();
