import { describe, expect, it } from 'vitest';
import {
  affineImage,
  augmentBatch,
  augmentDraws,
  mulberry32,
  randomAffine,
  randomShift,
  shiftImage,
} from '../../../src/data/mnist.ts';

const at = (img: Float32Array, x: number, y: number) => img[y * 28 + x];

/** A known pattern: pixel (x, y) = 1 + x + 28·y (every cell distinct and non-zero). */
function pattern(): Float32Array {
  return Float32Array.from({ length: 784 }, (_, i) => 1 + i);
}

describe('shiftImage(image, dx, dy)', () => {
  it('moves content by (1, −2): one right, two up, zeros shifted in', () => {
    const src = pattern();
    const out = shiftImage(src, 1, -2);
    expect(at(out, 5, 7)).toBe(at(src, 4, 9));
    expect(at(out, 1, 0)).toBe(at(src, 0, 2));
    expect(at(out, 27, 25)).toBe(at(src, 26, 27));
    for (let y = 0; y < 28; y++) expect(at(out, 0, y)).toBe(0); // left column came from outside
    for (let x = 0; x < 28; x++) {
      expect(at(out, x, 26)).toBe(0); // bottom two rows came from outside
      expect(at(out, x, 27)).toBe(0);
    }
    expect(out.filter((v) => v !== 0).length).toBe(27 * 26);
    expect(src).toEqual(pattern()); // input untouched
  });

  it('rejects fractional shifts', () => {
    expect(() => shiftImage(pattern(), 0.5, 0)).toThrow(RangeError);
  });
});

describe('randomShift(batch, maxShift, rng)', () => {
  it('draws dx then dy per image as floor(r·(2m+1)) − m', () => {
    const draws = [0.7, 0.1, 0.5, 0.5]; // image 0: (1, −2); image 1: (0, 0)
    const rng = () => draws.shift()!;
    const batch = new Float32Array(2 * 784);
    batch.set(pattern(), 0);
    batch.set(pattern(), 784);
    const out = randomShift(batch, 2, rng);
    expect(out.subarray(0, 784)).toEqual(shiftImage(pattern(), 1, -2));
    expect(out.subarray(784)).toEqual(pattern());
    expect(batch.subarray(0, 784)).toEqual(pattern());
  });

  it('keeps every shift within ±maxShift', () => {
    const dot = new Float32Array(784);
    dot[14 * 28 + 14] = 1;
    const batch = new Float32Array(200 * 784);
    for (let k = 0; k < 200; k++) batch.set(dot, k * 784);
    const out = randomShift(batch, 2, mulberry32(3));
    const seen = new Set<string>();
    for (let k = 0; k < 200; k++) {
      const i = out.subarray(k * 784, (k + 1) * 784).indexOf(1);
      const dx = (i % 28) - 14;
      const dy = Math.floor(i / 28) - 14;
      expect(Math.max(Math.abs(dx), Math.abs(dy))).toBeLessThanOrEqual(2);
      seen.add(`${dx},${dy}`);
    }
    expect(seen.size).toBe(25);
  });
});

describe('affineImage(image, affine)', () => {
  it('is the identity for angle 0, scale 1, no shift', () => {
    const src = pattern();
    expect(affineImage(src, {})).toEqual(src);
  });

  it('equals shiftImage for whole-pixel shifts', () => {
    const src = pattern();
    const a = affineImage(src, { dx: 1, dy: -2 });
    const b = shiftImage(src, 1, -2);
    for (let i = 0; i < 784; i++) expect(a[i]).toBeCloseTo(b[i], 3);
  });

  it('turns a quarter turn counter-clockwise on screen', () => {
    const src = new Float32Array(784);
    src[14 * 28 + 20] = 1; // a dot right of centre
    const out = affineImage(src, { angle: Math.PI / 2 });
    // Counter-clockwise on screen (y down): right of centre goes to above centre.
    expect(out[7 * 28 + 14]).toBeCloseTo(1, 5);
    expect(out.reduce((s, v) => s + v)).toBeCloseTo(1, 5);
  });

  it('scales about the frame centre', () => {
    const src = new Float32Array(784);
    src[14 * 28 + 18] = 1; // centre (18.5, 14.5): 4.5 px right of and 0.5 px below (14, 14)
    const out = affineImage(src, { scale: 3 });
    // Three times as far: centre (27.5, 15.5), i.e. cell (27, 15); its neighbour interpolates.
    expect(out[15 * 28 + 27]).toBeCloseTo(1, 5);
    expect(out[15 * 28 + 26]).toBeCloseTo(2 / 3, 5);
    expect(out[14 * 28 + 18]).toBe(0);
  });
});

describe('randomAffine(batch, rng, options)', () => {
  it('leaves the input alone and keeps values in range', () => {
    const batch = new Float32Array(3 * 784).fill(0);
    for (let k = 0; k < 3; k++) batch.fill(1, k * 784 + 10 * 28, k * 784 + 18 * 28);
    const copy = batch.slice();
    const out = randomAffine(batch, mulberry32(1));
    expect(batch).toEqual(copy);
    expect(out.every((v) => v >= 0 && v <= 1 + 1e-6)).toBe(true);
    expect(out).not.toEqual(batch);
    const zero = randomAffine(batch, mulberry32(1), { maxAngle: 0, maxScale: 0, maxShift: 0 });
    expect(zero).toEqual(batch);
  });
});

describe('augmentDraws(n, aug, rng) / augmentBatch(batch, aug, rng)', () => {
  const two = () => {
    const b = new Float32Array(2 * 784);
    b.set(pattern());
    b.set(
      pattern().map((v) => v / 2),
      784,
    );
    return b;
  };
  it('shift only: whole-pixel draws, the same pixels as randomShift', () => {
    const aug = { shift: 2, rotate: 0, scale: 0 };
    const draws = augmentDraws(2, aug, mulberry32(4));
    for (const d of draws) {
      expect(d.kind).toBe('shift');
      if (d.kind !== 'shift') continue;
      expect(Number.isInteger(d.dx) && Math.abs(d.dx) <= 2).toBe(true);
      expect(Number.isInteger(d.dy) && Math.abs(d.dy) <= 2).toBe(true);
    }
    const got = augmentBatch(two(), aug, mulberry32(4));
    expect(Array.from(got)).toEqual(Array.from(randomShift(two(), 2, mulberry32(4))));
    // and each image is shiftImage of its own draw
    const d0 = draws[0]! as { dx: number; dy: number };
    expect(Array.from(got.subarray(0, 784))).toEqual(
      Array.from(shiftImage(pattern(), d0.dx, d0.dy)),
    );
  });
  it('rotation or scale on: affine draws within range, the same pixels as randomAffine', () => {
    const aug = { shift: 1.5, rotate: 10, scale: 0.1 };
    const draws = augmentDraws(2, aug, mulberry32(8));
    for (const d of draws) {
      if (d.kind !== 'affine') throw new Error(`expected an affine draw, got ${d.kind}`);
      expect(Math.abs(d.angle)).toBeLessThanOrEqual((10 * Math.PI) / 180);
      expect(Math.abs(d.scale - 1)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(d.dx)).toBeLessThanOrEqual(1.5);
    }
    const want = randomAffine(two(), mulberry32(8), {
      maxAngle: (10 * Math.PI) / 180,
      maxScale: 0.1,
      maxShift: 1.5,
    });
    expect(Array.from(augmentBatch(two(), aug, mulberry32(8)))).toEqual(Array.from(want));
  });
  it('everything off: no draws and the batch itself back', () => {
    const b = two();
    const off = { shift: 0, rotate: 0, scale: 0 };
    expect(augmentDraws(2, off, mulberry32(1))).toEqual([{ kind: 'none' }, { kind: 'none' }]);
    expect(augmentBatch(b, off, mulberry32(1))).toBe(b);
  });
});
