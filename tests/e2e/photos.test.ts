/**
 * The photo widgets in a real Chromium. Lesson 1: a photo loads, its channels are drawn in their
 * own colours (the red channel's pixels are red, not ink grey), the parameter counts follow the
 * photo's size, the grid keys move the pointed pixel. Lesson 2: the kernels on a photo agree on
 * wasm and WebGPU, show the stepper's Sobel x, and a broken upload is refused with a clear message
 * while a good one is downscaled and used. Lesson 4: a filter over all three channels of the photo
 * agrees on both engines; each channel's share of the pointed pixel is recomputed here from the
 * photo's own pixels; editing weights (not only the bias) changes exactly the shares it should.
 *
 * Hand-computed: the cat is 85 × 128, so 85·128·3 = 32,640 numbers; a dense layer of 100 units
 * has 32,640·100 + 100 = 3,264,100 parameters and a 3 × 3 convolution of 100 filters
 * 3·3·3·100 + 100 = 2,800. The astronaut is 128 × 128: 49,152·100 + 100 = 4,915,300.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { watchPage } from './browser';
import { agreed, attr, chromiumPerFile, openWidget, W } from './widgets';

const browser = chromiumPerFile();
const CH = W('photo-channels');
const PK = W('photo-kernels');
const PF = W('photo-filter');

/** The RGB of pixel (row, col) of a widget canvas. */
const canvasPixel = (page: Page, selector: string, row: number, col: number) =>
  page
    .locator(selector)
    .evaluate(
      (c: HTMLCanvasElement, [r, q]) =>
        Array.from(c.getContext('2d')!.getImageData(q, r, 1, 1).data.slice(0, 3)),
      [row, col] as const,
    );

describe('lesson 1: a photo is three grids of numbers', () => {
  it('loads the cat, draws its channels in red, green and blue, counts parameters for its size', async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    await openWidget(page, 'images-are-grids-of-numbers', 'photo-channels', 'backend=wasm');
    await agreed(page, 'photo-channels', 'wasm');
    expect(await attr(page, 'photo-channels', 'photo')).toBe('chelsea');
    expect(await attr(page, 'photo-channels', 'size')).toBe('85x128');
    expect(await attr(page, 'photo-channels', 'dense')).toBe('3264100');
    expect(await attr(page, 'photo-channels', 'conv')).toBe('2800');
    expect(await page.locator(`${CH} [data-out="dense"]`).innerText()).toBe(
      '32,640 · 100 + 100 = 3,264,100',
    );

    // The pointed pixel: its numbers in the zoom, its colours on the channel canvases.
    const [row, col] = [
      Number(await attr(page, 'photo-channels', 'row')),
      Number(await attr(page, 'photo-channels', 'col')),
    ];
    expect([row, col]).toEqual([42, 64]);
    const rgb = await canvasPixel(page, `${CH} [data-canvas="rgb"]`, row, col);
    const red = await canvasPixel(page, `${CH} [data-canvas="red"]`, row, col);
    const green = await canvasPixel(page, `${CH} [data-canvas="green"]`, row, col);
    const blue = await canvasPixel(page, `${CH} [data-canvas="blue"]`, row, col);
    expect(red).toEqual([rgb[0], 0, 0]); // reddish: only red light, as much as the photo has
    expect(green).toEqual([0, rgb[1], 0]);
    expect(blue).toEqual([0, 0, rgb[2]]);
    expect(rgb[0]).toBeGreaterThan(40);
    expect(await page.locator(`${CH} [data-out="pixel"]`).innerText()).toBe(
      `Pixel row 42, column 64: red ${rgb[0]}, green ${rgb[1]}, blue ${rgb[2]}`,
    );
    const current = page.locator(`${CH} [data-zoom="red"] .is-current`);
    expect(await current.innerText()).toBe(String(rgb[0]));
    const px = await current.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px).toBeGreaterThanOrEqual(12);

    // The grid keys: → one pixel, ↓ one row.
    await page
      .getByRole('group', { name: /The photo and its red, green and blue channels/ })
      .focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => attr(page, 'photo-channels', 'col')).toBe('65');
    expect(await attr(page, 'photo-channels', 'row')).toBe('43');

    // Another photo, another size: the dense count follows it, the convolution's does not.
    await page.locator(`${CH} select[name="p"]`).selectOption('astronaut');
    await expect.poll(() => attr(page, 'photo-channels', 'size')).toBe('128x128');
    await agreed(page, 'photo-channels', 'wasm');
    expect(await attr(page, 'photo-channels', 'dense')).toBe('4915300');
    expect(await attr(page, 'photo-channels', 'conv')).toBe('2800');
    expect(page.url()).toContain('photo.p=astronaut');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  });
});

for (const backend of ['wasm', 'webgpu'] as const) {
  describe(`lesson 2: kernels on a photo, ?backend=${backend}`, () => {
    it('agrees on both engines, shows the stepper’s Sobel x and the multiply-add of a pointed pixel', async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      await openWidget(page, 'convolution-and-feature-maps', 'photo-kernels', `backend=${backend}`);
      await agreed(page, 'photo-kernels', backend);
      expect(await attr(page, 'photo-kernels', 'kernel')).toBe('sobel-x');
      const weights = await page.locator(`${PK} [data-grid="kernel"] span`).allInnerTexts();
      expect(weights).toEqual(['−1', '0', '1', '−2', '0', '2', '−1', '0', '1']);
      const sum = page.locator(`${PK} [data-out="sum"]`);
      expect(await sum.innerText()).toMatch(
        /^y\(42, 64\) = .*·\(−1\) \+ .*·0 \+ .*·1 \+ .*·\(−2\) .* = −?[\d.]+$/,
      );

      // ↑ one row; the written-out sum ends in the traced value.
      await page
        .getByRole('group', { name: /The gray photo, the kernel and the feature map/ })
        .focus();
      await page.keyboard.press('ArrowUp');
      await expect.poll(() => attr(page, 'photo-kernels', 'row')).toBe('41');
      const traced = Number(await attr(page, 'photo-kernels', 'trace-sum'));
      const written = String(Number(traced.toFixed(4))).replace('-', '−');
      expect((await sum.innerText()).endsWith(` = ${written}`)).toBe(true);

      // Another kernel is checked again on ORT.
      await page.locator(`${PK} select[name="k"]`).selectOption('blur');
      await expect.poll(() => attr(page, 'photo-kernels', 'kernel')).toBe('blur');
      await agreed(page, 'photo-kernels', backend);
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });
  });
}

for (const backend of ['wasm', 'webgpu'] as const) {
  describe(`lesson 4: one filter over the photo's three channels, ?backend=${backend}`, () => {
    it('agrees on both engines; the shares add up; edited weights and bias change what they should', async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      await openWidget(page, 'channels-and-filters', 'photo-filter', `backend=${backend}`);
      await agreed(page, 'photo-filter', backend);
      expect(await attr(page, 'photo-filter', 'filter')).toBe('red-not-green');
      const num = async (name: string) => Number(await attr(page, 'photo-filter', name));
      expect([await num('row'), await num('col')]).toEqual([42, 64]);
      // Red but not green, by hand from the photo's pixels: mean red − mean green of the window.
      const window = await page
        .locator(`${PF} [data-canvas="rgb"]`)
        .evaluate((c: HTMLCanvasElement) =>
          Array.from(c.getContext('2d')!.getImageData(63, 41, 3, 3).data),
        );
      let red = 0;
      let green = 0;
      for (let k = 0; k < 9; k++) {
        red += window[4 * k]! / 255 / 9;
        green -= window[4 * k + 1]! / 255 / 9;
      }
      expect(await num('part0')).toBeCloseTo(red, 5);
      expect(await num('part1')).toBeCloseTo(green, 5);
      expect(await num('part2')).toBe(0);
      expect(await num('y')).toBeCloseTo(red + green, 5);
      expect(await page.locator(`${PF} [data-out="sum"]`).innerText()).toMatch(
        /^y\(42, 64\) = red [\d.]+ \+ green −?[\d.]+ \+ blue 0 \+ bias 0 = −?[\d.]+$/,
      );

      // Sobel x on every channel, then zero the red and green kernels: only blue's share is left.
      await page.locator(`${PF} select[name="f"]`).selectOption('sobel-all');
      await agreed(page, 'photo-filter', backend);
      const blue = await num('part2');
      for (let i = 0; i < 18; i++) await page.locator(`${PF} input[name="w${i}"]`).fill('0');
      await expect.poll(() => attr(page, 'photo-filter', 'filter')).toBe('custom');
      await agreed(page, 'photo-filter', backend);
      expect([await num('part0'), await num('part1')]).toEqual([0, 0]);
      expect(await num('part2')).toBe(blue);
      expect(await num('y')).toBeCloseTo(blue, 5);
      expect(page.url()).toContain('filt.w=');

      // The bias moves every pixel of the feature map by itself, and no partial map.
      await page.locator(`${PF} input[name="b"]`).fill('0.5');
      await agreed(page, 'photo-filter', backend);
      expect(await num('part2')).toBe(blue);
      expect(await num('y')).toBeCloseTo(blue + 0.5, 5);
      // A weight out of range is refused with a message, and the figure keeps the last good one.
      await page.locator(`${PF} input[name="w20"]`).fill('12');
      await expect
        .poll(() => page.locator(`${PF} [data-error="w-blue"]`).innerText())
        .toMatch(/blue weight \(row 0, column 2\) must be between/);
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });
  });
}

describe('lesson 2: uploads', () => {
  it('refuses a broken file and a non-image with a clear message, and uses a good picture', async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    await openWidget(page, 'convolution-and-feature-maps', 'photo-kernels', 'backend=wasm');
    await agreed(page, 'photo-kernels', 'wasm');
    const upload = page.getByLabel('Or use your own picture');
    const msg = page.locator(`${PK} [data-upload-msg]`);

    await upload.setInputFiles({
      name: 'broken.png',
      mimeType: 'image/png',
      buffer: Buffer.from('not a png at all'),
    });
    await expect
      .poll(() => msg.innerText())
      .toBe(
        'That file could not be used: it could not be read as an image (is it damaged, or in another format?)',
      );
    expect(await attr(page, 'photo-kernels', 'upload')).toBe('refused');
    expect(await attr(page, 'photo-kernels', 'photo')).toBe('chelsea');

    await upload.setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello'),
    });
    await expect.poll(() => msg.innerText()).toContain('“notes.txt” is not an image');

    // A 600 × 400 picture made by the browser: white left half, black right half.
    const png = await page.evaluate(async () => {
      const c = document.createElement('canvas');
      c.width = 600;
      c.height = 400;
      const g = c.getContext('2d')!;
      g.fillStyle = '#fff';
      g.fillRect(0, 0, 300, 400);
      g.fillStyle = '#000';
      g.fillRect(300, 0, 300, 400);
      const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), 'image/png'));
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    });
    await upload.setInputFiles({
      name: 'half.png',
      mimeType: 'image/png',
      buffer: Buffer.from(png),
    });
    await expect.poll(() => attr(page, 'photo-kernels', 'photo')).toBe('upload:3');
    expect(await msg.innerText()).toContain('128 × 85 pixels (downscaled from 600 × 400)');
    expect(await attr(page, 'photo-kernels', 'upload')).toBe('ok');
    await agreed(page, 'photo-kernels', 'wasm');
    // Sobel x on white | black: strongly negative at the boundary, 0 on the flat white.
    await page
      .getByRole('group', { name: /The gray photo, the kernel and the feature map/ })
      .focus();
    await page.keyboard.press('ArrowLeft'); // column 63: its window spans columns 62–64, white | black
    await expect.poll(() => attr(page, 'photo-kernels', 'col')).toBe('63');
    expect(Number(await attr(page, 'photo-kernels', 'trace-sum'))).toBeLessThan(-1);
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  });
});
