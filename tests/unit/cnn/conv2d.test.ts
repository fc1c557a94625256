import { describe, expect, test } from 'vitest';
import * as equation from '../../../src/cnn/ops/conv2d.ts';
import { conv2dFast, conv2dFastBackward } from '../../../src/cnn/ops/conv2dFast.ts';
import { fromNested, tensor } from '../../../src/cnn/tensor.ts';
import { expectTensor } from './helpers.ts';

// x[r][c] = 5r + c on a 5×5 grid: [1, 1, 5, 5]
const ramp5 = tensor(
  [1, 1, 5, 5],
  Array.from({ length: 25 }, (_, k) => k),
);
// 1…9 on a 3×3 grid: [1, 1, 3, 3]
const nine = fromNested([
  [
    [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ],
  ],
]);

// One contract, two implementations: every test below runs against the readable loops that the
// lessons show (conv2d.ts) and against the im2col fast path that networks train with.
const IMPLEMENTATIONS = [
  { name: 'conv2d.ts (the equation)', ...equation },
  {
    name: 'conv2dFast.ts (fast path)',
    conv2d: conv2dFast,
    conv2dBackward: conv2dFastBackward,
  },
];

describe.each(IMPLEMENTATIONS)('$name', ({ conv2d, conv2dBackward }) => {
  describe('conv2d forward, hand-computed', () => {
    test('conv2d(x, kernel) on 3×3 with a 2×2 kernel matches hand-computed sums', () => {
      const kernel = fromNested([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ]); // [1, 1, 2, 2]
      // out[0,0] = 1·1 + 2·2 + 3·4 + 4·5 = 37; then 47, 67, 77
      expectTensor(conv2d(nine, kernel), [1, 1, 2, 2], [37, 47, 67, 77]);
    });

    test('conv2d(x, kernel, {bias}) adds one bias per filter', () => {
      const kernel = fromNested([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
        [
          [
            [0, 0],
            [0, 1],
          ],
        ],
      ]); // [2, 1, 2, 2]
      const bias = fromNested([0.5, -1]);
      // filter 1 picks x[i+1, j+1] − 1: 4, 5, 7, 8
      expectTensor(
        conv2d(nine, kernel, { bias }),
        [1, 2, 2, 2],
        [37.5, 47.5, 67.5, 77.5, 4, 5, 7, 8],
      );
    });

    test('conv2d(x, kernel) sums over input channels', () => {
      // x [1, 2, 2, 2]: channel 0 = [[1,2],[3,4]], channel 1 = [[5,6],[7,8]]
      const x = fromNested([
        [
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ],
      ]);
      const kernel = fromNested([
        [
          [
            [1, 1],
            [1, 1],
          ],
          [
            [0, 1],
            [0, 0],
          ],
        ],
      ]); // [1, 2, 2, 2]
      // 1+2+3+4 + 6 + bias 0.5
      expectTensor(conv2d(x, kernel, { bias: fromNested([0.5]) }), [1, 1, 1, 1], [16.5]);
    });

    test('conv2d(x, kernel, {strides: [2, 2]}) matches hand-computed 3×3 block sums', () => {
      const ones = tensor([1, 1, 3, 3], new Array(9).fill(1));
      // block sums with top-left (2i, 2j) = 9 × centre value 5(2i+1) + (2j+1): 54, 72, 144, 162
      expectTensor(conv2d(ramp5, ones, { strides: [2, 2] }), [1, 1, 2, 2], [54, 72, 144, 162]);
    });

    test('conv2d(x, kernel, {pads: [1, 0, 0, 2]}) pads top 1 and right 2 (asymmetric, ONNX order)', () => {
      const x = fromNested([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ]);
      const ones = tensor([1, 1, 2, 2], [1, 1, 1, 1]);
      // padded [[0,0,0,0],[1,2,0,0],[3,4,0,0]] → 2×3 window sums
      expectTensor(conv2d(x, ones, { pads: [1, 0, 0, 2] }), [1, 1, 2, 3], [3, 2, 0, 10, 6, 0]);
    });

    test('conv2d(x, kernel, {dilations: [2, 2]}) skips every other pixel', () => {
      const kernel = fromNested([
        [
          [
            [1, 0],
            [0, 1],
          ],
        ],
      ]);
      // out[i,j] = x[i,j] + x[i+2,j+2] = 10i + 2j + 12, 3×3
      expectTensor(
        conv2d(ramp5, kernel, { dilations: [2, 2] }),
        [1, 1, 3, 3],
        [12, 14, 16, 22, 24, 26, 32, 34, 36],
      );
    });

    test("conv2d(x, kernel, {pads: 'same'}) with a 3×3 box filter gives neighbourhood sums", () => {
      const box = tensor([1, 1, 3, 3], new Array(9).fill(1));
      expectTensor(
        conv2d(nine, box, { pads: 'same' }),
        [1, 1, 3, 3],
        [12, 21, 16, 27, 45, 33, 24, 39, 28],
      );
    });

    test("conv2d(x, kernel, {pads: 'same'}) with an even kernel pads at the end (SAME_UPPER)", () => {
      const x = fromNested([[[[1, 2, 3, 4]]]]); // [1, 1, 1, 4]
      const kernel = fromNested([[[[1, 10]]]]); // [1, 1, 1, 2]
      // padding [0 | 1 … 1 | 0]: 1+20, 2+30, 3+40, 4+0 (SAME_LOWER would give 10, 21, 32, 43)
      expectTensor(conv2d(x, kernel, { pads: 'same' }), [1, 1, 1, 4], [21, 32, 43, 4]);
    });

    test('conv2d(x, kernel, {group: 2}) is depthwise when group = channels', () => {
      const x = fromNested([
        [
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ],
      ]); // [1, 2, 2, 2]
      const kernel = fromNested([
        [
          [
            [1, 1],
            [1, 1],
          ],
        ],
        [
          [
            [1, 0],
            [0, -1],
          ],
        ],
      ]); // [2, 1, 2, 2]
      // channel 0 · box = 10; channel 1 · diagonal difference = 5 − 8 = −3
      expectTensor(conv2d(x, kernel, { group: 2 }), [1, 2, 1, 1], [10, -3]);
    });

    test('conv2d(x, kernel, {group: 2}) with 2 filters per group reads each group’s channel', () => {
      const x = fromNested([[[[1, 2]], [[10, 20]]]]); // [1, 2, 1, 2]
      const kernel = tensor([4, 1, 1, 1], [1, 2, 3, 4]); // 1×1 kernels; filters 0,1 → ch 0; 2,3 → ch 1
      expectTensor(conv2d(x, kernel, { group: 2 }), [1, 4, 1, 2], [1, 2, 2, 4, 30, 60, 40, 80]);
    });

    test('conv2d handles a batch: each image is convolved separately', () => {
      const x = tensor([2, 1, 1, 2], [1, 2, 3, 4]);
      const kernel = tensor([1, 1, 1, 2], [1, 1]);
      expectTensor(conv2d(x, kernel), [2, 1, 1, 1], [3, 7]);
    });
  });

  describe('conv2dBackward, hand-computed', () => {
    test('conv2dBackward(x, kernel, dy = ones) on 3×3 with a 2×2 kernel', () => {
      const kernel = fromNested([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ]);
      const dy = tensor([1, 1, 2, 2], [1, 1, 1, 1]);
      const { dx, dKernel, dBias } = conv2dBackward(nine, kernel, dy);
      // dKernel[p,q] = sum of the 2×2 window of x starting at (p, q)
      expectTensor(dKernel, [1, 1, 2, 2], [12, 16, 24, 28]);
      expectTensor(dBias, [1], [4]);
      // dx[y,x] = sum of the kernel cells that touched (y, x)
      expectTensor(dx!, [1, 1, 3, 3], [1, 3, 2, 4, 10, 6, 3, 7, 4]);
    });

    test('conv2dBackward(x, kernel, dy, {strides: [2, 2]}) sends gradient only to visited cells', () => {
      const kernel = tensor([1, 1, 1, 1], [2]);
      const dy = fromNested([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ]);
      const { dx, dKernel } = conv2dBackward(nine, kernel, dy, { strides: [2, 2] });
      expectTensor(dx!, [1, 1, 3, 3], [2, 0, 4, 0, 0, 0, 6, 0, 8]);
      expectTensor(dKernel, [1, 1, 1, 1], [1 * 1 + 2 * 3 + 3 * 7 + 4 * 9]); // 64
    });

    test('conv2dBackward with pads 1: padded cells get no gradient and add nothing to dKernel', () => {
      const x = fromNested([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ]);
      const kernel = tensor([1, 1, 2, 2], [1, 1, 1, 1]);
      const dy = tensor([1, 1, 3, 3], new Array(9).fill(1));
      const { dx, dKernel } = conv2dBackward(x, kernel, dy, { pads: 1 });
      // every x cell is met by all 4 kernel taps; every tap meets all 4 x cells
      expectTensor(dx!, [1, 1, 2, 2], [4, 4, 4, 4]);
      expectTensor(dKernel, [1, 1, 2, 2], [10, 10, 10, 10]);
    });

    test('conv2dBackward(…, {inputGradient: false}) skips dx', () => {
      const kernel = tensor([1, 1, 2, 2], [1, 2, 3, 4]);
      const dy = tensor([1, 1, 2, 2], [1, 1, 1, 1]);
      expect(conv2dBackward(nine, kernel, dy, {}, { inputGradient: false }).dx).toBeNull();
    });
  });

  describe('conv2d errors', () => {
    test('conv2d refuses a kernel whose input channels do not match, quoting both shapes', () => {
      expect(() => conv2d(tensor([1, 1, 28, 28]), tensor([8, 3, 5, 5]))).toThrow(
        'conv2d: kernel expects 3 input channels but input has 1 (input [1, 1, 28, 28], kernel [8, 3, 5, 5])',
      );
    });
    test('conv2d refuses a group that does not divide the filters', () => {
      expect(() => conv2d(tensor([1, 4, 5, 5]), tensor([3, 2, 3, 3]), { group: 2 })).toThrow(
        'conv2d: group 2 must divide the number of filters 3 (input [1, 4, 5, 5], kernel [3, 2, 3, 3])',
      );
    });
    test('conv2d refuses a group whose channels do not match the kernel', () => {
      expect(() => conv2d(tensor([1, 3, 5, 5]), tensor([4, 1, 3, 3]), { group: 2 })).toThrow(
        /kernel expects 2 input channels \(1 per group × group 2\) but input has 3/,
      );
    });
    test('conv2d refuses a bias of the wrong length and inputs of the wrong rank', () => {
      expect(() =>
        conv2d(tensor([1, 1, 5, 5]), tensor([2, 1, 3, 3]), { bias: tensor([3]) }),
      ).toThrow('conv2d: bias must have shape [2] (one per filter), got [3]');
      expect(() => conv2d(tensor([1, 5, 5]), tensor([2, 1, 3, 3]))).toThrow(
        'conv2d: input must have rank 4 (N, C, H, W), got shape [1, 5, 5]',
      );
    });
    test('conv2d refuses stride 0 and a kernel larger than the padded input', () => {
      expect(() => conv2d(tensor([1, 1, 5, 5]), tensor([1, 1, 3, 3]), { strides: 0 })).toThrow(
        'conv2d: stride must be a positive integer, got 0 (strides [0, 0])',
      );
      expect(() =>
        conv2d(tensor([1, 1, 6, 6]), tensor([1, 1, 5, 5]), { dilations: 2, pads: 1 }),
      ).toThrow(/kernel 5×5 with dilation 2 spans 9 px but the padded input is 8 px/);
    });
    test('conv2dBackward refuses an output gradient of the wrong shape', () => {
      expect(() => conv2dBackward(nine, tensor([1, 1, 2, 2]), tensor([1, 1, 3, 3]))).toThrow(
        'conv2dBackward: output gradient has shape [1, 1, 3, 3] but the output has shape [1, 1, 2, 2]',
      );
    });
  });
});
