/**
 * One interaction model for every figure that steps through cells (src/widgets/shared/grid-nav.ts):
 * the same keys and clicks drive the convolution stepper (lesson 2), the stride/padding figure
 * (lesson 3), the channels figure (lesson 4), pooling (lesson 6) and the backward pass (lesson 8),
 * and every readout names rows and columns from 0. The expected positions are worked out here from
 * the grid's width, independently of the widgets' code.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { watchPage } from './browser';
import { chromiumPerFile, openWidget, W } from './widgets';

const browser = chromiumPerFile();

interface GridStepper {
  lesson: string;
  widget: string;
  /** Cells a row of the grid being walked, and how many cells. */
  cols: number;
  count: number;
  /** The grid whose cells a click goes to. */
  cells: string;
  /** Reads the current cell as a flat, 0-based index. */
  position(page: Page): Promise<number>;
  /** The text that names the current cell. */
  readout: string;
}

const byStep = (widget: string) => async (page: Page) =>
  Number(await page.locator(W(widget)).getAttribute('data-step'));

const STEPPERS: GridStepper[] = [
  {
    lesson: 'convolution-and-feature-maps',
    widget: 'conv-stepper',
    cols: 14,
    count: 196,
    cells: '[data-grid="output"]',
    position: byStep('conv-stepper'),
    readout: '[data-step-label]',
  },
  {
    // the default: 7 × 7 input, 3 × 3 kernel, stride 2, padding 1 → 4 × 4 output
    lesson: 'stride-padding-dilation',
    widget: 'conv-arithmetic',
    cols: 4,
    count: 16,
    cells: '[data-grid="out"]',
    position: byStep('conv-arithmetic'),
    readout: '[data-out="step"]',
  },
  {
    // the default digit crop, 8 × 8, pooled 2 × 2 with stride 2 → 4 × 4
    lesson: 'pooling',
    widget: 'pooling',
    cols: 4,
    count: 16,
    cells: '[data-grid="output"]',
    position: byStep('pooling'),
    readout: '[data-out="step"]',
  },
];

async function press(page: Page, widget: string, key: string): Promise<void> {
  await page.locator(`${W(widget)} [data-stepper] [data-next]`).focus();
  await page.keyboard.press(key);
}

/** Waits until `read()` gives `want` (widgets may draw in the next animation frame). */
async function expectAt(read: () => Promise<number>, want: number, what: string): Promise<void> {
  await expect.poll(read, { message: what, timeout: 10_000 }).toBe(want);
}

describe('every stepper: the same keys and clicks, 0-based readouts', () => {
  for (const s of STEPPERS) {
    it(`${s.widget}: ←/→ a cell, ↑/↓ a row, Home/End, click a cell; row and column from 0`, async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      await openWidget(page, s.lesson, s.widget, 'backend=wasm');
      await page.locator(`${W(s.widget)}[data-step]`).waitFor({ timeout: 60_000 });
      const at = () => s.position(page);
      await press(page, s.widget, 'Home');
      await expectAt(at, 0, 'Home');
      await press(page, s.widget, 'ArrowRight');
      await expectAt(at, 1, '→ one cell');
      await press(page, s.widget, 'ArrowDown');
      await expectAt(at, 1 + s.cols, '↓ one row');
      await press(page, s.widget, 'ArrowLeft');
      await expectAt(at, s.cols, '← one cell');
      await press(page, s.widget, 'ArrowUp');
      await expectAt(at, 0, '↑ one row');
      await press(page, s.widget, 'End');
      await expectAt(at, s.count - 1, 'End');
      // a click on a cell in the second row, third column: index cols + 2, row 1, column 2
      const target = s.cols + 2;
      await page.locator(`${W(s.widget)} ${s.cells} [data-index="${target}"]`).click();
      await expectAt(at, target, 'click');
      const text = await page
        .locator(`${W(s.widget)} ${s.readout}`)
        .first()
        .innerText();
      expect(text).toMatch(/row 1, column 2/);
      // the keys are said once, the same way, beside the stepper
      expect(await page.locator(`${W(s.widget)} .cbw-keys`).innerText()).toContain(
        '←/→ one cell · ↑/↓ one row · Home/End first/last · Space play/pause',
      );
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });
  }

  it('channels: the same keys over a 16 × 16 feature map, and a click on a map goes there', async () => {
    const page = await browser().newPage();
    await openWidget(page, 'channels-and-filters', 'channels', 'backend=wasm');
    const root = page.locator(W('channels'));
    await page.locator(`${W('channels')}[data-cell]`).waitFor({ timeout: 60_000 });
    const cell = async () => ((await root.getAttribute('data-cell')) ?? '').split(',').map(Number);
    const rc = async () => {
      const [, r, c] = await cell();
      return r! * 16 + c!;
    };
    await press(page, 'channels', 'Home');
    await expectAt(rc, 0, 'Home');
    await press(page, 'channels', 'ArrowRight');
    await expectAt(rc, 1, '→');
    await press(page, 'channels', 'ArrowDown');
    await expectAt(rc, 17, '↓ one row of 16');
    await press(page, 'channels', 'End');
    await expectAt(rc, 255, 'End');
    expect(await root.locator('.cbw-keys').innerText()).toContain('↑/↓ one row');
    await page.close();
  });

  it('backprop: a one-row stepper, where ↑/↓ step like ←/→', async () => {
    const page = await browser().newPage();
    await openWidget(page, 'backpropagation', 'backprop', 'backend=wasm');
    await page.locator(`${W('backprop')}[data-step]`).waitFor({ timeout: 60_000 });
    const ids: string[] = [];
    const id = async () => (await page.locator(W('backprop')).getAttribute('data-step')) ?? '';
    await press(page, 'backprop', 'Home');
    ids.push(await id());
    await press(page, 'backprop', 'ArrowDown');
    await expect.poll(id).not.toBe(ids[0]);
    ids.push(await id());
    await press(page, 'backprop', 'ArrowUp');
    await expect.poll(id).toBe(ids[0]);
    await press(page, 'backprop', 'ArrowRight');
    await expect.poll(id).toBe(ids[1]);
    await press(page, 'backprop', 'End');
    await expect.poll(id).not.toBe(ids[1]);
    expect(await page.locator(`${W('backprop')} .cbw-keys`).innerText()).toContain('Home/End');
    await page.close();
  });
});
