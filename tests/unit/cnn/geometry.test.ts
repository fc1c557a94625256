import { describe, expect, test } from 'vitest';
import { convGeometry } from '../../../src/cnn/geometry.ts';

describe('convGeometry', () => {
  test('convGeometry({inputShape: [64, 1, 28, 28], kernelShape: [5, 5]}) is the tutorial conv: 24×24', () => {
    const g = convGeometry({ inputShape: [64, 1, 28, 28], kernelShape: [5, 5] });
    expect(g).toEqual({
      batch: 64,
      inChannels: 1,
      inHeight: 28,
      inWidth: 28,
      kernelHeight: 5,
      kernelWidth: 5,
      strideHeight: 1,
      strideWidth: 1,
      dilationHeight: 1,
      dilationWidth: 1,
      effectiveKernelHeight: 5,
      effectiveKernelWidth: 5,
      pads: [0, 0, 0, 0],
      outHeight: 24,
      outWidth: 24,
    });
  });

  test('convGeometry with strides 2 and symmetric pads 1: floor((7 + 2 − 3) / 2) + 1 = 4', () => {
    const g = convGeometry({ inputShape: [1, 1, 7, 7], kernelShape: 3, strides: 2, pads: 1 });
    expect([g.outHeight, g.outWidth, ...g.pads]).toEqual([4, 4, 1, 1, 1, 1]);
  });

  test('convGeometry with asymmetric pads [top 1, left 0, bottom 2, right 3] (ONNX order)', () => {
    // height: 5 + 1 + 2 − 3 = 5 → 6 rows; width: 5 + 0 + 3 − 3 = 5 → 6 cols with stride 1
    const g = convGeometry({ inputShape: [1, 1, 5, 5], kernelShape: [3, 3], pads: [1, 0, 2, 3] });
    expect(g.pads).toEqual([1, 0, 2, 3]);
    expect([g.outHeight, g.outWidth]).toEqual([6, 6]);
  });

  test('convGeometry with dilations 2: effective kernel 2·(3 − 1) + 1 = 5', () => {
    const g = convGeometry({ inputShape: [1, 1, 9, 10], kernelShape: [3, 3], dilations: [2, 2] });
    expect([g.effectiveKernelHeight, g.effectiveKernelWidth]).toEqual([5, 5]);
    expect([g.outHeight, g.outWidth]).toEqual([5, 6]);
  });

  test("convGeometry pads 'same' is SAME_UPPER: the odd pixel goes to the end", () => {
    // in 4, kernel 2, stride 1: out 4, total pad 1 → top/left 0, bottom/right 1
    const g = convGeometry({ inputShape: [1, 1, 4, 4], kernelShape: [2, 2], pads: 'same' });
    expect(g.pads).toEqual([0, 0, 1, 1]);
    expect([g.outHeight, g.outWidth]).toEqual([4, 4]);
  });

  test("convGeometry pads 'same' with stride 2 gives ceil(in / stride)", () => {
    // in 5: out 3, total = (3 − 1)·2 + 3 − 5 = 2 → [1, 1]; in 6: out 3, total = 4 + 3 − 6 = 1 → [0, 1]
    const g = convGeometry({ inputShape: [1, 1, 5, 6], kernelShape: 3, strides: 2, pads: 'same' });
    expect(g.pads).toEqual([1, 0, 1, 1]);
    expect([g.outHeight, g.outWidth]).toEqual([3, 3]);
  });

  test("convGeometry pads 'same' with a dilated kernel pads for the effective size", () => {
    // kernel 3, dilation 2 → effective 5, in 7, stride 1: total 4 → [2, 2]
    const g = convGeometry({
      inputShape: [1, 1, 7, 7],
      kernelShape: 3,
      dilations: 2,
      pads: 'same',
    });
    expect(g.pads).toEqual([2, 2, 2, 2]);
    expect(g.outHeight).toBe(7);
  });

  test("convGeometry pads 'valid' means no padding", () => {
    const g = convGeometry({ inputShape: [1, 1, 6, 6], kernelShape: 3, strides: 2, pads: 'valid' });
    expect(g.pads).toEqual([0, 0, 0, 0]);
    expect(g.outHeight).toBe(2); // floor(3 / 2) + 1
  });

  test('convGeometry refuses a stride of 0, naming the argument, the value and the rule', () => {
    expect(() =>
      convGeometry({ op: 'conv2d', inputShape: [1, 1, 8, 8], kernelShape: 3, strides: [0, 1] }),
    ).toThrow('conv2d: stride must be a positive integer, got 0 (strides [0, 1])');
    expect(() => convGeometry({ inputShape: [1, 1, 8, 8], kernelShape: 3, strides: 1.5 })).toThrow(
      /stride must be a positive integer, got 1\.5/,
    );
  });

  test('convGeometry refuses a dilated kernel wider than the padded input', () => {
    expect(() =>
      convGeometry({ op: 'conv2d', inputShape: [1, 1, 8, 8], kernelShape: 5, dilations: 2 }),
    ).toThrow(
      'conv2d: kernel 5×5 with dilation 2 spans 9 px but the padded input is 8 px (height: input 8 + pads 0 + 0, kernel 5)',
    );
  });

  test('convGeometry refuses negative pads, bad dilations and bad kernel sizes', () => {
    const base = { inputShape: [1, 1, 8, 8], kernelShape: 3 } as const;
    expect(() => convGeometry({ ...base, pads: [0, -1, 0, 0] })).toThrow(
      'convGeometry: padding must be a non-negative integer, got -1 (pads [0, -1, 0, 0])',
    );
    expect(() => convGeometry({ ...base, dilations: 0 })).toThrow(
      /dilation must be a positive integer, got 0/,
    );
    expect(() => convGeometry({ ...base, kernelShape: [0, 3] })).toThrow(
      /kernel size must be a positive integer, got 0/,
    );
    expect(() => convGeometry({ ...base, inputShape: [1, 8, 8] })).toThrow(
      /input shape must be \[N, C, H, W\].*got \[1, 8, 8\]/,
    );
  });
});
