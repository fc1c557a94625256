// `npm run bench:page` (and the second half of `npm run bench`): what a reader's browser goes
// through on the built site — the bytes each lesson moves before and after its widgets run (with
// the precompressed files and without), what the service worker precaches, the time to the first
// agreement badge at 20 Mbps, and long main-thread tasks (> 50 ms) while each lesson starts
// (bench/lesson-start.mjs), while the lab trains and while saliency recomputes. Printed as tables
// and written to bench/results/page.json.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, assertChromiumInstalled } from '../tests/e2e/browser.ts';
import { serveStatic } from '../tests/e2e/server.ts';
import { LESSON_SLUGS, lessonStarts, printLessonStarts, scrollThrough } from './lesson-start.mjs';

assertChromiumInstalled();
if (!existsSync('dist/index.html')) throw new Error('bench:page needs a built site: npm run build');
const quick = process.argv.includes('--quick');
const LESSONS = LESSON_SLUGS;
const SETTLED = ['done', 'idle', 'empty', 'ready', 'error'];
const server = await serveStatic('dist');
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

/**
 * A fresh context (empty cache) whose page counts the bytes it receives over the wire. For byte
 * counts the service worker is blocked (its precache is summed apart), and `identity` asks for
 * the files as they are, without the precompressed copies.
 */
async function countingPage({ mbps, noServiceWorker = false, identity = false } = {}) {
  const context = await browser.newContext({
    ...(noServiceWorker ? { serviceWorkers: 'block' } : {}),
    ...(identity ? { extraHTTPHeaders: { 'Accept-Encoding': 'identity' } } : {}),
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (mbps)
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: (mbps * 1e6) / 8,
      uploadThroughput: (mbps * 1e6) / 8,
    });
  // Bytes over the wire, workers' fetches included (ORT's wasm is fetched by a worker, which a
  // page-level CDP session does not see; Playwright's context events do).
  const bytes = { total: 0 };
  context.on('requestfinished', (request) => {
    void request.sizes().then(
      (s) => (bytes.total += s.responseBodySize + s.responseHeadersSize),
      () => {},
    );
  });
  // Long tasks, kept from the first script on (init scripts run before the page's own).
  await page.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__long.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  return { context, page, bytes };
}

const widgetsSettled = (page, timeout) =>
  page
    .waitForFunction(
      (settled) =>
        [...document.querySelectorAll('[data-widget]')].every((w) =>
          settled.includes(w.dataset.state ?? ''),
        ),
      SETTLED,
      { timeout },
    )
    .then(
      () => true,
      () => false,
    );

// 1. Bytes per lesson: at the load event (nothing scrolled into view), then after scrolling the
// whole page so every widget starts, and waiting for them to settle.
async function lessonBytes(slug, identity) {
  const { context, page, bytes } = await countingPage({ noServiceWorker: true, identity });
  await page.goto(`${server.url}/lessons/${slug}/?backend=wasm`, { waitUntil: 'load' });
  await page.waitForTimeout(500);
  const before = bytes.total;
  await scrollThrough(page, 150);
  const settled = await widgetsSettled(page, 60_000);
  await page.waitForLoadState('networkidle');
  await context.close();
  return { before, after: bytes.total, settled };
}
const bytesRows = [];
for (const slug of quick ? LESSONS.slice(0, 2) : LESSONS) {
  const raw = await lessonBytes(slug, true);
  const br = await lessonBytes(slug, false);
  bytesRows.push({
    lesson: slug,
    beforeKB: br.before / 1024,
    afterKB: br.after / 1024,
    rawBeforeKB: raw.before / 1024,
    rawAfterKB: raw.after / 1024,
    settled: raw.settled && br.settled,
  });
}
// What the service worker downloads once, in the background: the files sw.js lists, as .br.
const precacheFiles = [...readFileSync('dist/sw.js', 'utf8').matchAll(/url:"([^"]+)"/g)].map(
  (m) => `dist/${m[1]}`,
);
const sizeOf = (f) => statSync(f).size;
const precache = {
  files: precacheFiles.length,
  rawMB: precacheFiles.reduce((s, f) => s + sizeOf(f), 0) / 2 ** 20,
  brMB:
    precacheFiles.reduce((s, f) => s + (existsSync(`${f}.br`) ? sizeOf(`${f}.br`) : sizeOf(f)), 0) /
    2 ** 20,
};

// 2. Time to the first agreement badge of lessons 2 and 7 at 20 Mbps (cold cache).
const badgeRows = [];
for (const [slug, widget] of [
  ['convolution-and-feature-maps', 'conv-stepper'],
  ['dense-and-softmax', 'softmax'],
]) {
  const { context, page } = await countingPage({ mbps: 20 });
  const t0 = Date.now();
  await page.goto(`${server.url}/lessons/${slug}/?backend=wasm`, { waitUntil: 'commit' });
  const root = page.locator(`[data-widget="${widget}"]`).first();
  await root.waitFor({ state: 'attached' });
  await root.scrollIntoViewIfNeeded();
  const ok = await page
    .locator(`[data-widget="${widget}"][data-agree]`)
    .first()
    .waitFor({ timeout: 60_000 })
    .then(
      () => true,
      () => false,
    );
  badgeRows.push({ lesson: slug, widget, seconds: ok ? (Date.now() - t0) / 1000 : NaN });
  await context.close();
}

// 3. Long tasks while each lesson starts (three loads each; one in --quick).
const starts = await lessonStarts(browser, server.url, {
  slugs: quick ? LESSONS.slice(0, 2) : LESSONS,
  loads: quick ? 1 : 3,
});

// 4. Long tasks while the lab trains (20 s) and while saliency steps through ten digits.
const longTasks = [];
const summarise = (what, tasks) => {
  const over = tasks.filter((t) => t.ms > 50);
  longTasks.push({
    while: what,
    count: over.length,
    longestMs: over.length ? Math.max(...over.map((t) => t.ms)) : 0,
    blockedMs: over.reduce((s, t) => s + t.ms - 50, 0),
  });
};
{
  const { context, page } = await countingPage();
  await page.goto(`${server.url}/lessons/train-a-cnn/?backend=wasm`);
  const lab = page.locator('[data-widget="training-lab"]');
  await lab.scrollIntoViewIfNeeded();
  await lab.locator('[data-action="start"]:not([disabled])').waitFor({ timeout: 60_000 });
  await page.waitForFunction(
    () => document.querySelector('[data-widget="training-lab"]')?.dataset.backend,
  );
  await lab.locator('[data-action="start"]').click();
  await page.waitForFunction(
    () => document.querySelector('[data-widget="training-lab"]')?.dataset.state === 'training',
  );
  const t0 = await page.evaluate(() => performance.now());
  await page.waitForTimeout(quick ? 5_000 : 20_000);
  const tasks = await page.evaluate((t) => window.__long.filter((e) => e.start >= t), t0);
  summarise(`lab training, ${quick ? 5 : 20} s`, tasks);
  await context.close();
}
{
  const { context, page } = await countingPage();
  await page.goto(`${server.url}/lessons/what-did-it-learn/?backend=wasm`);
  const sal = page.locator('[data-widget="saliency"]');
  await sal.scrollIntoViewIfNeeded();
  await sal.locator('[data-train]:not([hidden])').waitFor({ timeout: 60_000 });
  await sal.locator('[data-train]').click();
  await page.locator('[data-widget="saliency"][data-agree]').waitFor({ timeout: 300_000 });
  const t0 = await page.evaluate(() => performance.now());
  const digit = sal.locator('input[name="digit"]');
  for (let i = 0; i < 10; i++) {
    await digit.press('ArrowDown');
    await page.locator('[data-widget="saliency"][data-state="done"]').waitFor({ timeout: 60_000 });
  }
  const tasks = await page.evaluate((t) => window.__long.filter((e) => e.start >= t), t0);
  summarise('saliency, 10 digit steps', tasks);
  await context.close();
}

await browser.close();
await server.close();

console.log(
  '\nBytes a lesson moves (cold cache, service worker blocked; "before" = at load, "after" = every widget run; raw = no precompressed files)',
);
console.table(
  bytesRows.map((r) => ({
    lesson: r.lesson,
    'before (KB)': Math.round(r.beforeKB),
    'after (KB)': Math.round(r.afterKB),
    'raw before (KB)': Math.round(r.rawBeforeKB),
    'raw after (KB)': Math.round(r.rawAfterKB),
    settled: r.settled,
  })),
);
console.log(
  `Service worker precache: ${precache.files} files, ${precache.rawMB.toFixed(2)} MB raw, ${precache.brMB.toFixed(2)} MB as br`,
);
console.log('Time to the first agreement badge at 20 Mbps (aim ≤ 3 s)');
console.table(badgeRows);
printLessonStarts(starts);
console.log('Long main-thread tasks (> 50 ms; aim: none)');
console.table(
  longTasks.map((t) => ({
    ...t,
    longestMs: Math.round(t.longestMs),
    blockedMs: Math.round(t.blockedMs),
  })),
);
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/page.json',
  JSON.stringify(
    {
      date: new Date().toISOString(),
      bytesRows,
      precache,
      badgeRows,
      lessonStarts: starts.map(({ runs: _, ...r }) => r),
      longTasks,
    },
    null,
    2,
  ),
);
