/**
 * Op test cases as data (like onnxruntime's js/web/test/data/ops/*.jsonc): op name and attributes
 * as the reference engine spells them, inputs, and where given a hand-computed expected output
 * (the comment shows the arithmetic). Every case also runs against the reference engine's op.
 * No Node-only imports: a browser test runs the same cases on the WebGPU EP.
 */
import type { OpAttributes, OpName } from '../../../src/onnx/single-op.ts';

export interface CaseTensor {
  readonly shape: readonly number[];
  readonly data: readonly number[];
}
export interface OpCase {
  readonly name: string;
  readonly op: OpName;
  readonly attributes: OpAttributes;
  readonly inputs: readonly CaseTensor[];
  readonly expected?: CaseTensor;
}

/** 1, 2, …, n (or start, start + 1, …). */
const seq = (n: number, start = 1): number[] => Array.from({ length: n }, (_, i) => start + i);
const ones = (n: number): number[] => new Array<number>(n).fill(1);
/** Deterministic values in [-1, 1) (a small LCG), so cases need no RNG import. */
function rand(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.round(((s / 2 ** 32) * 2 - 1) * 1000) / 1000;
  });
}
const t = (shape: number[], data: number[]): CaseTensor => ({ shape, data });
const r = (shape: number[], seed: number): CaseTensor =>
  t(
    shape,
    rand(
      shape.reduce((a, d) => a * d, 1),
      seed,
    ),
  );
const x3 = t([1, 1, 3, 3], seq(9)); // 1 2 3 / 4 5 6 / 7 8 9

export const opCases: readonly OpCase[] = [
  // ---- conv2d ----------------------------------------------------------------------------------
  {
    name: 'conv2d 2×2 ones, valid',
    op: 'conv2d',
    attributes: {},
    inputs: [x3, t([1, 1, 2, 2], ones(4))],
    expected: t([1, 1, 2, 2], [12, 16, 24, 28]), // 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9
  },
  {
    name: 'conv2d stride 2, asymmetric pads [0,0,1,1], bias',
    op: 'conv2d',
    attributes: { strides: [2, 2], pads: [0, 0, 1, 1] },
    inputs: [x3, t([1, 1, 2, 2], ones(4)), t([1], [0.5])],
    expected: t([1, 1, 2, 2], [12.5, 9.5, 15.5, 9.5]), // 12, 3+6, 7+8, 9 (+0.5)
  },
  {
    name: 'conv2d 3×3 ones, symmetric pads 1',
    op: 'conv2d',
    attributes: { pads: [1, 1, 1, 1] },
    inputs: [x3, t([1, 1, 3, 3], ones(9))],
    expected: t([1, 1, 3, 3], [12, 21, 16, 27, 45, 33, 24, 39, 28]), // neighbourhood sums
  },
  {
    name: "conv2d pads 'same' with an even kernel (extra pad at the end)",
    op: 'conv2d',
    attributes: { pads: 'same' },
    inputs: [x3, t([1, 1, 2, 2], ones(4))],
    expected: t([1, 1, 3, 3], [12, 16, 9, 24, 28, 15, 15, 17, 9]),
  },
  {
    name: 'conv2d asymmetric pads [1,0,0,2], 1×1 kernel',
    op: 'conv2d',
    attributes: { pads: [1, 0, 0, 2] },
    inputs: [t([1, 1, 2, 2], [1, 2, 3, 4]), t([1, 1, 1, 1], [1])],
    expected: t([1, 1, 3, 4], [0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0]),
  },
  {
    name: 'conv2d strides [2, 1]',
    op: 'conv2d',
    attributes: { strides: [2, 1] },
    inputs: [x3, t([1, 1, 1, 1], [1])],
    expected: t([1, 1, 2, 3], [1, 2, 3, 7, 8, 9]),
  },
  {
    name: 'conv2d dilation 2',
    op: 'conv2d',
    attributes: { dilations: [2, 2] },
    inputs: [x3, t([1, 1, 2, 2], ones(4))],
    expected: t([1, 1, 1, 1], [20]), // 1 + 3 + 7 + 9
  },
  {
    name: 'conv2d two channels, bias',
    op: 'conv2d',
    attributes: {},
    inputs: [t([1, 2, 2, 2], seq(8)), t([1, 2, 1, 1], [1, -1]), t([1], [10])],
    expected: t([1, 1, 2, 2], [6, 6, 6, 6]), // 10 + x0 − x1 = 10 − 4
  },
  {
    name: 'conv2d group 2',
    op: 'conv2d',
    attributes: { group: 2 },
    inputs: [t([1, 2, 2, 2], seq(8)), t([2, 1, 1, 1], [2, 3])],
    expected: t([1, 2, 2, 2], [2, 4, 6, 8, 15, 18, 21, 24]),
  },
  {
    name: 'conv2d depthwise (group = channels)',
    op: 'conv2d',
    attributes: { group: 3 },
    inputs: [t([1, 3, 2, 2], seq(12)), t([3, 1, 2, 2], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1])],
    expected: t([1, 3, 1, 1], [10, 5, 12]), // 1+2+3+4, 5, 12
  },
  {
    name: 'conv2d batch 2, stride 2, pads [1,2,0,1], dilations [1,2], bias',
    op: 'conv2d',
    attributes: { strides: [2, 2], pads: [1, 2, 0, 1], dilations: [1, 2] },
    inputs: [r([2, 3, 7, 8], 1), r([4, 3, 3, 3], 2), r([4], 3)],
  },
  {
    name: "conv2d group 2, pads 'same', stride 2",
    op: 'conv2d',
    attributes: { group: 2, pads: 'same', strides: [2, 2] },
    inputs: [r([2, 4, 7, 7], 4), r([6, 2, 3, 3], 5), r([6], 6)],
  },
  {
    name: 'conv2d depthwise 5×5, dilation 2, pads 4',
    op: 'conv2d',
    attributes: { group: 4, dilations: [2, 2], pads: [4, 4, 4, 4] },
    inputs: [r([1, 4, 9, 9], 7), r([4, 1, 5, 5], 8)],
  },
  // ---- convTranspose2d -------------------------------------------------------------------------
  {
    name: 'convTranspose2d stride 2 spreads each cell over a 2×2 block',
    op: 'convTranspose2d',
    attributes: { strides: [2, 2] },
    inputs: [t([1, 1, 2, 2], [1, 2, 3, 4]), t([1, 1, 2, 2], ones(4))],
    expected: t([1, 1, 4, 4], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]),
  },
  {
    name: 'convTranspose2d stride 1 overlaps',
    op: 'convTranspose2d',
    attributes: {},
    inputs: [t([1, 1, 2, 2], [1, 2, 3, 4]), t([1, 1, 2, 2], ones(4))],
    expected: t([1, 1, 3, 3], [1, 3, 2, 4, 10, 6, 3, 7, 4]),
  },
  {
    name: 'convTranspose2d stride 2, pads 1, outputPadding 1, bias',
    op: 'convTranspose2d',
    attributes: { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] },
    inputs: [r([2, 3, 4, 5], 9), r([3, 2, 3, 3], 10), r([2], 11)],
  },
  {
    name: 'convTranspose2d group 2, dilation 2',
    op: 'convTranspose2d',
    attributes: { group: 2, dilations: [2, 2], pads: [1, 0, 0, 1] },
    inputs: [r([1, 4, 4, 4], 12), r([4, 3, 3, 3], 13)],
  },
  // ---- pools -----------------------------------------------------------------------------------
  {
    name: 'maxPool2d 2×2',
    op: 'maxPool2d',
    attributes: { kernelShape: [2, 2] },
    inputs: [t([1, 1, 4, 4], seq(16))],
    expected: t([1, 1, 2, 2], [6, 8, 14, 16]),
  },
  {
    name: 'maxPool2d 3×3 stride 1 pads 1',
    op: 'maxPool2d',
    attributes: { kernelShape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] },
    inputs: [x3],
    expected: t([1, 1, 3, 3], [5, 6, 6, 8, 9, 9, 8, 9, 9]),
  },
  {
    name: "maxPool2d pads 'same' on an odd size",
    op: 'maxPool2d',
    attributes: { kernelShape: [2, 2], pads: 'same' },
    inputs: [t([1, 1, 3, 3], [-1, -2, -3, -4, -5, -6, -7, -8, -9])],
    expected: t([1, 1, 2, 2], [-1, -3, -7, -9]), // padding never wins
  },
  {
    name: 'maxPool2d ties (blank windows)',
    op: 'maxPool2d',
    attributes: { kernelShape: [2, 2] },
    inputs: [t([1, 1, 2, 4], [0, 0, 0, 3, 0, 0, 3, 3])],
    expected: t([1, 1, 1, 2], [0, 3]),
  },
  {
    name: 'maxPool2d 3×2 stride [2,1], random',
    op: 'maxPool2d',
    attributes: { kernelShape: [3, 2], strides: [2, 1], pads: [1, 0, 1, 1] },
    inputs: [r([2, 3, 7, 6], 14)],
  },
  {
    name: 'avgPool2d 2×2',
    op: 'avgPool2d',
    attributes: { kernelShape: [2, 2] },
    inputs: [t([1, 1, 4, 4], seq(16))],
    expected: t([1, 1, 2, 2], [3.5, 5.5, 11.5, 13.5]),
  },
  {
    name: 'avgPool2d 3×3 pads 1, count_include_pad 0 (divide by real cells)',
    op: 'avgPool2d',
    attributes: { kernelShape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] },
    inputs: [x3],
    expected: t([1, 1, 3, 3], [3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]), // 12/4, 21/6, …
  },
  {
    name: 'avgPool2d 3×3 pads 1, count_include_pad 1 (divide by 9)',
    op: 'avgPool2d',
    attributes: { kernelShape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], countIncludePad: true },
    inputs: [x3],
    expected: t([1, 1, 3, 3], [12 / 9, 21 / 9, 16 / 9, 3, 5, 33 / 9, 24 / 9, 39 / 9, 28 / 9]),
  },
  {
    name: "avgPool2d pads 'same', stride 2, random",
    op: 'avgPool2d',
    attributes: { kernelShape: [3, 3], strides: [2, 2], pads: 'same' },
    inputs: [r([2, 2, 7, 8], 15)],
  },
  // ---- activations, softmax, linear ------------------------------------------------------------
  {
    name: 'relu (relu(0) = 0)',
    op: 'relu',
    attributes: {},
    inputs: [t([1, 1, 1, 5], [-2, -0.5, 0, 0.5, 2])],
    expected: t([1, 1, 1, 5], [0, 0, 0, 0.5, 2]),
  },
  {
    name: 'leakyRelu alpha 0.1',
    op: 'leakyRelu',
    attributes: { alpha: 0.1 },
    inputs: [t([1, 5], [-2, -0.5, 0, 0.5, 2])],
    expected: t([1, 5], [-0.2, -0.05, 0, 0.5, 2]),
  },
  {
    name: 'leakyRelu default alpha 0.01',
    op: 'leakyRelu',
    attributes: {},
    inputs: [t([1, 2], [-3, 3])],
    expected: t([1, 2], [-0.03, 3]),
  },
  {
    name: 'sigmoid',
    op: 'sigmoid',
    attributes: {},
    inputs: [t([1, 3], [0, Math.log(3), -Math.log(3)])],
    expected: t([1, 3], [0.5, 0.75, 0.25]), // 1 / (1 + 1/3)
  },
  {
    name: 'tanh',
    op: 'tanh',
    attributes: {},
    inputs: [t([1, 3], [0, Math.log(2), -Math.log(2)])],
    expected: t([1, 3], [0, 0.6, -0.6]), // (2 − ½) / (2 + ½)
  },
  {
    name: 'softmax rows, large logits stay finite',
    op: 'softmax',
    attributes: {},
    inputs: [t([2, 3], [0, Math.log(2), Math.log(3), 1000, 1000, -1000])],
    expected: t([2, 3], [1 / 6, 1 / 3, 1 / 2, 0.5, 0.5, 0]),
  },
  {
    name: 'linear y = x·Wᵀ + b',
    op: 'linear',
    attributes: {},
    inputs: [t([2, 2], [1, 2, 3, 4]), t([3, 2], [1, 0, 0, 1, 1, 1]), t([3], [0, 10, -1])],
    expected: t([2, 3], [1, 12, 2, 3, 14, 6]),
  },
  {
    name: 'linear without bias, random',
    op: 'linear',
    attributes: {},
    inputs: [r([4, 7], 16), r([5, 7], 17)],
  },
  // ---- add (a residual connection's join) ---------------------------------------------------
  {
    name: 'add x + F(x), hand values',
    op: 'add',
    attributes: {},
    inputs: [t([1, 1, 2, 2], [1, -2, 3, 0.5]), t([1, 1, 2, 2], [0.25, 2, -4, 0])],
    expected: t([1, 1, 2, 2], [1.25, 0, -1, 0.5]),
  },
  {
    name: 'add [2, 3, 4, 4] random',
    op: 'add',
    attributes: {},
    inputs: [r([2, 3, 4, 4], 18), r([2, 3, 4, 4], 19)],
  },
];
