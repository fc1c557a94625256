// `node bench/bytes.mjs`: the bytes a lesson moves over the wire, with the precompressed files
// (what scripts/preview.mjs and docs/hosting.md's hosts send) and without (Accept-Encoding:
// identity), before its widgets run (the page's load event) and after (every widget's agreement
// badge, or 90 s). The service worker is blocked so only the page's own requests count; what its
// install precaches is summed from dist/ (the .br of each precached file). Needs `npm run build`.
import { readFileSync, statSync, existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, assertChromiumInstalled } from '../tests/e2e/browser.ts';
import { serveStatic } from '../tests/e2e/server.ts';

const LESSONS = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const lessons = LESSONS.length ? LESSONS : ['convolution-and-feature-maps', 'train-a-cnn'];
assertChromiumInstalled();
const server = await serveStatic('dist');
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

async function measure(lesson, encoding) {
  const context = await browser.newContext({
    serviceWorkers: 'block',
    extraHTTPHeaders: encoding ? {} : { 'Accept-Encoding': 'identity' },
  });
  const page = await context.newPage();
  let bytes = 0;
  let loaded = null;
  page.on('requestfinished', async (req) => {
    const sizes = await req.sizes().catch(() => null);
    if (sizes) bytes += sizes.responseBodySize + sizes.responseHeadersSize;
  });
  await page.goto(`${server.url}/lessons/${lesson}/?backend=wasm`, { waitUntil: 'load' });
  await page.waitForTimeout(300);
  loaded = bytes;
  // Wake every widget, then wait until each that computes twice has agreed (or failed).
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  await page
    .waitForFunction(
      () =>
        [...document.querySelectorAll('[data-widget][data-state]')].every(
          (w) => !['loading', 'running'].includes(w.dataset.state),
        ) && !document.querySelector('[data-widget][data-state="done"]:not([data-agree])'),
      null,
      { timeout: 90_000 },
    )
    .catch(() => undefined);
  await page.waitForTimeout(1000);
  const after = bytes;
  await context.close();
  return { loaded, after };
}

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;
console.log(
  '| lesson | before widgets, raw | before, compressed | after widgets, raw | after, compressed |',
);
console.log('| --- | --: | --: | --: | --: |');
for (const lesson of lessons) {
  const raw = await measure(lesson, false);
  const enc = await measure(lesson, true);
  console.log(
    `| ${lesson} | ${kb(raw.loaded)} | ${kb(enc.loaded)} | ${mb(raw.after)} | ${mb(enc.after)} |`,
  );
}
// The precache the service worker downloads once, in the background.
const sw = readFileSync('dist/sw.js', 'utf8');
const urls = [...sw.matchAll(/url:"([^"]+)"/g)].map((m) => `dist/${m[1]}`);
const size = (f) => statSync(f).size;
const rawTotal = urls.reduce((s, f) => s + size(f), 0);
const brTotal = urls.reduce((s, f) => s + (existsSync(`${f}.br`) ? size(`${f}.br`) : size(f)), 0);
console.log(
  `service worker precache: ${urls.length} files, ${mb(rawTotal)} raw, ${mb(brTotal)} as br`,
);
await browser.close();
await server.close();
