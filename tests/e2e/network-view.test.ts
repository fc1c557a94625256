/**
 * The whole-network figure on the home page, in a real Chromium: the forward pass agrees on wasm
 * and WebGPU; a click on a cell of a feature map opens the stepper on exactly that window (its
 * sum is the activation drawn, its numbers ≥ 12 px) and the keys walk it; at 360 px nothing in
 * the figure is wider than the screen.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { watchPage } from './browser';
import { agreed, attr, chromiumPerFile, W } from './widgets';

const browser = chromiumPerFile();
const NV = W('network-view');

async function openHome(page: Page, backend: string): Promise<void> {
  await page.goto(`${inject('baseURL')}/?backend=${backend}`);
  await page.locator(`${NV}[data-state]`).waitFor({ timeout: 60_000 });
  await agreed(page, 'network-view', backend);
}

/** Clicks the centre of cell (row, col) of a map canvas of `side` cells (scrolled to first). */
async function clickCell(page: Page, selector: string, side: number, row: number, col: number) {
  const canvas = page.locator(selector);
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await canvas.click({
    position: { x: ((col + 0.5) / side) * box.width, y: ((row + 0.5) / side) * box.height },
  });
}

describe('home page: the whole network at a glance', () => {
  it('agrees on wasm; a click on a map cell opens the stepper on that window; keys walk it', async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchPage(page);
    await openHome(page, 'wasm');
    // Test digit 0 is a 0: the trained network reads it.
    expect(await attr(page, 'network-view', 'top')).toBe('0');
    expect(await page.locator(`${NV} [data-stepper-panel]`).isHidden()).toBe(true);

    // Layer 3 (the second convolution, 16 maps of 8×8), map 5, row 2, column 3.
    await clickCell(page, `${NV} canvas[data-layer="3"][data-channel="5"]`, 8, 2, 3);
    await page.locator(`${NV}[data-open-cell="${2 * 8 + 3}"]`).waitFor();
    expect(await attr(page, 'network-view', 'open-layer')).toBe('3');
    expect(await attr(page, 'network-view', 'open-map')).toBe('5');
    expect(await page.locator(`${NV} [data-place]`).innerText()).toBe(
      'Stepper on layer 3 (conv 16@5×5), map 5, row 2, column 3',
    );
    // The window's sum (the trace) is the very number the engine computed for that cell.
    expect(await attr(page, 'network-view', 'window-value')).toBe(
      await attr(page, 'network-view', 'cell-value'),
    );
    // Its input patch and kernel: 5×5 numbers, one input channel of 8 at a time, ≥ 12 px.
    const patch = page.locator(`${NV} [data-grids] .cb-heatmap`).first();
    expect(await patch.locator('span').count()).toBe(25);
    const px = await patch
      .locator('span')
      .first()
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px).toBeGreaterThanOrEqual(12);
    expect(await page.locator(`${NV} [data-in-channel] option`).count()).toBe(8);
    expect(await page.locator(`${NV} [data-sums]`).innerText()).toMatch(
      /^y\(2, 3\) = .* \(one share per input channel\) \+ bias /,
    );

    // The one key model on the stepper: → one cell, ↓ one row (8 cells); Escape closes it.
    await page.locator(`${NV} [data-stepper]`).focus();
    await page.keyboard.press('ArrowRight');
    await page.locator(`${NV}[data-open-cell="20"]`).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.locator(`${NV}[data-open-cell="28"]`).waitFor();
    expect(await attr(page, 'network-view', 'window-value')).toBe(
      await attr(page, 'network-view', 'cell-value'),
    );
    // A pooling cell opens on its own window: the max of a 2×2 window.
    await clickCell(page, `${NV} canvas[data-layer="2"][data-channel="0"]`, 12, 0, 11);
    await page.locator(`${NV}[data-open-layer="2"][data-open-cell="11"]`).waitFor();
    expect(await page.locator(`${NV} [data-equation]`).innerText()).toMatch(
      /^y\(0, 11\) = max\(.*\) = /,
    );
    // The overview's keys (the opened map is the focused one): Home, → , Enter opens map 1.
    await page.keyboard.press('Escape');
    await page.locator(`${NV} [data-stepper-panel]`).waitFor({ state: 'hidden' });
    await page.locator(`${NV} [data-overview]`).focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page
      .locator(`${NV}[data-open-layer="0"][data-open-map="1"][data-open-cell="0"]`)
      .waitFor();

    // Picking another test digit recomputes on both engines.
    await page.locator(`${NV} [data-digit="7"]`).click();
    await agreed(page, 'network-view', 'wasm');
    expect(await attr(page, 'network-view', 'top')).toBe('7');
    expect(problems.consoleErrors).toEqual([]);
    await page.close();
  }, 240_000);

  it('agrees on WebGPU', async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    await openHome(page, 'webgpu');
    expect(await attr(page, 'network-view', 'top')).toBe('0');
    expect(problems.consoleErrors).toEqual([]);
    await page.close();
  }, 240_000);

  it('at 360 px: no part of the figure, stepper open, is wider than the screen', async () => {
    const page = await browser().newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${inject('baseURL')}/?backend=reference`);
    await page.locator(`${NV}[data-state="done"]`).waitFor({ timeout: 60_000 });
    await clickCell(page, `${NV} canvas[data-layer="0"][data-channel="2"]`, 24, 10, 10);
    await page.locator(`${NV}[data-open-layer="0"][data-open-cell="250"]`).waitFor();
    const wide = await page.locator(NV).evaluate((root) => {
      const limit = document.documentElement.clientWidth;
      const over = [root, ...root.querySelectorAll<HTMLElement>('*')].filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > limit + 0.5 || r.left < -0.5);
      });
      return {
        page: document.documentElement.scrollWidth,
        limit,
        over: over.slice(0, 5).map((el) => `${el.tagName}.${el.className}`),
      };
    });
    expect(wide.over).toEqual([]);
    expect(wide.page).toBeLessThanOrEqual(wide.limit);
    await page.close();
  }, 120_000);
});

describe('lesson 9: the whole network is the reader’s own, updating while it trains', () => {
  it('shows new weights several times during a short run, each pass checked', async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchPage(page);
    await page.goto(`${inject('baseURL')}/lessons/train-a-cnn/?backend=wasm&lab.epochs=2`);
    const lab = W('training-lab');
    await page.locator(lab).scrollIntoViewIfNeeded();
    await page.locator(`${lab} [data-backends] li[data-backend-status]`).first().waitFor();
    await page.locator(NV).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.locator(`${NV}[data-state="empty"]`).waitFor({ timeout: 60_000 });
    await page.locator(`${lab} [data-action="start"]`).evaluate((b) => (b as HTMLElement).click());
    // While the lab trains, the figure asks for its weights about once a second.
    const seen = new Set<string>();
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const d = await page.evaluate(
        ([a, b]) => ({
          lab: document.querySelector<HTMLElement>(a!)!.dataset.state,
          net: document.querySelector<HTMLElement>(b!)!.dataset.netId,
        }),
        [lab, NV],
      );
      if (d.lab === 'training' && d.net) seen.add(d.net);
      if (d.lab === 'done') break;
      await page.waitForTimeout(200);
    }
    expect(seen.size).toBeGreaterThanOrEqual(2);
    await page.locator(`${lab}[data-state="done"]`).waitFor({ timeout: 120_000 });
    await agreed(page, 'network-view', 'wasm');
    await clickCell(page, `${NV} canvas[data-layer="0"][data-channel="0"]`, 24, 12, 12);
    await page.locator(`${NV}[data-open-cell="${12 * 24 + 12}"]`).waitFor();
    expect(await attr(page, 'network-view', 'window-value')).toBe(
      await attr(page, 'network-view', 'cell-value'),
    );
    expect(problems.consoleErrors).toEqual([]);
    await page.close();
  }, 300_000);
});
