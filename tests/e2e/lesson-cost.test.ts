/**
 * Lesson 13 in a real browser, on ORT's wasm and WebGPU backends: the cost table renders with the
 * hand-checked counts, ORT's counts from the network's ONNX graph agree exactly, editing a kernel
 * size updates the parameters, bad input ("abc", 0) gives a message and keeps the last table, and
 * the timings (per layer on both engines, images/s, the two comparisons) appear.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { watchPage } from './browser';
import type { PageProblems } from './browser';
import { chromiumPerFile } from './widgets';

const browser = chromiumPerFile();
const baseURL = inject('baseURL');

async function open(
  backend: string,
): Promise<{ page: Page; root: Locator; problems: PageProblems }> {
  const page = await browser().newPage();
  const problems = watchPage(page);
  await page.goto(`${baseURL}/lessons/what-a-cnn-costs/?backend=${backend}`);
  const root = page.locator('[data-widget="cost"]');
  await root.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  return { page, root, problems };
}

async function agreed(root: Locator, backend: string): Promise<void> {
  await expect
    .poll(() => root.getAttribute('data-agree'), { timeout: 150_000, interval: 250 })
    .toBe('true');
  expect(await root.getAttribute('data-backend')).toBe(backend);
  expect(await root.getAttribute('data-max-abs-error')).toBe('0');
}

const row = (root: Locator, layer: number) => root.locator(`[data-rows] tr[data-layer="${layer}"]`);

for (const backend of ['wasm', 'webgpu'] as const) {
  describe(`lesson 13, cost (?backend=${backend})`, () => {
    it('counts agree with ORT exactly; a kernel edit updates them; bad input keeps the table', async () => {
      const { page, root, problems } = await open(backend);
      await agreed(root, backend);
      // The tutorial net, by hand: conv 8@5×5 on 1×28×28.
      expect(await row(root, 0).getAttribute('data-params')).toBe('208');
      expect(await row(root, 0).getAttribute('data-macs')).toBe(String(8 * 24 * 24 * 25));
      expect(await root.getAttribute('data-macs')).toBe('322560');
      expect(await root.locator('[data-rows] tr').count()).toBe(8);

      const k0 = root.locator('input[name="k0"]');
      await k0.fill('3');
      await expect.poll(() => row(root, 0).getAttribute('data-params')).toBe('80');
      await agreed(root, backend);
      expect(page.url()).toContain('cost.k0=3');

      await k0.fill('abc');
      await expect
        .poll(() => root.locator('[data-edit-layer="0"] .cbw-error').innerText())
        .toContain('layer 0 kernel size: "abc" is not a number');
      expect(await k0.getAttribute('aria-invalid')).toBe('true');
      expect(await row(root, 0).getAttribute('data-params')).toBe('80');
      await root.locator('input[name="f0"]').fill('0');
      await expect
        .poll(() => root.locator('[data-edit-layer="0"] .cbw-error').innerText())
        .toContain('layer 0 filters must be a whole number from 1 to 256');
      expect(await row(root, 0).getAttribute('data-params')).toBe('80');
      // An edit the network cannot take: the engine names the layer.
      await root.locator('input[name="f0"]').fill('8');
      await k0.fill('5');
      await root.locator('input[name="s0"]').fill('2'); // 8×12×12, pooled to 6×6
      await root.locator('input[name="k3"]').fill('11');
      await expect
        .poll(() => root.locator('[data-edit-layer="3"] .cbw-error').innerText())
        .toContain('layer 3 (conv2d)');
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });

    it('times every layer on both engines, plots images/s, and times the comparisons', async () => {
      const { page, root, problems } = await open(backend);
      await expect
        .poll(() => root.getAttribute('data-timing'), { timeout: 280_000, interval: 500 })
        .toBe('done');
      const conv = row(root, 0);
      expect(Number(await conv.getAttribute('data-ref-ms'))).toBeGreaterThan(0);
      expect(Number(await conv.getAttribute('data-ort-ms'))).toBeGreaterThan(0);
      expect(Number(await row(root, 7).getAttribute('data-ort-ms'))).toBeGreaterThan(0);
      expect(await row(root, 6).getAttribute('data-ort-ms')).toBeNull(); // flatten: not timed
      expect(await root.locator('[data-ort-head]').innerText()).toContain(
        backend === 'webgpu' ? 'WebGPU' : 'WebAssembly',
      );
      const chart = root.locator('[data-chart="throughput"] [role="img"]');
      await chart.waitFor({ timeout: 10_000 });
      expect(await chart.getAttribute('aria-label')).toMatch(/ORT · \S+ batch 256: \d+ images\/s/);
      await expect
        .poll(() => root.getAttribute('data-compare'), { timeout: 280_000, interval: 500 })
        .toBe('done');
      for (const id of ['dense-photo', 'conv-photo', 'standard', 'separable']) {
        const r = root.locator(`[data-compare-rows] tr[data-case="${id}"]`);
        expect(Number(await r.getAttribute('data-ref-ms')), id).toBeGreaterThan(0);
        expect(Number(await r.getAttribute('data-ort-ms')), id).toBeGreaterThan(0);
      }
      const macs = async (id: string) =>
        Number(await root.locator(`tr[data-case="${id}"]`).getAttribute('data-macs'));
      expect(await macs('standard')).toBe(57_802_752);
      expect(await macs('separable')).toBe(7_325_696);
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    }, 600_000); // SwiftShader WebGPU runs the 58 M multiply-add convolution on the CPU
  });
}
