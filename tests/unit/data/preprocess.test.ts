import { describe, expect, it } from 'vitest';
import {
  MAX_IMAGE_PIXELS,
  createDownscaler,
  downscaleImage,
  inkMap,
  preprocessDigit,
} from '../../../src/data/preprocess.ts';
import { areaSpans, resampleArea } from '../../../src/data/resample.ts';

const W = 280;

/** Bounding box (of values > 0.01) and centre of mass of a 28×28 image, computed independently. */
function measure(image: Float32Array) {
  let x0 = 28;
  let y0 = 28;
  let x1 = -1;
  let y1 = -1;
  let m = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = image[y * 28 + x];
      m += v;
      mx += (x + 0.5) * v;
      my += (y + 0.5) * v;
      if (v > 0.01) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  return { width: x1 - x0 + 1, height: y1 - y0 + 1, cx: mx / m, cy: my / m };
}

/** A 280×280 gray canvas (ink = 1) with a ring near the top-left corner. */
function ringCanvas(): Float32Array {
  const px = new Float32Array(W * W);
  for (let y = 0; y < W; y++) {
    for (let x = 0; x < W; x++) {
      const r = Math.hypot(x + 0.5 - 60, y + 0.5 - 70);
      if (r >= 32 && r <= 50) px[y * W + x] = 1;
    }
  }
  return px;
}

/** A 280×280 RGBA canvas: opaque white with a thick black '1' (stem and flag), off to the right. */
function oneCanvas(): Uint8ClampedArray {
  const px = new Uint8ClampedArray(W * W * 4).fill(255);
  const ink = (x: number, y: number) => px.fill(0, 4 * (y * W + x), 4 * (y * W + x) + 3);
  for (let y = 30; y < 250; y++) for (let x = 210; x < 236; x++) ink(x, y);
  for (let k = 0; k < 40; k++)
    for (let t = 0; t < 14; t++) ink(210 - k + t, 30 + Math.floor(k / 2) + 10);
  return px;
}

describe('preprocessDigit(pixels, width, height)', () => {
  it('scales a ring in the corner to a 20 px box with its centre of mass at (14, 14)', () => {
    const result = preprocessDigit(ringCanvas(), W, W);
    if (result.empty) throw new Error('expected ink');
    expect(result.box).toEqual({ x: 10, y: 20, width: 100, height: 100 });
    const m = measure(result.image);
    expect(Math.max(m.width, m.height)).toBeGreaterThanOrEqual(19);
    expect(Math.max(m.width, m.height)).toBeLessThanOrEqual(21);
    expect(Math.abs(m.cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(m.cy - 14)).toBeLessThanOrEqual(0.5);
    expect(result.centerOfMass.x).toBeCloseTo(m.cx, 4);
    expect(Math.max(...result.image)).toBe(1);
    expect(Math.min(...result.image)).toBe(0);
  });

  it('keeps the aspect ratio of a tall black "1" on white RGBA, centred by mass', () => {
    const result = preprocessDigit(oneCanvas(), W, W);
    if (result.empty) throw new Error('expected ink');
    const m = measure(result.image);
    expect(m.height).toBe(20);
    expect(m.width).toBeGreaterThanOrEqual(5);
    expect(m.width).toBeLessThanOrEqual(7);
    expect(Math.abs(m.cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(m.cy - 14)).toBeLessThanOrEqual(0.5);
    // Ink is high: the stem's middle is bright, the corners are background.
    expect(result.image[0]).toBe(0);
    expect(Math.max(...result.image)).toBe(1);
  });

  it('returns { empty: true } for an empty canvas', () => {
    expect(preprocessDigit(new Float32Array(W * W), W, W)).toEqual({ empty: true });
    expect(preprocessDigit(new Uint8ClampedArray(W * W * 4), W, W)).toEqual({ empty: true });
    expect(preprocessDigit(new Uint8ClampedArray(W * W * 4).fill(255), W, W)).toEqual({
      empty: true,
    });
  });

  it('gives the same result for dark ink on light gray as for light ink on black', () => {
    const light = ringCanvas();
    const dark = light.map((v) => 1 - v);
    const a = preprocessDigit(light, W, W);
    const b = preprocessDigit(dark, W, W);
    if (a.empty || b.empty) throw new Error('expected ink');
    expect(Array.from(b.image)).toEqual(Array.from(a.image));
  });

  it('rejects pixel arrays that match neither gray nor RGBA', () => {
    expect(() => preprocessDigit(new Float32Array(10), 3, 3)).toThrow(
      'a 3×3 image needs 9 gray or 36 RGBA values, got 10',
    );
  });
});

describe('inkMap(pixels, width, height, ink)', () => {
  it('reads gray and RGBA pixels with each polarity', () => {
    const gray = Uint8Array.from([0, 255, 51, 0]);
    const close = (a: Float32Array, b: number[]) =>
      b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 6));
    close(inkMap(gray, 2, 2, 'light'), [0, 1, 0.2, 0]);
    close(inkMap(gray, 2, 2, 'dark'), [1, 0, 0.8, 1]);
    close(inkMap(gray, 2, 2, 'auto'), [0, 1, 0.2, 0]); // dark border: light ink
    // Transparent border: ink is whatever is opaque, whatever its colour.
    const rgba = new Uint8ClampedArray(3 * 3 * 4);
    rgba.set([255, 255, 255, 255], 4 * 4); // opaque white in the middle
    expect(inkMap(rgba, 3, 3, 'auto')[4]).toBe(1);
    expect(inkMap(rgba, 3, 3, 'auto')[0]).toBe(0);
  });
});

describe('downscaleImage(rgba, width, height, maxSide)', () => {
  it('area-averages to the requested larger side, keeping the aspect ratio', () => {
    const w = 2000;
    const h = 1000;
    const rgba = new Uint8ClampedArray(w * h * 4).fill(255);
    for (let y = 0; y < h; y++) rgba.fill(0, 4 * y * w, 4 * (y * w + w / 2)); // left half black…
    for (let y = 0; y < h; y++) for (let x = 0; x < w / 2; x++) rgba[4 * (y * w + x) + 3] = 255;
    const out = downscaleImage(rgba, w, h, 28);
    expect(out.width).toBe(28);
    expect(out.height).toBe(14);
    expect(out.data[0]).toBeCloseTo(0, 6);
    expect(out.data[13]).toBeCloseTo(0, 6);
    expect(out.data[14]).toBeCloseTo(1, 6);
    expect(out.data[14 * 28 - 1]).toBeCloseTo(1, 6);
  });

  it('composites transparent pixels over white', () => {
    const out = downscaleImage(new Uint8ClampedArray(10 * 10 * 4), 10, 10, 5);
    expect(Array.from(out.data)).toEqual(new Array(25).fill(1));
  });

  it('rejects absurd sizes before touching the pixels', () => {
    expect(() => downscaleImage(new Uint8ClampedArray(4), 20_000, 20_000, 28)).toThrow(
      'image is too large: 20000×20000 (400.0 megapixels); the limit is 100 megapixels and 32768 px a side',
    );
    expect(() => downscaleImage(new Uint8ClampedArray(4), 40_000, 10, 28)).toThrow(/too large/);
    expect(MAX_IMAGE_PIXELS).toBe(100_000_000);
  });

  it('feeds a large photo of a dark digit through to preprocessDigit', () => {
    const w = 4000;
    const h = 3000; // 12 megapixels
    const d = createDownscaler(w, h, 280);
    const strip = new Uint8ClampedArray(w * 100 * 4);
    for (let y0 = 0; y0 < h; y0 += 100) {
      strip.fill(230); // grey paper, opaque (alpha 230 over white: a light grey)
      for (let y = y0; y < y0 + 100; y++) {
        if (y < 600 || y >= 2400) continue;
        for (let x = 2600; x < 2900; x++)
          strip.fill(20, 4 * ((y - y0) * w + x), 4 * ((y - y0) * w + x) + 3);
      }
      d.addRows(strip);
    }
    const gray = d.finish();
    expect([gray.width, gray.height]).toEqual([280, 210]);
    const result = preprocessDigit(gray.data, gray.width, gray.height);
    if (result.empty) throw new Error('expected ink');
    const m = measure(result.image);
    expect(m.height).toBe(20);
    expect(Math.abs(m.cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(m.cy - 14)).toBeLessThanOrEqual(0.5);
  });
});

describe('resampleArea(src, w, h, dw, dh)', () => {
  it('averages by exact overlap', () => {
    expect(Array.from(resampleArea([1, 2, 3, 4], 4, 1, 2, 1))).toEqual([1.5, 3.5]);
    const [a, b] = resampleArea([3, 6, 9], 3, 1, 2, 1);
    expect(a).toBeCloseTo((2 / 3) * 3 + (1 / 3) * 6, 6);
    expect(b).toBeCloseTo((1 / 3) * 6 + (2 / 3) * 9, 6);
    expect(Array.from(resampleArea([5, 7], 1, 2, 2, 4))).toEqual([5, 5, 5, 5, 7, 7, 7, 7]);
  });

  it('areaSpans weights sum to 1 per destination cell', () => {
    const { dst, weight } = areaSpans(280, 20);
    const sums = new Array(20).fill(0);
    dst.forEach((j, k) => (sums[j] += weight[k]));
    for (const s of sums) expect(s).toBeCloseTo(1, 9);
  });
});
