import { describe, expect, test } from 'vitest';
import { convTranspose2d, convTranspose2dBackward } from '../../../src/cnn/ops/convTranspose2d.ts';
import { fromNested, tensor } from '../../../src/cnn/tensor.ts';
import { expectTensor } from './helpers.ts';

const x = fromNested([
  [
    [
      [1, 2],
      [3, 4],
    ],
  ],
]); // [1, 1, 2, 2]

describe('convTranspose2d', () => {
  test('convTranspose2d(x, ones 2×2) scatters each input cell over a 2×2 block: 3×3 output', () => {
    const w = tensor([1, 1, 2, 2], [1, 1, 1, 1]);
    expectTensor(convTranspose2d(x, w), [1, 1, 3, 3], [1, 3, 2, 4, 10, 6, 3, 7, 4]);
  });

  test('convTranspose2d(x, w, {strides: [2, 2]}) tiles x[i,j]·w at (2i, 2j)', () => {
    const w = fromNested([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    // prettier-ignore
    expectTensor(convTranspose2d(x, w, { strides: 2 }), [1, 1, 4, 4], [
      1, 2, 2, 4,
      3, 4, 6, 8,
      3, 6, 4, 8,
      9, 12, 12, 16,
    ]);
  });

  test('convTranspose2d with pads 1 crops one pixel from each side of the full output', () => {
    const w = fromNested([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    expectTensor(convTranspose2d(x, w, { strides: 2, pads: 1 }), [1, 1, 2, 2], [4, 6, 6, 4]);
  });

  test('convTranspose2d with outputPadding [1, 1] adds a zero row and column at the end', () => {
    const w = tensor([1, 1, 1, 1], [1]);
    // stride 2, 1×1 kernel: out 2·(2 − 1) + 1 + 1 = 4
    // prettier-ignore
    expectTensor(convTranspose2d(x, w, { strides: 2, outputPadding: 1 }), [1, 1, 4, 4], [
      1, 0, 2, 0,
      0, 0, 0, 0,
      3, 0, 4, 0,
      0, 0, 0, 0,
    ]);
  });

  test('convTranspose2d(x, w, {bias}) maps C input channels to M output channels', () => {
    const x2 = tensor([1, 2, 1, 1], [1, 10]);
    const w = tensor([2, 3, 1, 1], [1, 2, 3, 4, 5, 6]); // [C = 2, M = 3, 1, 1]
    const bias = fromNested([0, 0, 0.5]);
    // out[m] = 1·w[0,m] + 10·w[1,m] + b[m] = 41, 52, 63.5
    expectTensor(convTranspose2d(x2, w, { bias }), [1, 3, 1, 1], [41, 52, 63.5]);
  });

  test('convTranspose2d with dilations 2 spreads the kernel taps apart', () => {
    const x1 = tensor([1, 1, 1, 1], [2]);
    const w = fromNested([[[[1, 3]]]]); // [1, 1, 1, 2]
    expectTensor(convTranspose2d(x1, w, { dilations: 2 }), [1, 1, 1, 3], [2, 0, 6]);
  });

  test('convTranspose2dBackward(x, w, dy) on a hand example', () => {
    const w = tensor([1, 1, 2, 2], [1, 1, 1, 1]);
    const dy = tensor([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const { dx, dWeight, dBias } = convTranspose2dBackward(x, w, dy);
    // dx[i,j] = Σ of the dy block that x[i,j] was spread over = 2×2 window sums of dy
    expectTensor(dx, [1, 1, 2, 2], [12, 16, 24, 28]);
    // dW[p,q] = Σ_ij x[i,j]·dy[i+p, j+q]
    expectTensor(dWeight, [1, 1, 2, 2], [37, 47, 67, 77]);
    expectTensor(dBias, [1], [45]);
  });

  test('convTranspose2d refuses mismatched channels, output padding ≥ stride and pads same', () => {
    expect(() => convTranspose2d(tensor([1, 2, 2, 2]), tensor([3, 1, 2, 2]))).toThrow(
      'convTranspose2d: weight expects 3 input channels but input has 2 (input [1, 2, 2, 2], weight [3, 1, 2, 2])',
    );
    expect(() =>
      convTranspose2d(x, tensor([1, 1, 2, 2]), { strides: 2, outputPadding: 2 }),
    ).toThrow('convTranspose2d: output padding must be an integer in [0, stride 2), got 2');
    expect(() => convTranspose2d(tensor([1, 3, 2, 2]), tensor([3, 1, 2, 2]), { group: 2 })).toThrow(
      'convTranspose2d: group 2 must divide the 3 input channels',
    );
    expect(() => convTranspose2d(x, tensor([1, 1, 2, 2]), { pads: 'same' as 'valid' })).toThrow(
      /pads 'same' is not supported/,
    );
  });
});
