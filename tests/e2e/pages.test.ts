/**
 * Every built page, in light and dark: no console error, no failed request, no request leaving
 * 127.0.0.1, no serious or critical axe violation. Plus math, search and the WebGPU adapter.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, watchPage } from './browser';

const require = createRequire(import.meta.url);
const axeSource: string = (require('axe-core') as { source: string }).source;

const DIST = process.env.CONVBOOK_DIST ?? 'dist';

function builtPages(dir = DIST): string[] {
  const pages: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() && !['_astro', 'pagefind', 'ort', 'data'].includes(entry.name)) {
      pages.push(...builtPages(full));
    } else if (entry.name.endsWith('.html')) {
      const path = '/' + relative(DIST, full).split(sep).join('/');
      pages.push(path.replace(/index\.html$/, ''));
    }
  }
  return pages.sort();
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Scrolls through the page so every widget wakes up (they compute when visible), then waits until
 * each one that computes has finished, so axe sees the page as a reader does.
 */
async function wakeWidgets(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 50));
    }
    window.scrollTo(0, 0);
  });
  await page
    .waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLElement>('[data-widget]')].every(
          (w) => w.dataset.state === undefined || !['loading', 'running'].includes(w.dataset.state),
        ),
      null,
      { timeout: 90_000 },
    )
    .catch(() => undefined);
}

let browser: Browser;
const baseURL = inject('baseURL');
const pages = builtPages();

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('every page', () => {
  it('includes the home page, the search page and at least one lesson', () => {
    expect(pages).toContain('/');
    expect(pages).toContain('/search/');
    expect(pages.some((p) => p.startsWith('/lessons/'))).toBe(true);
  });

  const views = [
    { colorScheme: 'light', width: 1280 },
    { colorScheme: 'dark', width: 1280 },
    { colorScheme: 'light', width: 360 },
  ] as const;
  for (const path of pages) {
    for (const { colorScheme, width } of views) {
      it(`${path} (${colorScheme}, ${width} px) loads cleanly and passes axe`, async () => {
        const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 } });
        const page = await context.newPage();
        const problems = watchPage(page);
        await page.goto(baseURL + path, { waitUntil: 'networkidle' });
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(colorScheme);
        await wakeWidgets(page);
        // Evaluated over CDP, which the page's CSP does not govern (an injected <script> it blocks).
        await page.evaluate(axeSource);
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }
          ).axe;
          return (await axe.run()).violations;
        });
        const bad = violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map(
            (v) =>
              `${v.impact} ${v.id}: ${v.help} — ${v.nodes
                .map((n) => n.target.join(' '))
                .slice(0, 3)
                .join(', ')}`,
          );
        expect(bad).toEqual([]);
        // TeX that KaTeX could not parse renders as red source text (lesson 12's loss once had
        // a tab where "\t" of \text was meant): in every theme, not only where axe sees the red.
        const texErrors = await page
          .locator('.katex-error')
          .evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? e.textContent));
        expect(texErrors).toEqual([]);
        expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
        await context.close();
      });
    }
  }
});

describe('Content-Security-Policy', () => {
  it('every page carries the strict policy, and an injected inline script is blocked', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('script-src')) violations.push(m.text());
    });
    await page.goto(`${baseURL}/lessons/pooling/`);
    const policy = await page
      .locator('meta[http-equiv="content-security-policy"]')
      .getAttribute('content');
    expect(policy).toContain("default-src 'self'");
    expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    // Notebook cells run in workers made from blob: URLs (docs/cells.md): blob: for workers only.
    expect(policy).toMatch(/worker-src 'self' blob:/);
    expect(policy).not.toMatch(/script-src[^;]*blob:/);
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 50));
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    expect(violations.length).toBeGreaterThan(0);
    await page.close();
  });
});

describe('lessons', () => {
  it('render KaTeX math at build time, with its fonts served locally', async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    const fontsServed: string[] = [];
    page.on('response', (res) => {
      if (/KaTeX_Main[^/]*\.woff2$/.test(res.url()) && res.ok()) fontsServed.push(res.url());
    });
    await page.goto(`${baseURL}/lessons/images-are-grids-of-numbers/`, {
      waitUntil: 'networkidle',
    });
    expect(await page.locator('.katex').count()).toBeGreaterThan(5);
    expect(await page.locator('.katex-display').count()).toBeGreaterThan(1);
    // No raw TeX left in the text, and KaTeX's own font is loaded (from 127.0.0.1).
    expect(await page.locator('article').innerText()).not.toContain('\\cdot');
    // The browser asks for a font only once it lays out text that uses it, and lesson prose off
    // screen is not laid out (content-visibility: auto): a CI run saw check() still false after
    // 15 s of polling. So bring the first formula on screen as a reader would, and ask for the
    // face too (`fonts.load` fetches it even before layout): the font must then load, from
    // here. The faces and their statuses are printed.
    const first = page.locator('.katex').first();
    await first.scrollIntoViewIfNeeded();
    expect(await first.evaluate((el) => getComputedStyle(el).fontFamily)).toContain('KaTeX_Main');
    const loaded = await page.evaluate(async () => {
      const faces = await document.fonts.load('16px KaTeX_Main', '7');
      return faces.map((f) => `${f.family} ${f.weight} ${f.style}: ${f.status}`);
    });
    console.log(`KaTeX_Main faces after load(): ${loaded.join(', ') || 'none'}`);
    await expect
      .poll(() => page.evaluate(() => document.fonts.check('16px KaTeX_Main')), { timeout: 15_000 })
      .toBe(true);
    expect(fontsServed.length).toBeGreaterThan(0);
    expect(fontsServed.every((url) => url.startsWith(baseURL))).toBe(true);
    expect(problems.foreignRequests).toEqual([]);
    await page.close();
  });

  it('toggle the theme, remember it, and record completion on the home page', async () => {
    const context = await browser.newContext({ colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(`${baseURL}/lessons/images-are-grids-of-numbers/`);
    await page.getByRole('button', { name: /Theme:/ }).click(); // system → light
    await page.getByRole('button', { name: /Theme:/ }).click(); // light → dark
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByRole('button', { name: 'Mark this lesson complete' }).click();
    await expect.poll(() => page.locator('[data-complete-status]').innerText()).toContain('Saved');
    await page.goto(`${baseURL}/`);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const item = page.locator('[data-lesson-item="images-are-grids-of-numbers"]');
    expect(await item.getAttribute('class')).toContain('is-done');
    expect(await page.locator('[data-progress-summary]').innerText()).toMatch(
      /^1 of \d+ lessons? complete$/,
    );
    await context.close();
  });

  it('are usable at 360 px: nothing wider than the screen but scrollable figures', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${baseURL}/lessons/images-are-grids-of-numbers/`, {
      waitUntil: 'networkidle',
    });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(360);
    await page.close();
  });
});

describe('search', () => {
  it('finds a word from the first lesson', async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseURL}/search/`);
    // A word only lesson 1 uses ("megapixel" is in lessons 1 and 2, and their order can change).
    await page.getByLabel('Words to find').fill('thumbnail');
    await page.getByRole('button', { name: 'Search' }).click();
    const first = page.locator('[data-search-results] li a').first();
    await first.waitFor();
    expect(await first.getAttribute('href')).toContain('/lessons/images-are-grids-of-numbers/');
    // Excerpts carry math as its text, never as TeX source.
    const excerpts = await page.locator('[data-search-results] li').allInnerTexts();
    expect(excerpts.join(' ')).not.toMatch(/\\[a-z]+/);
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  });

  it('says so when nothing matches', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseURL}/search/?q=%D0%96%D0%96%D0%96%D0%96`);
    await expect
      .poll(() => page.locator('[data-search-status]').innerText())
      .toContain('No lesson mentions');
    await page.close();
  });
});

describe('WebGPU', () => {
  it('has an adapter in this Chromium (SwiftShader in CI)', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseURL}/`);
    const info = await page.evaluate(async () => {
      const gpu = (
        navigator as Navigator & {
          gpu?: { requestAdapter(): Promise<{ info: Record<string, string> } | null> };
        }
      ).gpu;
      if (!gpu) return null;
      const adapter = await gpu.requestAdapter();
      if (!adapter) return null;
      const { vendor, architecture, device, description } = adapter.info;
      return { vendor, architecture, device, description };
    });
    console.log('WebGPU adapter:', JSON.stringify(info));
    expect(info).not.toBeNull();
    await page.close();
  });
});
