/**
 * Lesson 2's convolution stepper in a real Chromium, on onnxruntime-web's wasm and WebGPU
 * backends: keyboard stepping, the written-out sum of a chosen cell against a hand-computed number,
 * kernel editing (valid and "abc"), presets, true convolution, shared and garbage links, uploads.
 *
 * The chosen cell: MNIST 7 #0 averaged to 14×14, output row 8, column 6 (0-based, as every
 * readout counts; cell 119 of 196, `conv.s=119` in the link). Its window (input rows 7–9,
 * columns 5–7, read off the stepper's input grid) is
 *   0        0        0.4365
 *   0        0.13125  0.993
 *   0.00975  0.5325   0.90275
 * Vertical edge (−1 0 1 per row): 0.4365 + 0.993 + (0.90275 − 0.00975)              = 2.3225
 * …with cell (row 1, col 2) set to 2: 0.4365 + 2·0.993 + 0.893                       = 3.3155
 * Sobel y (−1 −2 −1 / 0 0 0 / 1 2 1): −0.4365 + 0.00975 + 2·0.5325 + 0.90275         = 1.541
 * True convolution of vertical edge (kernel flipped to 1 0 −1):                     −2.3225
 * Identity 5×5: the pixel under the centre                                          = 0.13125
 * Kernel 1…9, bias 0.5, true convolution (slid as 9…1):
 *   7·0.4365 + 5·0.13125 + 4·0.993 + 3·0.00975 + 2·0.5325 + 1·0.90275 + 0.5         = 10.18075
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { watchPage } from './browser';
import { agreed as agreedOn, chromiumPerFile, openWidget, W as widget } from './widgets';

const W = widget('conv-stepper');
const browser = chromiumPerFile();
const open = (page: Page, query: string) =>
  openWidget(page, 'convolution-and-feature-maps', 'conv-stepper', query);
/** Waits for ORT's result for the current inputs to agree with the reference's. */
const agreed = (page: Page, backend: string) => agreedOn(page, 'conv-stepper', backend);

const traceSum = async (page: Page) =>
  Number(await page.locator(`${W} [data-trace-sum]`).getAttribute('data-trace-sum'));
const stepLabel = (page: Page) => page.locator(`${W} [data-step-label]`).innerText();
const kcell = (page: Page, i: number) => page.locator(`${W} [data-kcell="${i}"]`);
/** The widget draws once per animation frame: wait for what an action changed. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000 });

for (const backend of ['wasm', 'webgpu'] as const) {
  describe(`convolution stepper on ?backend=${backend}`, () => {
    it('steps with the keyboard, writes out a hand-checked sum, edits the kernel, switches preset and flips it', async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      await open(page, `backend=${backend}&conv.s=119`);
      await agreed(page, backend);
      expect(await stepLabel(page)).toBe('Cell 119 of 196: output row 8, column 6');
      expect(await traceSum(page)).toBeCloseTo(2.3225, 5);
      expect(await page.locator(`${W} .equation`).innerText()).toMatch(
        /^y\(8, 6\) = .* = 2\.3225$/,
      );
      // The window of the current cell is highlighted on the input: 9 cells.
      expect(await page.locator(`${W} [data-grid="input"] .is-window`).count()).toBe(9);

      // The keys are said once, beside the stepper.
      expect(await page.locator(`${W} .cbw-keys`).innerText()).toBe(
        'Keys: ←/→ one cell · ↑/↓ one row · Home/End first/last · Space play/pause · click a cell to go there',
      );

      // Keyboard: arrows step, ↑/↓ one row, space plays and pauses; the live region follows.
      const grids = page.getByRole('group', { name: /Stepper grids/ });
      await grids.focus();
      await page.keyboard.press('ArrowRight');
      await eventually(() => stepLabel(page)).toContain('Cell 120 of 196');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowDown');
      await eventually(() => stepLabel(page)).toContain('Cell 133 of 196: output row 9, column 6');
      await page.keyboard.press('ArrowUp');
      await eventually(() => stepLabel(page)).toContain('Cell 119 of 196');
      await eventually(() => page.locator(`${W} [data-live]`).innerText()).toBe(
        'Cell 119 of 196: output row 8, column 6 = 2.3225',
      );
      expect(await traceSum(page)).toBeCloseTo(2.3225, 5);
      await page.keyboard.press(' ');
      await eventually(() => page.locator(W).getAttribute('data-playing')).toBe('true');
      await page.waitForTimeout(700);
      await page.keyboard.press(' ');
      await eventually(() => page.locator(W).getAttribute('data-playing')).toBe('false');
      const after = Number(await page.locator(W).getAttribute('data-step'));
      expect(after).toBeGreaterThan(118);
      await eventually(async () => page.url()).toContain(`conv.s=${after + 1}`);
      // The range counts steps from 0: step 118 is cell 119.
      await page.getByRole('slider', { name: /Scrub through the output cells/ }).fill('118');
      await eventually(() => stepLabel(page)).toContain('Cell 119 of 196');

      // Hovering an output cell previews its window and sum; leaving returns to the step.
      await page.locator(`${W} [data-grid="output"] span[data-index="132"]`).hover();
      await eventually(() => stepLabel(page)).toContain(
        'Previewing cell 133 of 196: output row 9, column 6',
      );
      await page.locator(`${W} [data-step-label]`).hover();
      await eventually(() => stepLabel(page)).toContain('Cell 119 of 196');
      expect(await traceSum(page)).toBeCloseTo(2.3225, 5);

      // Clicking any output cell, or any input pixel, goes to the output cell centred there.
      await page.locator(`${W} [data-grid="output"] span[data-index="20"]`).click();
      await eventually(() => stepLabel(page)).toBe('Cell 21 of 196: output row 1, column 6');
      await page.locator(`${W} [data-grid="input"] span[data-index="151"]`).click();
      await eventually(() => stepLabel(page)).toBe('Cell 119 of 196: output row 8, column 6');
      expect(await traceSum(page)).toBeCloseTo(2.3225, 5);

      // A valid edit: kernel cell (row 1, col 2) from 1 to 2.
      await kcell(page, 5).fill('2');
      await eventually(() => traceSum(page)).toBeCloseTo(3.3155, 5);
      expect(await page.locator(`${W} [data-preset]`).inputValue()).toBe('custom');
      expect(page.url()).toContain('conv.k=-1%2C0%2C1%2C-1%2C0%2C2%2C-1%2C0%2C1');
      await agreed(page, backend);

      // "abc": a clear message, the text stays, the previous kernel stays in force.
      await kcell(page, 3).fill('abc');
      const error = page.locator(`${W} [data-kernel-error]`);
      await eventually(() => error.innerText()).toBe(
        'kernel cell (row 1, col 0): "abc" is not a number. The last valid kernel is still in use.',
      );
      expect(await kcell(page, 3).inputValue()).toBe('abc');
      expect(await kcell(page, 3).getAttribute('aria-invalid')).toBe('true');
      expect(await traceSum(page)).toBeCloseTo(3.3155, 5);
      expect(await page.locator(W).getAttribute('data-agree')).toBe('true');

      // A preset replaces the whole kernel (and clears the error).
      await page.locator(`${W} [data-preset]`).selectOption('sobel-y');
      await eventually(() => kcell(page, 3).inputValue()).toBe('0');
      expect(await error.innerText()).toBe('');
      expect(await traceSum(page)).toBeCloseTo(1.541, 5);
      expect(page.url()).toContain('conv.preset=sobel-y');
      await agreed(page, backend);

      // True convolution: the kernel slid is the flipped one, fed to ORT too.
      await page.locator(`${W} [data-preset]`).selectOption('vertical');
      await page.getByLabel(/True convolution/).check();
      await eventually(() => page.locator(W).getAttribute('data-kernel')).toBe(
        '1,0,-1,1,0,-1,1,0,-1',
      );
      expect(await traceSum(page)).toBeCloseTo(-2.3225, 5);
      expect(page.url()).toContain('conv.m=conv');
      await agreed(page, backend);

      // 5×5: the vertical edge becomes its 5×5 version; identity 5×5 returns the pixel under its
      // centre, input (row 9, col 7) = 0.13125, flipped or not.
      await page.locator(`${W} [data-size]`).selectOption('5');
      await eventually(() => page.locator(`${W} [data-preset]`).inputValue()).toBe('vertical-5');
      expect(await page.locator(`${W} [data-kcell]:visible`).count()).toBe(25);
      await page.locator(`${W} [data-preset]`).selectOption('identity-5');
      await eventually(() => traceSum(page)).toBeCloseTo(0.13125, 5);
      expect(await page.locator(`${W} [data-trace] td`).count()).toBe(25);
      expect(page.url()).toContain('conv.n=5');
      await agreed(page, backend);
      // The full map's readout names the real window: 5×5, 25 pixels outlined.
      await page
        .locator(`${W} [data-grid="full-output"] span[data-index="${10 * 28 + 10}"]`)
        .hover();
      await eventually(() => page.locator(`${W} [data-full-readout]`).innerText()).toMatch(
        /^Feature map row 10, column 10 = −?\d.*\(its 5×5 window is outlined on the input, padding included\)\.$/,
      );
      expect(await page.locator(`${W} [data-grid="full-input"] .is-window`).count()).toBe(25);
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });

    it('restores a shared link (kernel, bias, mode, step) and tolerates a garbage one', async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      await open(
        page,
        `backend=${backend}&conv.k=1,2,3,4,5,6,7,8,9&conv.b=0.5&conv.m=conv&conv.s=119`,
      );
      await agreed(page, backend);
      expect(await kcell(page, 0).inputValue()).toBe('1');
      expect(await kcell(page, 8).inputValue()).toBe('9');
      expect(await page.locator(`${W} [data-bias]`).inputValue()).toBe('0.5');
      expect(await page.getByLabel(/True convolution/).isChecked()).toBe(true);
      expect(await stepLabel(page)).toContain('Cell 119 of 196');
      expect(await traceSum(page)).toBeCloseTo(10.18075, 4);
      expect(await page.locator(`${W} [data-note]`).isHidden()).toBe(true);

      await open(page, `backend=${backend}&conv.k=abc&conv.s=-5&conv.m=%3Cscript%3E&conv.d=99`);
      await agreed(page, backend);
      const note = page.locator(`${W} [data-note]`);
      expect(await note.isVisible()).toBe(true);
      expect(await note.innerText()).toContain(
        'kernel must be 9 numbers (3×3, row by row), got 1.',
      );
      expect(await note.innerText()).toContain(
        'cell must be a whole number from 1 to 196, got -5.',
      );
      expect(await stepLabel(page)).toContain('Cell 1 of 196: output row 0, column 0');
      expect(await page.locator(W).getAttribute('data-kernel')).toBe('-1,0,1,-1,0,1,-1,0,1');
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });
  });
}

describe('convolution stepper inputs', () => {
  it("uses the reader's drawing and reads out the full feature map on hover", async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    await open(page, 'backend=wasm');
    await agreed(page, 'wasm');
    // Full map, MNIST 7 at (row 6, col 11) 0-based, read as the reference computes it.
    await page.locator(`${W} [data-grid="full-output"] span[data-index="${6 * 28 + 11}"]`).hover();
    await eventually(() => page.locator(`${W} [data-full-readout]`).innerText()).toMatch(
      /^Feature map row 6, column 11 = −?\d.*\(its 3×3 window is outlined on the input, padding included\)\.$/,
    );
    expect(await page.locator(`${W} [data-grid="full-input"] .is-window`).count()).toBe(9);

    await page.getByText('Draw a digit').click();
    const pad = page.getByLabel(/Drawing pad/);
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 20, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.locator(W).getAttribute('data-source')).toBe('drawn');
    expect(await page.getByLabel('Your drawing').isChecked()).toBe(true);
    await agreed(page, 'wasm');
    // A vertical stroke, centred: ink in the middle of row 14, paper at its left end. The full
    // input is drawn with its ring of padding, 30 cells a row: pixel (r, c) is cell (r + 1, c + 1).
    const bg = (i: number) =>
      page
        .locator(`${W} [data-grid="full-input"] span[data-index="${i}"]`)
        .evaluate((s) => (s as HTMLElement).style.background);
    expect(await bg(15 * 30 + 15)).not.toBe(await bg(15 * 30 + 2));
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  });
});

describe('convolution stepper uploads', () => {
  it('refuses a non-image with a clear message and uses a picture of a digit', async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    await open(page, 'backend=wasm');
    await agreed(page, 'wasm');
    const before = await page.locator(W).getAttribute('data-kernel');
    const upload = page.getByLabel('Or use a picture of a digit');
    await upload.setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a picture'),
    });
    const msg = page.locator(`${W} [data-upload-msg]`);
    await expect.poll(() => msg.innerText()).toContain('“notes.txt” is not an image');
    expect(await page.locator(W).getAttribute('data-kernel')).toBe(before);

    // A 600×400 photo-like picture: a dark "1" stroke on white paper, made by the browser.
    const png = await page.evaluate(async () => {
      const c = document.createElement('canvas');
      c.width = 600;
      c.height = 400;
      const g = c.getContext('2d')!;
      g.fillStyle = '#f4f1ea';
      g.fillRect(0, 0, 600, 400);
      g.fillStyle = '#202020';
      g.fillRect(280, 60, 40, 280);
      const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), 'image/png'));
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    });
    await upload.setInputFiles({
      name: 'one.png',
      mimeType: 'image/png',
      buffer: Buffer.from(png),
    });
    await expect.poll(() => msg.getAttribute('data-state')).toBe('ok');
    expect(await page.locator(W).getAttribute('data-source')).toBe('upload');
    await agreed(page, 'wasm');
    // The vertical bar, centred: the middle row of the full input has ink at the centre only.
    const ink = await page.evaluate(() =>
      Array.from(
        document.querySelectorAll<HTMLElement>('[data-grid="full-input"] span'),
        (s) => s.style.background,
      ),
    );
    expect(ink[14 * 28 + 14]).not.toBe(ink[14 * 28 + 2]);
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  });
});
