/**
 * Starting a lesson keeps the page responsive: scrolling through lessons 1, 4 and 8 from the top,
 * as a reader would, mounts shift-match, the photo figures and channels, and backprop, and no
 * main-thread task while they start (compute, building their grids, drawing them, ORT's check)
 * runs past LIMIT_MS. The page's own first layout is not counted (the mark is after the load).
 * Wall-clock tasks: on a loaded two-core machine a 40 ms task can take twice as long, so the
 * limit has margin over the 50 ms aim; before their work moved to workers and animation frames
 * these starts took 90–180 ms on an idle machine. One load can still catch a stray 88 ms task
 * (CI, stop 20), so the test takes the median of three fresh loads, as the bench does: a start
 * that is slow every time fails, one noisy load does not. (It stops after two loads that agree.)
 * `npm run bench:page` reports every lesson.
 */
import { describe, expect, inject, it } from 'vitest';
import { watchLongTasks, watchPage } from './browser';
import { chromiumPerFile, W } from './widgets';

const LIMIT_MS = 85;
const SETTLED = ['done', 'idle', 'empty', 'ready', 'error'];
const browser = chromiumPerFile();

describe('lesson start: no long main-thread task', () => {
  for (const [lesson, widget] of [
    ['images-are-grids-of-numbers', 'shift-match'],
    ['channels-and-filters', 'channels'],
    ['backpropagation', 'backprop'],
  ] as const) {
    /** One fresh load: scroll to `widget` as a reader does; its tasks once every widget settled. */
    const load = async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      const long = watchLongTasks(page);
      await page.goto(`${inject('baseURL')}/lessons/${lesson}/?backend=wasm`, {
        waitUntil: 'load',
      });
      await page.waitForTimeout(500);
      const mark = await long.start();
      // Down the page a screen at a time until the widget is on screen, as a reader scrolls.
      const top = await page
        .locator(W(widget))
        .evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
      for (let y = 0; y < top; y += 600) {
        await page.evaluate((to) => window.scrollTo(0, to), y);
        await page.waitForTimeout(250);
      }
      await page.locator(W(widget)).evaluate((el) => el.scrollIntoView({ block: 'center' }));
      // Every widget that has started has settled, the one scrolled to with ORT's check too.
      await page.waitForFunction(
        ([settled, name]) =>
          [...document.querySelectorAll<HTMLElement>('[data-widget]')]
            .filter((w) => w.dataset.state !== undefined)
            .every((w) => settled.includes(w.dataset.state!)) &&
          document.querySelector(`[data-widget="${name}"][data-agree]`) !== null,
        [SETTLED, widget] as const,
        { timeout: 120_000 },
      );
      await page.waitForTimeout(500);
      const tasks = await long.since(mark);
      expect(problems.consoleErrors).toEqual([]);
      await page.close();
      return tasks;
    };
    it(`${lesson}: scrolling to ${widget} and starting it, every task < ${LIMIT_MS} ms (median of 3 loads)`, async () => {
      const loads = [await load(), await load()];
      const under = (t: { longestMs: number }) => t.longestMs < LIMIT_MS;
      if (under(loads[0]!) !== under(loads[1]!)) loads.push(await load());
      const longest = loads.map((t) => t.longestMs).sort((a, b) => a - b);
      const median = longest[Math.floor((longest.length - 1) / 2)]!;
      expect(median, JSON.stringify(loads)).toBeLessThan(LIMIT_MS);
    });
  }
});
