import { describe, expect, it } from 'vitest';
import {
  IMAGE_PIXELS,
  batchesOf,
  epochOrder,
  mulberry32,
  oneHot,
  parseMnistBin,
  toFloatBatch,
} from '../../../src/data/mnist.ts';
import { makeBin } from './fixtures.ts';

describe('parseMnistBin(buffer)', () => {
  it('returns train and test views with their labels and per-class counts', () => {
    const bin = makeBin([3, 1, 3], [9, 0]);
    const data = parseMnistBin(bin.buffer as ArrayBuffer);
    expect(data.imageSize).toBe(28);
    expect(data.seed).toBe(7);
    expect(data.train.count).toBe(3);
    expect(Array.from(data.train.labels)).toEqual([3, 1, 3]);
    expect(Array.from(data.test.labels)).toEqual([9, 0]);
    expect(data.train.perClass).toEqual([0, 1, 0, 2, 0, 0, 0, 0, 0, 0]);
    expect(data.train.images.length).toBe(3 * IMAGE_PIXELS);
    expect(data.test.images.length).toBe(2 * IMAGE_PIXELS);
    expect(data.test.images[0]).toBe(3); // image k = 3 starts with value 3
    expect(data.test.images[IMAGE_PIXELS + 5]).toBe(4 + 5);
  });

  it('throws "truncated" with expected and actual sizes for a cut-off file', () => {
    const bin = makeBin([1, 2], [3]);
    const cut = bin.slice(0, bin.length - 10);
    expect(() => parseMnistBin(cut)).toThrow(
      `mnist.bin is truncated: expected ${bin.length} bytes, got ${bin.length - 10}`,
    );
    expect(() => parseMnistBin(bin.slice(0, 20))).toThrow(
      'mnist.bin is truncated: expected at least 80 bytes (the header), got 20',
    );
    expect(() => parseMnistBin(new ArrayBuffer(0))).toThrow(/truncated/);
  });

  it('throws on a bad magic number', () => {
    const bin = makeBin([1], [2]);
    bin[0] = 'X'.charCodeAt(0);
    expect(() => parseMnistBin(bin)).toThrow('bad magic number: expected "CBMN", got "XBMN"');
  });

  it('throws on trailing bytes, bad labels, wrong per-class counts and unknown versions', () => {
    const bin = makeBin([1], [2]);
    const longer = new Uint8Array(bin.length + 3);
    longer.set(bin);
    expect(() => parseMnistBin(longer)).toThrow(/corrupt: .* \(3 extra\)/);
    const badLabel = bin.slice();
    badLabel[badLabel.length - 1] = 42;
    expect(() => parseMnistBin(badLabel)).toThrow('test label 0 is 42, expected 0–9');
    const badCount = bin.slice();
    badCount[28 + 2 * 1] = 0; // train count of digit 1
    expect(() => parseMnistBin(badCount)).toThrow(/train labels count .* header says/);
    const badVersion = bin.slice();
    badVersion[4] = 2;
    expect(() => parseMnistBin(badVersion)).toThrow('mnist.bin has version 2');
  });
});

describe('toFloatBatch(images, indices, out)', () => {
  it('gathers NCHW [B, 1, 28, 28] floats in [0, 1] in the order of indices', () => {
    const images = new Uint8Array(3 * IMAGE_PIXELS);
    images[0 * IMAGE_PIXELS + 10] = 255;
    images[2 * IMAGE_PIXELS + 783] = 51;
    const batch = toFloatBatch(images, [2, 0]);
    expect(batch.length).toBe(2 * IMAGE_PIXELS);
    expect(batch[783]).toBeCloseTo(0.2, 6);
    expect(batch[IMAGE_PIXELS + 10]).toBe(1);
    expect(batch.reduce((a, b) => a + b)).toBeCloseTo(1.2, 5);
  });

  it('fills and returns out, and rejects a wrong-sized out or a bad index', () => {
    const images = new Uint8Array(2 * IMAGE_PIXELS).fill(255);
    const out = new Float32Array(IMAGE_PIXELS).fill(-1);
    expect(toFloatBatch(images, [1], out)).toBe(out);
    expect(out.every((v) => v === 1)).toBe(true);
    expect(() => toFloatBatch(images, [0, 1], out)).toThrow(RangeError);
    expect(() => toFloatBatch(images, [2])).toThrow('index 2 is out of range for 2 examples');
  });
});

describe('oneHot(labels, indices)', () => {
  it('sets one 1 per row at the label', () => {
    const labels = Uint8Array.from([4, 0, 9]);
    const y = oneHot(labels, [2, 0, 1]);
    expect(Array.from(y)).toEqual([
      ...[0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      ...[0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
      ...[1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    expect(() => oneHot(labels, [3])).toThrow(RangeError);
  });
});

describe('epochOrder(count, seed, epoch)', () => {
  it('is a permutation that depends on seed and epoch only', () => {
    const a = epochOrder(100, 42, 0);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(epochOrder(100, 42, 0)).toEqual(a);
    expect(epochOrder(100, 42, 1)).not.toEqual(a);
    expect(epochOrder(100, 43, 0)).not.toEqual(a);
  });
});

describe('batchesOf(order, batchSize)', () => {
  it('cuts the order into batches, the last one shorter', () => {
    const sizes = [...batchesOf(epochOrder(10, 1, 0), 4)].map((b) => b.length);
    expect(sizes).toEqual([4, 4, 2]);
  });
});

describe('mulberry32(seed)', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const a = mulberry32(5);
    const b = mulberry32(5);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xs.reduce((s, x) => s + x) / 1000 - 0.5)).toBeLessThan(0.05);
  });
});
