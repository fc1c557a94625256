/**
 * backprop (lesson 8), the backward pass: tinyNet (conv 4@3×3 → relu → maxPool 2 → flatten →
 * dense 10 → softmax cross-entropy) on one real digit with the reference engine's ops, every
 * intermediate gradient kept; the stepper's steps, from the loss back to the image; which cells to
 * highlight (max-pool winners, ReLU's closed gates, the block a kernel cell meets). Pure.
 */
import {
  conv2d,
  conv2dBackward,
  flatten,
  flattenBackward,
  initParams,
  linear,
  linearBackward,
  maxPool2dBackward,
  maxPool2dWithArgmax,
  relu,
  reluBackward,
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
  tinyNet,
} from '../../cnn/index.ts';
import type { Params, Tensor } from '../../cnn/index.ts';
import { navigate } from '../shared/grid-nav';
import { clampStep as clampTo } from '../shared/stepper';

export const NET = tinyNet;
export const FILTERS = 4;
export const CLASSES = 10;
export const SIDE = 28; // input side
export const CONV = 26; // conv output side
export const POOLED = 13; // pooled side
export const FEATURES = FILTERS * POOLED * POOLED; // 676
/** Other digits the SGD step is judged on (one of each class, not the digit trained on). */
export const OTHERS = 10;

/** The backward pass, one layer per step, from the loss back to the image. */
export const STEPS = [
  { id: 'loss', name: 'loss', title: 'Loss → logits: softmax − one-hot' },
  { id: 'dense', name: 'dense', title: 'Dense layer: weight gradient and input gradient' },
  { id: 'pool', name: 'max pool', title: 'Max pooling: each window’s gradient goes to its winner' },
  {
    id: 'relu',
    name: 'ReLU',
    title: 'ReLU: the gradient passes only where the input was positive',
  },
  { id: 'conv', name: 'conv', title: 'Convolution: kernel gradient and input gradient' },
] as const;
export type StepId = (typeof STEPS)[number]['id'];
export const STEP_COUNT = STEPS.length;

export const clampStep = (step: number, count = STEP_COUNT): number => clampTo(step, count);

/** Stepper keys (one row of steps: ↑/↓ step like ←/→): the next step, 'toggle', or null. */
export const stepKey = (key: string, step: number, count = STEP_COUNT) =>
  navigate(key, step, count);

/** Which layer of tinyNet a step is about (index into NET.layers). */
export function stepLayer(step: number): number {
  return [5, 4, 2, 1, 0][clampStep(step)]; // 5 = the loss, after the last layer
}

export interface BackwardPass {
  readonly x: Tensor; // [1, 1, 28, 28]
  readonly label: number;
  readonly conv: Tensor; // pre-activation [1, 4, 26, 26]
  readonly relu: Tensor; // [1, 4, 26, 26]
  readonly pooled: Tensor; // [1, 4, 13, 13]
  readonly argmax: Int32Array; // per pooled cell, flat index into relu.data
  readonly flat: Tensor; // [1, 676]
  readonly logits: Tensor; // [1, 10]
  readonly probs: Tensor; // [1, 10]
  readonly loss: number;
  /** dL/dlogits = softmax − one-hot */
  readonly dLogits: Tensor;
  readonly dFlat: Tensor; // dense input gradient [1, 676]
  readonly dPooled: Tensor; // flatten backward [1, 4, 13, 13]
  readonly dRelu: Tensor; // max-pool backward [1, 4, 26, 26]
  readonly dConv: Tensor; // ReLU backward [1, 4, 26, 26]
  readonly dInput: Tensor; // conv input gradient [1, 1, 28, 28]
  readonly grads: Params; // '0.kernel', '0.bias', '4.weight', '4.bias'
}

/** Forward and backward through tinyNet with the reference engine's ops, keeping every gradient. */
export function backwardPass(
  params: Params,
  pixels: ArrayLike<number>,
  label: number,
): BackwardPass {
  const x: Tensor = { shape: [1, 1, SIDE, SIDE], data: Float32Array.from(pixels) };
  const convAttrs = {};
  const conv = conv2d(x, params['0.kernel'], { ...convAttrs, bias: params['0.bias'] });
  const r = relu(conv);
  const { y: pooled, argmax } = maxPool2dWithArgmax(r, { kernelShape: [2, 2] });
  const flat = flatten(pooled);
  const logits = linear(flat, params['4.weight'], params['4.bias']);
  const { loss, probs } = softmaxCrossEntropy(logits, [label]);
  const dLogits = softmaxCrossEntropyBackward(probs, [label]);
  const dense = linearBackward(flat, params['4.weight'], dLogits);
  const dFlat = dense.dx!;
  const dPooled = flattenBackward(dFlat, pooled.shape);
  const dRelu = maxPool2dBackward(r.shape, argmax, dPooled);
  const dConv = reluBackward(conv, dRelu);
  const c = conv2dBackward(x, params['0.kernel'], dConv, convAttrs, { inputGradient: true });
  return {
    x,
    label,
    conv,
    relu: r,
    pooled,
    argmax,
    flat,
    logits,
    probs,
    loss,
    dLogits,
    dFlat,
    dPooled,
    dRelu,
    dConv,
    dInput: c.dx!,
    grads: {
      '0.kernel': c.dKernel,
      '0.bias': c.dBias,
      '4.weight': dense.dWeight,
      '4.bias': dense.dBias,
    },
  };
}

export function freshParams(seed: number): Params {
  return initParams(NET, seed);
}

/** One channel's plane of an [1, C, H, W] tensor. */
export function plane(t: Tensor, channel: number): Float32Array {
  const [, , h, w] = t.shape;
  return t.data.subarray(channel * h * w, (channel + 1) * h * w);
}

/** Flat indices (within one 26×26 plane) of the cells that won their 2×2 window. */
export function winnerCells(argmax: Int32Array, channel: number): number[] {
  const P = CONV * CONV;
  const out: number[] = [];
  for (let o = channel * POOLED * POOLED; o < (channel + 1) * POOLED * POOLED; o++)
    out.push(argmax[o] - channel * P);
  return out;
}

/** Cells (within one plane) where ReLU's gate is closed: pre-activation ≤ 0 (ReLU'(0) = 0). */
export function closedGates(conv: Tensor, channel: number): number[] {
  const p = plane(conv, channel);
  const out: number[] = [];
  for (let i = 0; i < p.length; i++) if (!(p[i] > 0)) out.push(i);
  return out;
}

/** The 26×26 block of input cells that kernel cell (p, q) meets: rows p…p+25, cols q…q+25. */
export function kernelCellInputs(p: number, q: number, side = SIDE, out = CONV): number[] {
  const cells: number[] = [];
  for (let i = 0; i < out; i++) for (let j = 0; j < out; j++) cells.push((i + p) * side + j + q);
  return cells;
}

/** The border of that block: what the input map outlines. */
export function kernelCellBorder(p: number, q: number): number[] {
  return kernelCellInputs(p, q).filter((_, k) => {
    const i = Math.floor(k / CONV);
    const j = k % CONV;
    return i === 0 || j === 0 || i === CONV - 1 || j === CONV - 1;
  });
}

/** Index of the largest |value| (first on ties). */
export function argMaxAbs(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if (Math.abs(values[i]) > Math.abs(values[best])) best = i;
  return best;
}

/** Non-zero entries. */
export function nonZero(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) n++;
  return n;
}

/** The screen-reader line for a step (steps counted for people: "Step 1 of 5"). */
export function describeStep(step: number, pass: BackwardPass, channel: number): string {
  const s = clampStep(step);
  const k = pass.label;
  const p = pass.probs.data[k];
  const at = `Step ${s + 1} of ${STEP_COUNT}`;
  switch (STEPS[s].id) {
    case 'loss':
      return `${at}: loss ${pass.loss.toFixed(3)}. dL/dlogit for the true class ${k} is p − 1 = ${(p - 1).toFixed(3)}; for every other class it is its probability.`;
    case 'dense':
      return `${at}: the dense layer. Weight gradient row k is dL/dz_k times the layer's input; the input gradient is Wᵀ times dL/dz, reshaped to 4 maps of 13 by 13.`;
    case 'pool':
      return `${at}: max pooling, channel ${channel}. Each 2 by 2 window sends its gradient to its first maximum; ${nonZero(plane(pass.dRelu, channel))} of ${CONV * CONV} cells receive a non-zero gradient.`;
    case 'relu':
      return `${at}: ReLU, channel ${channel}. The gate is closed at ${closedGates(pass.conv, channel).length} of ${CONV * CONV} cells, where the convolution's output was 0 or less; the gradient there is 0.`;
    case 'conv':
      return `${at}: the convolution. Each kernel cell's gradient sums the output gradient times the input cells that cell met; the input gradient is a full convolution with the flipped kernel.`;
  }
}
