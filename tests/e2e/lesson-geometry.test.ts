/**
 * Lessons 3 and 4 in a real browser, on ORT's wasm and WebGPU backends: the conv-arithmetic figure
 * (output sizes, formula, bad input, "same", shared links, transposed mode, keyboard) and the
 * channels figure (a hand-checked feature-map cell, bias edits, depthwise, parameter counts).
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { watchPage } from './browser';
import type { PageProblems } from './browser';
import { chromiumPerFile } from './widgets';

const browser = chromiumPerFile();
const baseURL = inject('baseURL');

async function open(
  path: string,
  widget: string,
): Promise<{ page: Page; root: Locator; problems: PageProblems }> {
  const page = await browser().newPage();
  const problems = watchPage(page);
  await page.goto(baseURL + path);
  const root = page.locator(`[data-widget="${widget}"]`);
  await root.scrollIntoViewIfNeeded();
  return { page, root, problems };
}

/** The figures draw once per animation frame: wait for the frame after the last event. */
async function drawn(root: Locator): Promise<void> {
  await root.page().evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
}

async function agreed(root: Locator, backend: string): Promise<void> {
  await drawn(root);
  await expect
    .poll(() => root.getAttribute('data-agree'), { timeout: 150_000, interval: 250 })
    .toBe('true');
  expect(await root.getAttribute('data-backend')).toBe(backend);
}

const outCell = (root: Locator, i: number) =>
  root.locator('[data-grid="out"] .cb-heatmap > span').nth(i);

for (const backend of ['wasm', 'webgpu'] as const) {
  describe(`lesson 3, conv-arithmetic (?backend=${backend})`, () => {
    it('H=7, k=3, s=2, p=1 → 4; then H=5, k=3, d=2, p=0 → 1; formula and output follow', async () => {
      const { page, root, problems } = await open(
        `/lessons/stride-padding-dilation/?backend=${backend}`,
        'conv-arithmetic',
      );
      await agreed(root, backend);
      expect(await root.getAttribute('data-out-h')).toBe('4');
      expect(await root.locator('[data-formula="h"] .katex-mathml').innerText()).toContain('4');
      expect(await root.locator('[data-grid="out"] .cb-heatmap > span').count()).toBe(16);
      // out(1,1) covers input rows 1–3, cols 1–3 of 1..49: 9+10+11+16+17+18+23+24+25
      expect(await outCell(root, 5).innerText()).toBe('153');

      for (const [f, v] of [
        ['h', '5'],
        ['w', '5'],
        ['sh', '1'],
        ['sw', '1'],
        ['pad', '0'],
        ['d', '2'],
      ])
        await root.locator(`[data-field="${f}"]`).fill(v);
      await agreed(root, backend);
      expect(await root.getAttribute('data-out-h')).toBe('1');
      expect(await root.getAttribute('data-out-w')).toBe('1');
      // taps at rows/cols 0, 2, 4: (1+3+5) + (11+13+15) + (21+23+25)
      expect(await outCell(root, 0).innerText()).toBe('117');
      const tex = await root.locator('[data-formula="h"] annotation').textContent();
      expect(tex).toContain('\\frac{5 + 0 + 0 - 2\\cdot(3-1) - 1}{1}');
      expect(page.url()).toContain('arith.d=2');
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });

    it('stride 0: the engine message next to the control, the last picture stays, nothing lost', async () => {
      const { page, root, problems } = await open(
        `/lessons/stride-padding-dilation/?backend=${backend}`,
        'conv-arithmetic',
      );
      await agreed(root, backend);
      const stride = root.locator('[data-field="sh"]');
      await stride.fill('0');
      await expect
        .poll(() => root.locator('[data-error-for="sh"]').innerText())
        .toContain('stride must be a positive integer, got 0');
      expect(await stride.getAttribute('aria-invalid')).toBe('true');
      expect(await stride.inputValue()).toBe('0');
      expect(await root.getAttribute('data-valid')).toBe('false');
      expect(await root.getAttribute('data-out-h')).toBe('4');
      expect(await outCell(root, 5).innerText()).toBe('153');
      await stride.fill('abc');
      await drawn(root);
      expect(await root.locator('[data-error-for="sh"]').innerText()).toContain(
        'vertical stride: "abc" is not a number',
      );
      // A kernel wider than the padded input.
      await stride.fill('2');
      await root.locator('[data-field="k"]').fill('7');
      await root.locator('[data-field="d"]').fill('2');
      await expect
        .poll(() => root.locator('[data-error-for="k"]').innerText())
        .toContain('spans 13 px but the padded input is 9 px');
      await root.locator('[data-field="d"]').fill('1');
      await agreed(root, backend);
      expect(await root.getAttribute('data-valid')).toBe('true');
      // (7 + 2 − 7)/2 + 1 = 2
      expect(await root.getAttribute('data-out-h')).toBe('2');
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });

    it("'same', stride 2, H=6: k=3 → 3 with pads [0,0,1,1]; k=2 → 3 with none", async () => {
      const { page, root } = await open(
        `/lessons/stride-padding-dilation/?backend=${backend}`,
        'conv-arithmetic',
      );
      await agreed(root, backend);
      await root.locator('[data-field="h"]').fill('6');
      await root.locator('[data-field="w"]').fill('6');
      await root.locator('[data-pad-mode]').selectOption('same');
      await agreed(root, backend);
      expect(await root.getAttribute('data-out-h')).toBe('3');
      expect(await root.getAttribute('data-pads')).toBe('0,0,1,1');
      expect(await root.locator('[data-grid="in"] .is-padding').count()).toBe(7 * 7 - 36);
      await root.locator('[data-field="k"]').fill('2');
      await agreed(root, backend);
      expect(await root.getAttribute('data-out-h')).toBe('3');
      expect(await root.getAttribute('data-pads')).toBe('0,0,0,0');
      await page.close();
    });

    it('restores a shared link, and says so when a link holds garbage', async () => {
      const { page, root } = await open(
        `/lessons/stride-padding-dilation/?backend=${backend}&arith.h=9&arith.w=6&arith.k=2&arith.s=3x1&arith.pad=0,1,2,0&arith.d=2&arith.step=4`,
        'conv-arithmetic',
      );
      await agreed(root, backend);
      expect(await root.locator('[data-field="sw"]').inputValue()).toBe('1');
      expect(await root.locator('[data-pad-mode]').inputValue()).toBe('asymmetric');
      expect(await root.locator('[data-field="pads-bottom"]').inputValue()).toBe('2');
      // rows ⌊(9 + 0 + 2 − 3)/3⌋ + 1 = 3, cols ⌊(6 + 1 + 0 − 3)/1⌋ + 1 = 5
      expect(await root.getAttribute('data-out-h')).toBe('3');
      expect(await root.getAttribute('data-out-w')).toBe('5');
      expect(await root.getAttribute('data-step')).toBe('4');
      await page.goto(
        `${baseURL}/lessons/stride-padding-dilation/?backend=${backend}&arith.h=abc&arith.s=0`,
      );
      const note = root.locator('[data-note]');
      await root.scrollIntoViewIfNeeded();
      // A fresh page: the figure starts once it is on screen (slow on a loaded machine).
      await expect
        .poll(() => note.innerText(), { timeout: 15_000 })
        .toContain('input height H: "abc" is not a number');
      expect(await root.getAttribute('data-out-h')).toBe('4');
      await page.close();
    });

    it('transposed mode: 3×3, k=3, stride 2 upsamples to 7×7 (ConvTranspose); keyboard steps', async () => {
      const { page, root, problems } = await open(
        `/lessons/stride-padding-dilation/?backend=${backend}`,
        'conv-arithmetic',
      );
      await agreed(root, backend);
      await root.locator('input[value="transpose"]').check();
      for (const [f, v] of [
        ['h', '3'],
        ['w', '3'],
        ['pad', '0'],
      ])
        await root.locator(`[data-field="${f}"]`).fill(v);
      await agreed(root, backend);
      expect(await root.getAttribute('data-mode')).toBe('transpose');
      expect(await root.getAttribute('data-out-h')).toBe('7');
      // output (2,2) gets inputs (0,0),(0,1),(1,0),(1,1) = 1 + 2 + 4 + 5
      expect(await outCell(root, 2 * 7 + 2).innerText()).toBe('12');
      const stage = root.locator('[data-stage]');
      await stage.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await drawn(root);
      expect(await root.getAttribute('data-step')).toBe('2');
      await expect.poll(() => root.locator('[data-live]').innerText()).toContain('Step 3 of 9');
      await page.keyboard.press('Space');
      expect(await root.locator('[data-play]').getAttribute('aria-pressed')).toBe('true');
      await page.keyboard.press('Space');
      expect(await root.locator('[data-play]').getAttribute('aria-pressed')).toBe('false');
      // One model: Home, ↓ one row (3 input cells), → one cell; a click on a cell goes there.
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
      await drawn(root);
      expect(await root.getAttribute('data-step')).toBe('4');
      await root.locator('[data-grid="in"] .cb-heatmap > span').nth(7).click();
      await drawn(root);
      expect(await root.getAttribute('data-step')).toBe('7');
      await expect.poll(() => root.locator('[data-live]').innerText()).toContain('Step 8 of 9');
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });
  });

  describe(`lesson 4, channels (?backend=${backend})`, () => {
    it('a feature-map cell by hand, a bias edit, bad input, depthwise and the counts', async () => {
      const { page, root, problems } = await open(
        `/lessons/channels-and-filters/?backend=${backend}&chan.f=2&chan.step=68`,
        'channels',
      );
      await agreed(root, backend);
      // filter 3 "green minus red" at row 4, col 4 (inside the red square): 0.1 − 1
      expect(await root.getAttribute('data-cell')).toBe('2,4,4');
      expect(Number(await root.getAttribute('data-cell-value'))).toBeCloseTo(-0.9, 5);
      const bias = root.locator('[data-bias="2"]');
      await bias.fill('0.5');
      await agreed(root, backend);
      expect(Number(await root.getAttribute('data-cell-value'))).toBeCloseTo(-0.4, 5);
      expect(await root.locator('[data-trace]').innerText()).toContain('= −0.400');
      expect(page.url()).toContain('chan.bias=0%2C0%2C0.5%2C0');
      await bias.fill('abc');
      await drawn(root);
      expect(await root.locator(`#${await bias.getAttribute('id')}-err`).innerText()).toContain(
        'bias of filter 3: "abc" is not a number',
      );
      expect(Number(await root.getAttribute('data-cell-value'))).toBeCloseTo(-0.4, 5);

      // A click on a cell of any feature map selects that map and goes to the cell; ↑ one row.
      await root
        .locator('[data-map="1"] > span')
        .nth(5 * 16 + 11)
        .click();
      await drawn(root);
      expect(await root.getAttribute('data-cell')).toBe('1,5,11');
      expect(await root.locator('input[data-pick="1"]').isChecked()).toBe(true);
      await root.locator('[data-stage]').focus();
      await page.keyboard.press('ArrowUp');
      await drawn(root);
      expect(await root.getAttribute('data-cell')).toBe('1,4,11');
      expect(await root.locator('[data-trace]').innerText()).toContain(
        'Feature map 2, row 4, column 11',
      );

      await root.locator('input[value="depthwise"]').check();
      await agreed(root, backend);
      expect(await root.locator('[data-map]').count()).toBe(3);

      await root.locator('[data-count="c"]').fill('16');
      await root.locator('[data-count="f"]').fill('32');
      await drawn(root);
      // 32 · (16 · 3 · 3) + 32
      expect(await root.getAttribute('data-conv-params')).toBe('4640');
      await root.locator('[data-count="k"]').fill('0');
      await drawn(root);
      expect(await root.locator('[data-count-error="k"]').innerText()).toContain(
        'kernel size k must be a whole number from 1 to 15, got 0',
      );
      expect(await root.getAttribute('data-conv-params')).toBe('4640');
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });
  });
}
