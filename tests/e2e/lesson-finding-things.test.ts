/**
 * Lesson 12 in a real browser. wasm: a one-epoch run (the link's `ft.epochs=1`) trains to its
 * held-out figures (mean IoU, mAP), then the reader draws a stroke and adds sample digits, and
 * boxes appear; the scene's map is computed twice and agrees. WebGPU: the first training step,
 * cross-checked against the reference engine by the lab, agrees (every node of this graph on
 * the WebGPU EP is checked in onnx-runtime.test.ts, "node placement").
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { watchPage } from './browser';
import { chromiumPerFile, openWidget, W } from './widgets';

const browser = chromiumPerFile();
const root = (page: Page): Locator => page.locator(W('finding-things'));

async function stroke(page: Page, canvas: Locator, points: [number, number][]): Promise<void> {
  const box = (await canvas.boundingBox())!;
  const at = ([x, y]: [number, number]) =>
    [box.x + (x / 64) * box.width, box.y + (y / 64) * box.height] as const;
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}

describe('lesson 12, finding things', () => {
  it('wasm: one epoch trains to its held-out figures; drawn and added digits get boxes, computed twice', async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    await openWidget(
      page,
      'finding-things',
      'finding-things',
      // One epoch leaves a weak net (the bench reports the default run): threshold 0 shows
      // every cell's box the head decodes (above its floor), which is what this test needs.
      'backend=wasm&ft.epochs=1&ft.threshold=0',
    );
    const r = root(page);
    await r.locator('[data-action="train"]').click();
    await expect
      .poll(() => r.getAttribute('data-lab'), { timeout: 240_000, interval: 500 })
      .toBe('done');
    expect(await r.getAttribute('data-step-agree')).toBe('true');
    const meanIou = Number(await r.getAttribute('data-mean-iou'));
    const map = Number(await r.getAttribute('data-map'));
    for (const v of [meanIou, map]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(await r.locator('[data-scores]').innerText()).toContain('500 held-out scenes');

    // A drawn "1", then three sample digits in the other corners.
    const canvas = r.locator('canvas[data-scene]');
    await stroke(page, canvas, [
      [12, 6],
      [12, 14],
      [12, 22],
      [12, 28],
    ]);
    for (let k = 0; k < 3; k++) await r.locator('[data-action="sample"]').click();
    await expect.poll(() => r.getAttribute('data-agree'), { timeout: 60_000 }).toBe('true');
    expect(await r.getAttribute('data-backend')).toBe('wasm');
    expect(Number(await r.getAttribute('data-max-abs-error'))).toBeLessThan(1e-4);
    await expect.poll(async () => Number(await r.getAttribute('data-boxes'))).toBeGreaterThan(0);

    // The threshold slider moves the held-out precision and recall; the link keeps it.
    const recallLow = Number(await r.getAttribute('data-recall'));
    await r.locator('input[name="threshold"]').fill('0.99');
    await expect
      .poll(async () => Number(await r.getAttribute('data-recall')))
      .toBeLessThanOrEqual(recallLow);
    expect(page.url()).toContain('ft.threshold=0.99');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  }, 300_000);

  it('webgpu: the first training step agrees with the reference engine', async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    await openWidget(page, 'finding-things', 'finding-things', 'backend=webgpu&ft.epochs=1');
    const r = root(page);
    await r.locator('[data-action="train"]').click();
    await expect
      .poll(() => r.getAttribute('data-step-backend'), { timeout: 180_000, interval: 500 })
      .toBe('webgpu');
    expect(await r.getAttribute('data-step-agree')).toBe('true');
    await r.locator('[data-action="pause"]').click();
    await expect.poll(() => r.getAttribute('data-lab'), { timeout: 120_000 }).toBe('paused');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  }, 300_000);
});
