import { describe, expect, test } from 'vitest';
import { checkFinite } from '../../../src/cnn/check.ts';
import { glorotUniform, heNormal } from '../../../src/cnn/init.ts';
import { createRng } from '../../../src/cnn/random.ts';
import { fromNested, reshape, tensor, toNested } from '../../../src/cnn/tensor.ts';

describe('tensors', () => {
  test('fromNested([[1, 2], [3, 4]]) infers shape [2, 2]', () => {
    const t = fromNested([
      [1, 2],
      [3, 4],
    ]);
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4]);
    expect(fromNested(5).shape).toEqual([]);
    expect(fromNested([[[[1]]]]).shape).toEqual([1, 1, 1, 1]);
  });
  test('toNested(fromNested(a)) gives a back', () => {
    const a = [[[1, 2, 3]], [[4, 5, 6]]];
    expect(toNested(fromNested(a))).toEqual(a);
  });
  test('fromNested refuses ragged arrays, naming where', () => {
    expect(() => fromNested([[1, 2], [3]])).toThrow(
      'fromNested: expected 2 entries at root[1] (shape [2, 2]), got 1 entries',
    );
    expect(() => fromNested([1, [2]] as never)).toThrow(/expected a number at root\[1\]/);
  });
  test('reshape(t, shape) refuses a different size', () => {
    expect(() => reshape(tensor([2, 3]), [4, 2])).toThrow(
      'reshape: cannot view [2, 3] (6 values) as [4, 2] (8 values)',
    );
  });
  test('checkFinite(t, what) names NaN and Infinity and where they are', () => {
    expect(() => checkFinite(tensor([2, 2], [0, 1, NaN, 3]), 'image')).toThrow(
      'image contains NaN at flat index 2 (shape [2, 2]); inputs must be finite numbers',
    );
    expect(() => checkFinite(tensor([1], [-Infinity]), 'x')).toThrow(/contains -Infinity/);
    expect(() => checkFinite(tensor([2], [0, 1]), 'x')).not.toThrow();
  });
});

describe('random numbers', () => {
  test('createRng(seed).uniform() is mulberry32 (checked against the reference algorithm)', () => {
    // the published mulberry32, written out independently
    function mulberry32(a: number) {
      return () => {
        let t = (a += 0x6d2b79f5);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }
    for (const seed of [0, 1, 123456789]) {
      const ours = createRng(seed);
      const ref = mulberry32(seed);
      for (let k = 0; k < 100; k++) expect(ours.uniform()).toBe(ref());
    }
  });
  test('createRng(seed).normal() has mean ≈ 0 and variance ≈ 1', () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 20000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
  });
  test('heNormal(shape, fanIn, seed) has standard deviation sqrt(2 / fanIn)', () => {
    const w = heNormal([200, 50], 50, 1);
    const variance = w.data.reduce((a, b) => a + b * b, 0) / w.data.length;
    expect(Math.sqrt(variance)).toBeCloseTo(Math.sqrt(2 / 50), 2);
    expect(heNormal([10], 5, 9).data).toEqual(heNormal([10], 5, 9).data);
  });
  test('glorotUniform(shape, fanIn, fanOut, seed) stays within ±sqrt(6 / (fanIn + fanOut))', () => {
    const w = glorotUniform([100, 100], 30, 20, 2);
    const limit = Math.sqrt(6 / 50);
    expect(Math.max(...w.data.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...w.data.map(Math.abs))).toBeGreaterThan(0.95 * limit);
  });
});
