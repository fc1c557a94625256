import { describe, expect, test } from 'vitest';
import { avgPool2d, avgPool2dBackward, avgPool2dTrace } from '../../../src/cnn/ops/avgPool2d.ts';
import {
  maxPool2d,
  maxPool2dArgmax,
  maxPool2dBackward,
  maxPool2dTrace,
} from '../../../src/cnn/ops/maxPool2d.ts';
import { fromNested, tensor } from '../../../src/cnn/tensor.ts';
import { expectTensor } from './helpers.ts';

const nine = fromNested([
  [
    [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ],
  ],
]); // [1, 1, 3, 3]
const sixteen = tensor(
  [1, 1, 4, 4],
  Array.from({ length: 16 }, (_, k) => k),
); // x[r][c] = 4r + c

describe('maxPool2d', () => {
  test('maxPool2d(x, {kernelShape: [2, 2]}) takes non-overlapping 2×2 maxima (strides default to the kernel)', () => {
    expectTensor(maxPool2d(sixteen, { kernelShape: [2, 2] }), [1, 1, 2, 2], [5, 7, 13, 15]);
  });

  test('maxPool2d(x, {kernelShape: 2, strides: 1}) overlaps windows', () => {
    expectTensor(maxPool2d(nine, { kernelShape: 2, strides: 1 }), [1, 1, 2, 2], [5, 6, 8, 9]);
  });

  test('maxPool2d(x, {pads: 1}) treats padding as −∞, not 0', () => {
    const x = fromNested([
      [
        [
          [-1, -2],
          [-3, -4],
        ],
      ],
    ]);
    expectTensor(
      maxPool2d(x, { kernelShape: 2, strides: 2, pads: 1 }),
      [1, 1, 2, 2],
      [-1, -2, -3, -4],
    );
  });

  test('maxPool2d(x, {pads: [0, 0, 1, 1]}) pads bottom and right only', () => {
    // windows at rows {0,1},{2,pad}, cols {0,1},{2,pad}
    expectTensor(
      maxPool2d(nine, { kernelShape: 2, pads: [0, 0, 1, 1] }),
      [1, 1, 2, 2],
      [5, 6, 8, 9],
    );
  });

  test('maxPool2dArgmax gives the flat index of the FIRST maximum in row-major window order', () => {
    // window [[5, 7], [7, 1]]: the 7 at (0, 1) comes before the 7 at (1, 0)
    const x = fromNested([
      [
        [
          [5, 7],
          [7, 1],
        ],
      ],
    ]);
    expect(Array.from(maxPool2dArgmax(x, { kernelShape: 2 }))).toEqual([1]);
    // an all-equal (blank MNIST) window: the top-left cell wins
    const blank = tensor([1, 1, 2, 2], [0, 0, 0, 0]);
    expect(Array.from(maxPool2dArgmax(blank, { kernelShape: 2 }))).toEqual([0]);
  });

  test('maxPool2dArgmax indexes the whole tensor (batch and channel included), as ONNX Indices', () => {
    const x = tensor([2, 2, 1, 2], [1, 0, 0, 1, 1, 0, 0, 1]);
    expect(Array.from(maxPool2dArgmax(x, { kernelShape: [1, 2] }))).toEqual([0, 3, 4, 7]);
  });

  test('maxPool2dBackward routes a tied window’s whole gradient to its first maximum', () => {
    const blank = tensor([1, 1, 2, 4], [0, 0, 3, 3, 0, 0, 3, 3]);
    const argmax = maxPool2dArgmax(blank, { kernelShape: 2 });
    const dx = maxPool2dBackward(blank.shape, argmax, tensor([1, 1, 1, 2], [10, 20]));
    expectTensor(dx, [1, 1, 2, 4], [10, 0, 20, 0, 0, 0, 0, 0]);
  });

  test('maxPool2dBackward accumulates when overlapping windows share a maximum', () => {
    const peak = fromNested([
      [
        [
          [0, 0, 0],
          [0, 9, 0],
          [0, 0, 0],
        ],
      ],
    ]);
    const argmax = maxPool2dArgmax(peak, { kernelShape: 2, strides: 1 });
    expect(Array.from(argmax)).toEqual([4, 4, 4, 4]);
    const dx = maxPool2dBackward(peak.shape, argmax, tensor([1, 1, 2, 2], [1, 2, 3, 4]));
    expectTensor(dx, [1, 1, 3, 3], [0, 0, 0, 0, 10, 0, 0, 0, 0]);
  });

  test('maxPool2dTrace lists the window, its padded cells and the winner', () => {
    const trace = maxPool2dTrace(
      nine,
      { kernelShape: 2, pads: [0, 0, 1, 1] },
      { n: 0, channel: 0, row: 1, col: 1 },
    );
    expect(trace.cells.map((c) => [c.row, c.col, c.inPadding])).toEqual([
      [2, 2, false],
      [2, 3, true],
      [3, 2, true],
      [3, 3, true],
    ]);
    expect(trace.winner).toEqual({ row: 2, col: 2 });
    expect(trace.max).toBe(9);
  });

  test('maxPool2d refuses padding as large as the window', () => {
    expect(() => maxPool2d(nine, { kernelShape: 2, pads: 2 })).toThrow(
      'maxPool2d: padding must be smaller than the 2×2 window, got pads [2, 2, 2, 2]',
    );
  });
});

describe('avgPool2d', () => {
  test('avgPool2d(x, {kernelShape: 2, strides: 1}) averages overlapping windows', () => {
    expectTensor(avgPool2d(nine, { kernelShape: 2, strides: 1 }), [1, 1, 2, 2], [3, 4, 6, 7]);
  });

  test('avgPool2d with pads 1 excludes padded cells by default (count_include_pad = 0)', () => {
    const x = fromNested([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    // each 2×2 window at stride 2 holds exactly one real cell
    expectTensor(avgPool2d(x, { kernelShape: 2, pads: 1 }), [1, 1, 2, 2], [1, 2, 3, 4]);
  });

  test('avgPool2d with pads 1 and countIncludePad divides by the full window (count_include_pad = 1)', () => {
    const x = fromNested([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    expectTensor(
      avgPool2d(x, { kernelShape: 2, pads: 1, countIncludePad: true }),
      [1, 1, 2, 2],
      [0.25, 0.5, 0.75, 1],
    );
  });

  test('avgPool2d with asymmetric pads [0, 1, 0, 0] on a row', () => {
    const x = fromNested([[[[2, 4, 6]]]]); // [1, 1, 1, 3]
    // windows of width 2, stride 2 over [pad, 2, 4, 6]: {pad, 2} → 2, {4, 6} → 5
    expectTensor(avgPool2d(x, { kernelShape: [1, 2], pads: [0, 1, 0, 0] }), [1, 1, 1, 2], [2, 5]);
  });

  test('avgPool2dBackward shares each gradient equally among the real cells', () => {
    const dy = tensor([1, 1, 2, 2], [4, 8, 12, 16]);
    expectTensor(
      avgPool2dBackward([1, 1, 2, 2], dy, { kernelShape: 2, pads: 1 }),
      [1, 1, 2, 2],
      [4, 8, 12, 16],
    );
    expectTensor(
      avgPool2dBackward([1, 1, 2, 2], dy, { kernelShape: 2, pads: 1, countIncludePad: true }),
      [1, 1, 2, 2],
      [1, 2, 3, 4],
    );
    const overlap = avgPool2dBackward([1, 1, 3, 3], tensor([1, 1, 2, 2], [4, 4, 4, 4]), {
      kernelShape: 2,
      strides: 1,
    });
    expectTensor(overlap, [1, 1, 3, 3], [1, 2, 1, 2, 4, 2, 1, 2, 1]);
  });

  test('avgPool2dTrace gives the window sum, divisor and mean', () => {
    const trace = avgPool2dTrace(
      nine,
      { kernelShape: 2, strides: 1 },
      { n: 0, channel: 0, row: 1, col: 0 },
    );
    expect([trace.sum, trace.count, trace.mean]).toEqual([24, 4, 6]);
    expect(trace.cells.map((c) => c.value)).toEqual([4, 5, 7, 8]);
  });
});
