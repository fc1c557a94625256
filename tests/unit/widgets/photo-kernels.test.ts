import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../../src/widgets/conv-stepper/kernels';
import { kernelById, PHOTO_KERNELS, TO_GRAY } from '../../../src/widgets/photo-kernels/kernels';
import { checkUpload, MAX_FILE_BYTES } from '../../../src/widgets/shared/upload-check';
import {
  computeKernels,
  initialKernels,
  kernelsParams,
  pixelTrace,
  reduceKernels,
  signedScale,
  traceLine,
} from '../../../src/widgets/photo-kernels/state';
import type { KernelsState } from '../../../src/widgets/photo-kernels/state';
import type { Photo } from '../../../src/widgets/shared/photos';

const solid = (key: string, w: number, h: number, rgb: [number, number, number]): Photo => ({
  key,
  width: w,
  height: h,
  rgb: Uint8ClampedArray.from({ length: 3 * w * h }, (_, k) => rgb[k % 3]),
});

describe('the photo kernels', () => {
  it('Sobel x, Sobel y and Sharpen are exactly the stepper’s (one Sobel in the course)', () => {
    for (const id of ['sobel-x', 'sobel-y', 'sharpen'])
      expect(kernelById(id).values).toEqual(PRESETS.find((p) => p.id === id)!.values);
    expect(kernelById('sobel-x').values).toEqual([-1, 0, 1, -2, 0, 2, -1, 0, 1]);
  });
  it('signed kernels add up to 0, gray ones to 1', () => {
    for (const k of PHOTO_KERNELS) {
      const sum = k.values.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(k.scale === 'signed' ? 0 : 1, 12);
    }
  });
  it('the gray weights add up to 1', () => {
    expect(TO_GRAY.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('computeKernels(state) and pixelTrace(state, result)', () => {
  it('a white 3 × 3 photo: gray 1 everywhere; Sobel x 4 / 0 / −4 across the middle row, 3 in the corner', () => {
    // Padding is 0, the photo 1: at (1, 0) the left column is padding, the right column 1·1 + 1·2 + 1·1.
    // At (0, 0) the top row is padding too: 1·2 + 1·1 = 3.
    const s = initialKernels(solid('chelsea', 3, 3, [255, 255, 255]), 'sobel-x');
    const r = computeKernels(s);
    expect(Array.from(r.gray.data)).toEqual(
      Array(9)
        .fill(1)
        .map(() => expect.closeTo(1, 6)),
    );
    expect(r.y.data[3]).toBeCloseTo(4, 5);
    expect(r.y.data[4]).toBeCloseTo(0, 5);
    expect(r.y.data[5]).toBeCloseTo(-4, 5);
    expect(r.y.data[0]).toBeCloseTo(3, 5);
    const t = pixelTrace({ ...s, cursor: 3 }, r);
    expect([t.row, t.col]).toEqual([1, 0]);
    expect(t.terms.filter((x) => x.inPadding)).toHaveLength(3);
    expect(traceLine(t)).toBe(
      'y(1, 0) = 0·(−1) + 1·0 + 1·1 + 0·(−2) + 1·0 + 1·2 + 0·(−1) + 1·0 + 1·1 = 4',
    );
  });
  it('pure red (255, 0, 0) is gray 0.299; the blur keeps a flat inside pixel', () => {
    const s = initialKernels(solid('coffee', 3, 3, [255, 0, 0]), 'blur');
    const r = computeKernels(s);
    expect(r.gray.data[4]).toBeCloseTo(0.299, 6);
    expect(r.y.data[4]).toBeCloseTo(0.299, 6);
    // Corner: only the 2 × 2 inside taps, weights (4 + 2 + 2 + 1)/16 = 9/16.
    expect(r.y.data[0]).toBeCloseTo((0.299 * 9) / 16, 6);
  });
});

describe('reduceKernels(state, action)', () => {
  const s0 = (): KernelsState => initialKernels(solid('chelsea', 4, 3, [0, 0, 0]), 'sobel-x');
  it('moves the pointed pixel with the grid keys and clamps a pointed index', () => {
    let s = s0(); // row 1, column 2 → 6
    expect(s.cursor).toBe(6);
    s = reduceKernels(s, { kind: 'key', key: 'ArrowLeft' });
    expect(s.cursor).toBe(5);
    s = reduceKernels(s, { kind: 'key', key: 'ArrowUp' });
    expect(s.cursor).toBe(1);
    expect(reduceKernels(s, { kind: 'key', key: 'End' }).cursor).toBe(11);
    expect(reduceKernels(s, { kind: 'point', index: -5 }).cursor).toBe(0);
  });
  it('switches kernel; an unknown kernel changes nothing', () => {
    const s = reduceKernels(s0(), { kind: 'kernel', id: 'emboss' });
    expect(s.kernel).toBe('emboss');
    expect(reduceKernels(s, { kind: 'kernel', id: 'magic' })).toBe(s);
  });
  it('an upload gets its own key; a refused one keeps the photo on screen and says why', () => {
    let s = reduceKernels(s0(), { kind: 'uploading', name: 'me.jpg' });
    expect(s.want).toBe('upload:1');
    expect(s.message).toEqual({ text: 'Reading “me.jpg”…', bad: false });
    // The shipped photo the reader picked before the upload finished is superseded.
    expect(reduceKernels(s, { kind: 'loaded', photo: solid('coffee', 2, 2, [0, 0, 0]) })).toBe(s);
    const refused = reduceKernels(s, { kind: 'failed', message: 'broken' });
    expect(refused.want).toBe('chelsea');
    expect(refused.message).toEqual({ text: 'broken', bad: true });
    s = reduceKernels(s, {
      kind: 'loaded',
      photo: solid('upload:1', 2, 2, [0, 0, 0]),
      note: 'yours',
    });
    expect(s.photo.key).toBe('upload:1');
    expect(s.cursor).toBe(3); // row min(1, 1), column min(2, 1)
    expect(kernelsParams(s)).toEqual({ p: undefined, k: undefined }); // an upload is never linked
    expect(
      kernelsParams({ ...s0(), photo: solid('coffee', 1, 1, [0, 0, 0]), kernel: 'blur' }),
    ).toEqual({
      p: 'coffee',
      k: 'blur',
    });
  });
});

describe('checkUpload(type, name, bytes)', () => {
  it('refuses what is not an image, an empty file and one over the limit; accepts a photo', () => {
    expect(checkUpload('text/plain', 'notes.txt', 10)).toMatch(/“notes.txt” is not an image/);
    expect(checkUpload('image/png', 'x.png', 0)).toMatch(/is empty/);
    expect(checkUpload('image/jpeg', 'big.jpg', MAX_FILE_BYTES + 1)).toMatch(
      /“big.jpg” is 25\.0 MB; the limit is 25 MB/,
    );
    expect(checkUpload('image/jpeg', 'me.jpg', 3_000_000)).toBeNull();
  });
});

describe('signedScale(y, width, height)', () => {
  it('is the 99th percentile of |y| inside the border ring, ignoring the ring', () => {
    // 4 × 4: ring 100 (padding meets the photo), inside 1, −2, 3, −4 → sorted 1 2 3 4, index ⌊0.99·3⌋ = 2.
    const y = [100, 100, 100, 100, 100, 1, -2, 100, 100, 3, -4, 100, 100, 100, 100, 100];
    expect(signedScale(y, 4, 4)).toBe(3);
    expect(signedScale([0, 0, 0, 0], 2, 2)).toBe(1e-6); // no inside, all 0: never a zero scale
  });
});
