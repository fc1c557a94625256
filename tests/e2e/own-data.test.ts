/**
 * Lesson 15 in a real browser (wasm): three classes named on the page, ten drawn examples of each
 * (strokes made here, each a little different), the refusals (a duplicate name, training too
 * early), a short training run, at least 90 % on the held-out examples with the batch computed
 * twice, a new drawing predicted with saliency and occlusion, the whole-network figure on that
 * net; a reload finds it all; the network and examples export, are deleted, load back, and the
 * loaded network predicts the same drawing the same.
 */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { watchPage } from './browser';
import { chromiumPerFile, openWidget, W } from './widgets';

const browser = chromiumPerFile();
const OWN = W('own-data');
const root = (page: Page): Locator => page.locator(OWN);
const NAMES = ['circle', 'cross', 'bar'];

type Pt = [number, number];
/** Shape k, variant n, as strokes in pad units (0–280). */
function shape(k: number, n: number): Pt[][] {
  const cx = 140 + ((n % 3) - 1) * 14;
  const cy = 140 + ((n % 4) - 1.5) * 10;
  const r = 70 + (n % 5) * 8;
  if (k === 0)
    return [
      Array.from({ length: 25 }, (_, i): Pt => {
        const t = (i / 24) * 2 * Math.PI;
        return [cx + r * Math.cos(t), cy + r * Math.sin(t)];
      }),
    ];
  if (k === 1)
    return [
      [
        [cx - r, cy - r],
        [cx + r, cy + r],
      ],
      [
        [cx + r, cy - r],
        [cx - r, cy + r],
      ],
    ];
  return [
    [
      [cx - r, cy],
      [cx + r, cy],
    ],
  ];
}

async function draw(page: Page, strokes: Pt[][]): Promise<void> {
  const canvas = root(page).locator('canvas[data-pad]');
  const box = (await canvas.boundingBox())!;
  const at = ([x, y]: Pt) =>
    [box.x + (x / 280) * box.width, box.y + (y / 280) * box.height] as const;
  for (const s of strokes) {
    await page.mouse.move(...at(s[0]!));
    await page.mouse.down();
    for (const p of s.slice(1)) await page.mouse.move(...at(p), { steps: 3 });
    await page.mouse.up();
  }
}

const attr = async (page: Page, name: string) =>
  (await root(page).getAttribute(`data-${name}`)) ?? '';

/** Waits until the figure's batch for the current drawing agrees on both engines. */
async function agreed(page: Page): Promise<void> {
  await page.locator(`${OWN}[data-state="done"][data-agree="true"]`).waitFor({ timeout: 120_000 });
  expect(await attr(page, 'backend')).toBe('wasm');
  expect(Number(await attr(page, 'max-abs-error'))).toBeLessThan(1e-3);
}

/** Clears the pad, draws a test circle, waits for its agreed prediction; its probabilities. */
async function testCircle(page: Page): Promise<number[]> {
  await root(page).locator('[data-action="clear"]').click();
  await draw(page, shape(0, 7));
  await expect.poll(() => attr(page, 'top'), { timeout: 120_000 }).toBe('circle');
  await agreed(page);
  expect(await attr(page, 'saliency')).toBe('shown');
  return root(page)
    .locator('[data-bars] li')
    .evaluateAll((lis) => lis.map((li) => Number((li as HTMLElement).dataset.p)));
}

describe('lesson 15, your own classes', () => {
  it('wasm: 3 × 10 drawn examples train to ≥ 90 % held out, explained; reload, export, delete, load back', async () => {
    const page = await browser().newPage({ acceptDownloads: true });
    const problems = watchPage(page);
    await openWidget(page, 'your-own-classes', 'own-data', 'backend=wasm&own.epochs=25');
    const r = root(page);
    await page.locator(`${OWN}[data-ready="true"]`).waitFor();
    expect(await attr(page, 'dataset')).toBe('own');
    const input = r.locator('input[name="class-name"]');
    for (const name of NAMES) {
      await input.fill(name);
      await r.locator('form[data-add-class] button').click();
    }
    await input.fill('Circle');
    await r.locator('form[data-add-class] button').click();
    await expect
      .poll(() => r.locator('[data-message]').innerText())
      .toBe('There is already a class called “circle”: give each class its own name.');
    expect(await attr(page, 'classes')).toBe('3');

    for (let k = 0; k < 3; k++) {
      await r.locator(`li[data-class="${k}"] input[type="radio"]`).check();
      for (let n = 0; n < 10; n++) {
        await draw(page, shape(k, n));
        await r.locator('[data-action="add"]').click();
      }
      if (k === 0) {
        expect(await r.locator('[data-action="train"]').isDisabled()).toBe(true);
        expect(await r.locator('[data-train-why]').innerText()).toContain(
          '“cross” has 0, “bar” has 0',
        );
      }
    }
    expect(await attr(page, 'examples')).toBe('30');

    await r.locator('[data-action="train"]').click();
    await expect.poll(() => attr(page, 'lab'), { timeout: 240_000, interval: 500 }).toBe('done');
    await expect
      .poll(async () => Number(await attr(page, 'held-out-accuracy')), { timeout: 120_000 })
      .toBeGreaterThanOrEqual(0.9);
    expect(await r.locator('[data-confusion-caption]').innerText()).toContain(
      '6 held-out examples',
    );
    expect(await r.locator('[data-filters] canvas').count()).toBe(8);
    const before = await testCircle(page);

    // The whole-network figure shows this network: its softmax has three scores.
    const nv = page.locator(W('network-view'));
    await nv.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.locator(`${W('network-view')}[data-state="done"]`).waitFor({ timeout: 120_000 });
    await expect
      .poll(() => nv.locator('[data-overview] ol li[data-k]').count(), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(3);
    expect(await nv.locator('[data-overview] li[data-k="3"]').count()).toBe(0);
    expect(await nv.locator('[data-overview] li.is-named .k').allInnerTexts()).toEqual(NAMES);

    // Reload: the examples and the trained network are back.
    await page.reload();
    await root(page).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await expect.poll(() => attr(page, 'examples'), { timeout: 60_000 }).toBe('30');
    expect(await attr(page, 'classes')).toBe('3');
    await expect
      .poll(async () => Number(await attr(page, 'held-out-accuracy')), { timeout: 120_000 })
      .toBeGreaterThanOrEqual(0.9);
    const reloaded = await testCircle(page);
    reloaded.forEach((p, k) => expect(p).toBeCloseTo(before[k]!, 5));

    // Export both, delete everything, load both back: the same network, predicting the same.
    const [net] = await Promise.all([
      page.waitForEvent('download'),
      r.locator('[data-action="export-net"]').click(),
    ]);
    const [examples] = await Promise.all([
      page.waitForEvent('download'),
      r.locator('[data-action="export-examples"]').click(),
    ]);
    const onnx = await readFile((await net.path())!);
    const json = await readFile((await examples.path())!);
    expect(onnx.length).toBeGreaterThan(1000);
    await r.locator('[data-action="delete"]').click();
    await r.locator('[data-action="delete"]').click();
    await expect.poll(() => attr(page, 'examples')).toBe('0');
    await expect
      .poll(() => r.locator('[data-message]').innerText())
      .toBe('Deleted your examples and network from this browser.');
    await r.locator('input[data-load]').setInputFiles([
      { name: 'convbook-own-network.onnx', mimeType: 'application/octet-stream', buffer: onnx },
      { name: 'convbook-own-examples.json', mimeType: 'application/json', buffer: json },
    ]);
    await expect.poll(() => attr(page, 'examples'), { timeout: 30_000 }).toBe('30');
    await expect
      .poll(() => r.locator('[data-message]').innerText(), { timeout: 60_000 })
      .toContain('Your network is loaded back');
    const loaded = await testCircle(page);
    loaded.forEach((p, k) => expect(p).toBeCloseTo(before[k]!, 5));

    // Anything else gets the importer's message, and what the reader has stays.
    await r.locator('input[data-load]').setInputFiles([
      {
        name: 'not-a-net.onnx',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from('hello'),
      },
    ]);
    await expect
      .poll(() => r.locator('[data-message]').innerText(), { timeout: 30_000 })
      .toContain('That network could not be loaded:');
    expect(await attr(page, 'examples')).toBe('30');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  }, 600_000);
});
