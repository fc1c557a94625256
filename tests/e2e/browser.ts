/**
 * Launches Debian's Chromium through playwright-core with WebGPU on (SwiftShader, on the CPU).
 * Never downloads a browser: if Chromium is missing the tests fail with a message saying how to
 * install it.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-features=Vulkan',
];

export function assertChromiumInstalled(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Browser tests need Chromium at ${CHROMIUM_PATH} and it is not there. ` +
        'Install it with `sudo apt-get install -y chromium` (or set CHROMIUM_PATH). ' +
        'Browser tests are never skipped.',
    );
  }
}

export async function launchChromium(): Promise<Browser> {
  assertChromiumInstalled();
  try {
    return await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  } catch (error) {
    throw new Error(`Chromium at ${CHROMIUM_PATH} could not start: ${String(error)}`);
  }
}

export interface PageProblems {
  consoleErrors: string[];
  failedRequests: string[];
  foreignRequests: string[];
}

/**
 * Records everything that should never happen on a ConvBook page: console errors, uncaught
 * exceptions, Content-Security-Policy violations (reported as console errors), failed requests
 * and requests to any host but 127.0.0.1.
 */
export function watchPage(page: Page): PageProblems {
  const problems: PageProblems = { consoleErrors: [], failedRequests: [], foreignRequests: [] };
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`),
    );
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error')
      problems.consoleErrors.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.consoleErrors.push(`uncaught: ${err.message}`));
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText ?? 'failed';
    // A request the browser itself cancelled is not a missing or broken asset (those fail with
    // an HTTP status or a network error, both counted). Seen once in CI: a fetch of mnist.bin
    // cancelled while the lab still loaded its data and trained. Logged, not counted.
    if (error === 'net::ERR_ABORTED') console.log(`request cancelled by the browser: ${req.url()}`);
    else problems.failedRequests.push(`${req.url()}: ${error}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.failedRequests.push(`${res.url()}: HTTP ${res.status()}`);
  });
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.hostname !== '127.0.0.1') problems.foreignRequests.push(req.url());
  });
  return problems;
}

export interface LongTasks {
  /** Tasks over 50 ms; the longest; the time they blocked past 50 ms each; the time watched. */
  readonly count: number;
  readonly longestMs: number;
  readonly blockedMs: number;
  readonly watchedMs: number;
}

/**
 * Long main-thread tasks (the Long Tasks API) from the page's first script on: `start()` marks
 * a moment, `since(mark)` sums what came after it. Wall-clock durations: on a loaded machine a
 * task is longer than the work in it (the thread waits for a core), so tests compare with a
 * margin, and `npm run bench:page` reports the figures.
 */
export function watchLongTasks(page: Page): {
  start(): Promise<number>;
  since(mark: number): Promise<LongTasks>;
} {
  void page.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; ms: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  return {
    start: () => page.evaluate(() => performance.now()),
    since: (mark) =>
      page.evaluate((t0) => {
        const all = (window as unknown as { __longTasks: { start: number; ms: number }[] })
          .__longTasks;
        const over = all.filter((e) => e.start >= t0 && e.ms > 50);
        return {
          count: over.length,
          longestMs: Math.round(Math.max(0, ...over.map((e) => e.ms))),
          blockedMs: Math.round(over.reduce((s, e) => s + e.ms - 50, 0)),
          watchedMs: Math.round(performance.now() - t0),
        };
      }, mark),
  };
}
