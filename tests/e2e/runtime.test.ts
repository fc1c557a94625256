/**
 * The runtime in a real browser: ORT is not downloaded until a widget is on screen, and the
 * engine self-check agrees with the reference engine on the WebGPU and the wasm EP.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, watchPage } from './browser';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const isOrtRequest = (url: string) => /\/ort[.-]|ort-wasm|engine\.worker/.test(url);

function recordOrt(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => {
    if (isOrtRequest(r.url())) urls.push(r.url());
  });
  return urls;
}

async function waitDone(page: Page, selector: string) {
  await page.waitForFunction(
    (sel) =>
      ['done', 'error'].includes(document.querySelector<HTMLElement>(sel)?.dataset.state ?? ''),
    selector,
    { timeout: 150_000 },
  );
}

describe('lazy ORT', () => {
  it('pages without widgets never request ORT', async () => {
    const page = await browser.newPage();
    const ort = recordOrt(page);
    // The home page has a widget now (the whole network at a glance); these pages have none.
    for (const path of ['/search/', '/no-such-page/']) {
      await page.goto(baseURL + path, { waitUntil: 'networkidle' });
    }
    expect(ort).toEqual([]);
    await page.close();
  });

  it('a widget below the fold requests ORT only once scrolled into view', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 200 } });
    const ort = recordOrt(page);
    await page.goto(`${baseURL}/engines/?backend=wasm`, { waitUntil: 'networkidle' });
    await page.waitForTimeout(500);
    expect(ort).toEqual([]);
    await page.locator('[data-widget="engine-check"]').scrollIntoViewIfNeeded();
    await waitDone(page, '[data-widget="engine-check"]');
    expect(ort.some((u) => u.includes('engine.worker'))).toBe(true);
    // The wasm backend loads the wasm-only build, not the 28 MB JSEP one.
    expect(ort.some((u) => /ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(u))).toBe(true);
    await page.close();
  });
});

describe('Save-Data', () => {
  it("waits for the reader before downloading ORT, on every widget, and once asked doesn't ask again", async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      Object.defineProperty(navigator, 'connection', {
        configurable: true,
        get: () => ({ saveData: true, effectiveType: '4g' }),
      });
    });
    const page = await context.newPage();
    const problems = watchPage(page);
    const ort = recordOrt(page);
    await page.goto(`${baseURL}/lessons/relu/?backend=wasm`);
    await page.locator('[data-widget="activations"]').first().scrollIntoViewIfNeeded();
    const root = page.locator('[data-widget][data-ort="waiting"]').first();
    await root.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1500);
    expect(ort).toEqual([]);
    const badge = root.locator('[data-badge]');
    await expect.poll(() => badge.textContent()).toMatch(/waits because Save-Data is on/);
    await badge.getByRole('button', { name: 'Check on onnxruntime-web' }).click();
    await page.waitForFunction(
      () =>
        !document.querySelector('[data-ort="waiting"]') &&
        [...document.querySelectorAll<HTMLElement>('[data-widget][data-agree]')].some(
          (w) => w.dataset.agree === 'true',
        ),
      undefined,
      { timeout: 120_000 },
    );
    expect(ort.length).toBeGreaterThan(0);
    // The next page of the same visit checks without asking.
    await page.goto(`${baseURL}/lessons/pooling/?backend=wasm`);
    await page.locator('[data-widget="pooling"]').first().scrollIntoViewIfNeeded();
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('[data-widget][data-agree="true"]') !== null,
      undefined,
      { timeout: 120_000 },
    );
    expect(await page.locator('[data-ort="waiting"]').count()).toBe(0);
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await context.close();
  });
});

describe('engine self-check', () => {
  for (const backend of ['wasm', 'webgpu'] as const) {
    it(`agrees with the reference on every backend (preferred: ${backend})`, async () => {
      const page = await browser.newPage();
      const problems = watchPage(page);
      const ort = recordOrt(page);
      await page.goto(`${baseURL}/engines/?backend=${backend}`);
      const root = page.locator('[data-widget="engine-check"]');
      await waitDone(page, '[data-widget="engine-check"]');
      expect(await root.getAttribute('data-backend')).toBe(backend);
      expect(await root.getAttribute('data-agree')).toBe('true');
      expect(Number(await root.getAttribute('data-max-abs-error'))).toBeLessThan(1e-4);
      // Only the chosen backend's build is downloaded; the other row waits for the reader.
      const other = backend === 'wasm' ? 'webgpu' : 'wasm';
      const otherRow = root.locator(`tr[data-backend-row="${other}"]`);
      expect(await otherRow.getAttribute('data-status')).toBe('waiting');
      if (backend === 'wasm') expect(ort.some((u) => /jsep.*\.wasm$/.test(u))).toBe(false);
      await otherRow.getByRole('button', { name: /^Check on / }).click();
      await page.locator(`tr[data-backend-row="${other}"][data-status="done"]`).waitFor({
        timeout: 120_000,
      });
      await waitDone(page, '[data-widget="engine-check"]');
      expect(await root.getAttribute('data-backend')).toBe(backend);
      expect(await root.getAttribute('data-agree')).toBe('true');
      for (const b of ['wasm', 'webgpu']) {
        expect(await root.locator(`tr[data-backend-row="${b}"]`).getAttribute('data-status')).toBe(
          'done',
        );
      }
      // The software adapter is offered but explained, not the default.
      expect(await root.getAttribute('data-default-backend')).toBe(backend);
      expect(await root.locator('[data-backend-status="webgpu"]').innerText()).toMatch(/software/);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });
  }
});

describe('backend picker', () => {
  it('waits for the reader (ready), saves a choice (done) and restores it on the next visit', async () => {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${baseURL}/engines/`);
    const picker = page.locator('[data-widget="backend-picker"]');
    await page.locator('[data-widget="backend-picker"][data-state="ready"]').waitFor();
    await picker.locator('input[value="reference"]').check();
    await page.locator('[data-widget="backend-picker"][data-state="done"]').waitFor();
    expect(await picker.locator('[data-picker-status]').innerText()).toContain('Saved');
    expect(await page.evaluate(() => localStorage.getItem('convbook:backend'))).toBe('reference');
    await page.reload();
    await page.locator('[data-widget="backend-picker"][data-state="ready"]').waitFor();
    expect(await picker.locator('input[value="reference"]').isChecked()).toBe(true);
    await picker.locator('input[value="auto"]').check();
    await page.locator('[data-widget="backend-picker"][data-state="done"]').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('convbook:backend'))).toBeNull();
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  });
});
