// Long main-thread tasks (> 50 ms) while a lesson starts: a fresh page (empty cache) loads the
// lesson, scrolls through it so every widget mounts when it comes on screen, as a reader's would,
// and waits until every widget has settled. Each lesson is loaded `loads` times; the table gives
// the median count and the median longest task. Part of `npm run bench:page`; alone (built site):
//   node bench/lesson-start.mjs [--loads=3] [--only=slug,slug] [--detail]
// `--detail` also prints each long task with the widgets on screen when it ended.
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const LESSON_SLUGS = readdirSync('content/lessons')
  .filter((f) => f.endsWith('.mdx'))
  .sort()
  .map((f) => f.replace(/^\d+-/, '').replace(/\.mdx$/, ''));

const SETTLED = ['done', 'idle', 'empty', 'ready', 'error'];

/**
 * Scrolls from the top to the bottom a screen at a time, as a reader does. The page's height is
 * read again at every step: prose off screen has `content-visibility: auto` and an estimated
 * height, so the page grows as it is laid out (read once, the scroll stopped above lesson 6's
 * last widget, which then never started).
 */
export async function scrollThrough(page, pauseMs) {
  for (
    let y = 0;
    y < (await page.evaluate(() => document.documentElement.scrollHeight));
    y += 600
  ) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(pauseMs);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One load of one lesson: every long task from the first script until the widgets settle. */
async function startOnce(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__starts = [];
    new PerformanceObserver((l) => {
      // The widgets on screen when the task ended: which one the task most likely belongs to.
      const near = [...document.querySelectorAll('[data-widget]')]
        .filter((w) => {
          const r = w.getBoundingClientRect();
          return r.bottom > 0 && r.top < innerHeight;
        })
        .map((w) => w.dataset.widget);
      for (const e of l.getEntries())
        window.__starts.push({ start: Math.round(e.startTime), ms: Math.round(e.duration), near });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url, { waitUntil: 'load' });
  await scrollThrough(page, 250);
  const settled = await page
    .waitForFunction(
      (settled) =>
        [...document.querySelectorAll('[data-widget]')].every((w) =>
          settled.includes(w.dataset.state ?? ''),
        ),
      SETTLED,
      { timeout: 60_000 },
    )
    .then(
      () => true,
      () => false,
    );
  await page.waitForTimeout(300);
  const tasks = await page.evaluate(() => window.__starts.filter((t) => t.ms > 50));
  await context.close();
  return { tasks, settled };
}

/** Per lesson: median count of long tasks, median longest (ms), and every load's figures. */
export async function lessonStarts(browser, baseURL, { slugs = LESSON_SLUGS, loads = 3 } = {}) {
  const rows = [];
  for (const slug of slugs) {
    const runs = [];
    for (let i = 0; i < loads; i++)
      runs.push(await startOnce(browser, `${baseURL}/lessons/${slug}/?backend=wasm`));
    const longest = runs.map((r) => Math.max(0, ...r.tasks.map((t) => t.ms)));
    rows.push({
      lesson: slug,
      count: median(runs.map((r) => r.tasks.length)),
      longestMs: median(longest),
      loads: runs.map((r, i) => `${r.tasks.length}/${longest[i]}`).join(' '),
      settled: runs.every((r) => r.settled),
      runs,
    });
  }
  return rows;
}

export function printLessonStarts(rows, detail = false) {
  console.log(
    'Lesson start: long tasks (> 50 ms) from load until every widget settled, scrolling through; median of the loads (each load: count/longest ms)',
  );
  console.table(rows.map(({ runs: _, ...r }) => r));
  if (detail)
    for (const r of rows)
      for (const [i, run] of r.runs.entries())
        for (const t of run.tasks)
          console.log(`${r.lesson} #${i}: ${t.ms} ms at ${t.start} ms near ${t.near.join(', ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { chromium } = await import('playwright-core');
  const { CHROMIUM_ARGS, CHROMIUM_PATH, assertChromiumInstalled } =
    await import('../tests/e2e/browser.ts');
  const { serveStatic } = await import('../tests/e2e/server.ts');
  assertChromiumInstalled();
  const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const server = await serveStatic('dist');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const rows = await lessonStarts(browser, server.url, {
    slugs: arg('only')?.split(',') ?? LESSON_SLUGS,
    loads: Number(arg('loads') ?? 3),
  });
  printLessonStarts(rows, process.argv.includes('--detail'));
  await browser.close();
  await server.close();
}
