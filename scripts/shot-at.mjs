import { chromium } from 'playwright-core';
// The browser tests' Chromium settings (WebGPU through SwiftShader), so scripts see what tests see.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/browser.ts';
const [url, y, out, width = '360', scheme = 'light'] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const p = await b.newPage({ viewport: { width: +width, height: 800 }, colorScheme: scheme });
await p.goto(url, { waitUntil: 'networkidle' });
await p.evaluate((y) => window.scrollTo(0, +y), y);
await p.waitForTimeout(200);
await p.screenshot({ path: out });
await b.close();
