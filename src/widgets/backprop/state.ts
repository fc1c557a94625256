/**
 * backprop (lesson 8): the backward pass of tinyNet (conv 4@3×3 → relu → maxPool 2 → flatten →
 * dense 10 → softmax cross-entropy) on one real digit, layer by layer. Pure: the reference
 * engine's forward and backward with every intermediate gradient kept, the stepper's steps, which
 * cells to highlight (max-pool winners, ReLU's closed gates), URL parsing, a float64 loss for the
 * numerical gradient check, central differences, relative error and one SGD step.
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
  type Params,
  type Tensor,
} from '../../cnn/index.ts';
import { clampStep as clampTo, stepKey as keyStep } from '../shared/stepper';

export const NET = tinyNet;
export const FILTERS = 4;
export const CLASSES = 10;
export const CONV = 26; // conv output side
export const POOLED = 13; // pooled side
export const FEATURES = FILTERS * POOLED * POOLED; // 676
export const DEFAULT_SEED = 8;
export const DEFAULT_LR = 0.01;
/** Other digits the SGD step is judged on (one of each class, not the digit trained on). */
export const OTHERS = 10;
export const MAX_LR = 100;

/** The backward pass, one layer per step, from the loss back to the image. */
export const STEPS = [
  { id: 'loss', title: 'Loss → logits: softmax − one-hot' },
  { id: 'dense', title: 'Dense layer: weight gradient and input gradient' },
  { id: 'pool', title: 'Max pooling: each window’s gradient goes to its winner' },
  { id: 'relu', title: 'ReLU: the gradient passes only where the input was positive' },
  { id: 'conv', title: 'Convolution: kernel gradient and input gradient' },
] as const;
export type StepId = (typeof STEPS)[number]['id'];
export const STEP_COUNT = STEPS.length;

export const clampStep = (step: number, count = STEP_COUNT): number => clampTo(step, count);

/** Stepper keys: the next step, 'toggle' for play/pause, or null. */
export const stepKey = (key: string, step: number, count = STEP_COUNT) => keyStep(key, step, count);

/** Which layer of tinyNet a step is about (index into NET.layers). */
export function stepLayer(step: number): number {
  return [5, 4, 2, 1, 0][clampStep(step)]; // 5 = the loss, after the last layer
}

// ---------------------------------------------------------------- the computation

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
  const x: Tensor = { shape: [1, 1, 28, 28], data: Float32Array.from(pixels) };
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
export function kernelCellInputs(p: number, q: number, side = 28, out = CONV): number[] {
  const cells: number[] = [];
  for (let i = 0; i < out; i++) for (let j = 0; j < out; j++) cells.push((i + p) * side + j + q);
  return cells;
}

/** Index of the largest |value| (first on ties). */
export function argMaxAbs(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if (Math.abs(values[i]) > Math.abs(values[best])) best = i;
  return best;
}

// ---------------------------------------------------------------- weights and the URL

export type WeightRef =
  | { readonly kind: 'kernel'; readonly filter: number; readonly row: number; readonly col: number }
  | { readonly kind: 'dense'; readonly unit: number; readonly feature: number };

export const DEFAULT_WEIGHT: WeightRef = { kind: 'kernel', filter: 0, row: 1, col: 1 };

export function weightParam(w: WeightRef): { name: '0.kernel' | '4.weight'; index: number } {
  return w.kind === 'kernel'
    ? { name: '0.kernel', index: (w.filter * 3 + w.row) * 3 + w.col }
    : { name: '4.weight', index: w.unit * FEATURES + w.feature };
}

/** "k2.0.1" (filter 2, row 0, col 1) or "d3.120" (class 3, feature 120). */
export function weightText(w: WeightRef): string {
  return w.kind === 'kernel' ? `k${w.filter}.${w.row}.${w.col}` : `d${w.unit}.${w.feature}`;
}

export function weightLabel(w: WeightRef): string {
  if (w.kind === 'kernel') return `kernel ${w.filter}, row ${w.row}, column ${w.col}`;
  const c = Math.floor(w.feature / (POOLED * POOLED));
  const rc = w.feature % (POOLED * POOLED);
  return `dense weight W[${w.unit}, ${w.feature}] (class ${w.unit}; input channel ${c}, row ${Math.floor(rc / POOLED)}, column ${rc % POOLED})`;
}

function intIn(raw: string, lo: number, hi: number): number | null {
  if (!/^\s*\d+\s*$/.test(raw)) return null;
  const v = Number(raw);
  return v >= lo && v <= hi ? v : null;
}

export function parseWeight(raw: string): WeightRef | null {
  const k = /^k(\d+)\.(\d+)\.(\d+)$/.exec(raw.trim());
  if (k) {
    const [f, r, c] = [intIn(k[1], 0, FILTERS - 1), intIn(k[2], 0, 2), intIn(k[3], 0, 2)];
    return f === null || r === null || c === null
      ? null
      : { kind: 'kernel', filter: f, row: r, col: c };
  }
  const d = /^d(\d+)\.(\d+)$/.exec(raw.trim());
  if (d) {
    const [u, f] = [intIn(d[1], 0, CLASSES - 1), intIn(d[2], 0, FEATURES - 1)];
    return u === null || f === null ? null : { kind: 'dense', unit: u, feature: f };
  }
  return null;
}

/** The weight-picker fields, validated; messages name the field, its value and the rule. */
export function parseWeightFields(
  kind: string,
  a: string,
  b: string,
  c: string,
): { weight: WeightRef } | { error: string; field: 'a' | 'b' | 'c' } {
  const check = (raw: string, name: string, hi: number, field: 'a' | 'b' | 'c') => {
    const v = intIn(raw, 0, hi);
    return v === null
      ? { error: `${name} must be a whole number from 0 to ${hi}, got "${raw}".`, field }
      : v;
  };
  if (kind === 'dense') {
    const unit = check(a, 'Class (row of W)', CLASSES - 1, 'a');
    if (typeof unit !== 'number') return unit;
    const feature = check(b, 'Input feature (column of W)', FEATURES - 1, 'b');
    if (typeof feature !== 'number') return feature;
    return { weight: { kind: 'dense', unit, feature } };
  }
  const filter = check(a, 'Filter', FILTERS - 1, 'a');
  if (typeof filter !== 'number') return filter;
  const row = check(b, 'Kernel row', 2, 'b');
  if (typeof row !== 'number') return row;
  const col = check(c, 'Kernel column', 2, 'c');
  if (typeof col !== 'number') return col;
  return { weight: { kind: 'kernel', filter, row, col } };
}

/** A learning rate typed by the reader: a positive finite number up to MAX_LR. */
export function parseLr(raw: string): { lr: number } | { error: string } {
  const t = raw.trim().replace('−', '-');
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) return { error: `Learning rate: "${raw}" is not a number.` };
  if (v <= 0 || v > MAX_LR)
    return { error: `Learning rate must be greater than 0 and at most ${MAX_LR}, got ${v}.` };
  return { lr: v };
}

export interface BackpropUrlState {
  readonly digit: number;
  readonly seed: number;
  readonly step: number;
  readonly channel: number;
  readonly weight: WeightRef;
  readonly lr: number;
  readonly notes: readonly string[];
}

/** Reads `bp.*` from the URL; anything unusable falls back to its default with a note. */
export function parseBackpropParams(
  params: ReadonlyMap<string, string>,
  digits: number,
): BackpropUrlState {
  const notes: string[] = [];
  const int = (key: string, lo: number, hi: number, fallback: number, what: string) => {
    const raw = params.get(key);
    if (raw === undefined) return fallback;
    const v = intIn(raw, lo, hi);
    if (v === null) {
      notes.push(
        `The link's ${what} "${raw}" is not a whole number from ${lo} to ${hi}; using ${fallback}.`,
      );
      return fallback;
    }
    return v;
  };
  const digit = int('digit', 0, digits - 1, 0, 'digit choice');
  const seed = int('seed', 0, 999999, DEFAULT_SEED, 'seed');
  const step = int('step', 1, STEP_COUNT, 1, 'step') - 1;
  const channel = int('ch', 0, FILTERS - 1, 0, 'channel');
  let weight = DEFAULT_WEIGHT;
  const w = params.get('w');
  if (w !== undefined) {
    const parsed = parseWeight(w);
    if (parsed) weight = parsed;
    else
      notes.push(
        `The link's weight "${w}" is not a kernel cell like k0.1.1 or a dense weight like d3.120; using k0.1.1.`,
      );
  }
  let lr = DEFAULT_LR;
  const rawLr = params.get('lr');
  if (rawLr !== undefined) {
    const parsed = parseLr(rawLr);
    if ('lr' in parsed) lr = parsed.lr;
    else notes.push(`${parsed.error} Using ${DEFAULT_LR}.`);
  }
  return { digit, seed, step, channel, weight, lr, notes };
}

export function backpropParams(s: Omit<BackpropUrlState, 'notes'>): Record<string, string> {
  return {
    digit: String(s.digit),
    seed: String(s.seed),
    step: String(s.step + 1),
    ch: String(s.channel),
    w: weightText(s.weight),
    lr: String(s.lr),
  };
}

// ---------------------------------------------------------------- gradient check and SGD

/** (f(x + ε) − f(x − ε)) / 2ε: error O(ε²) for smooth f. */
export function centralDifference(f: (x: number) => number, x: number, eps: number): number {
  if (!(eps > 0)) throw new RangeError(`centralDifference: eps must be > 0, got ${eps}`);
  return (f(x + eps) - f(x - eps)) / (2 * eps);
}

/** |a − b| / max(|a|, |b|); 0 when both are 0. */
export function relativeError(a: number, b: number): number {
  const d = Math.max(Math.abs(a), Math.abs(b));
  return d === 0 ? 0 : Math.abs(a - b) / d;
}

/**
 * tinyNet's loss on one image, in float64 throughout (the weights are the float32 values widened,
 * so the numerical check sees the same function the engines compute, without float32 rounding
 * noise drowning the tiny differences of a finite difference). `override` replaces one weight.
 */
export function lossF64(
  params: Params,
  pixels: ArrayLike<number>,
  label: number,
  override?: { name: string; index: number; value: number },
): number {
  const get = (name: string, i: number) =>
    override && override.name === name && override.index === i
      ? override.value
      : params[name].data[i];
  const conv = new Float64Array(FILTERS * CONV * CONV);
  for (let m = 0; m < FILTERS; m++) {
    const b = get('0.bias', m);
    for (let i = 0; i < CONV; i++)
      for (let j = 0; j < CONV; j++) {
        let s = b;
        for (let p = 0; p < 3; p++)
          for (let q = 0; q < 3; q++)
            s += pixels[(i + p) * 28 + j + q] * get('0.kernel', (m * 3 + p) * 3 + q);
        conv[(m * CONV + i) * CONV + j] = s > 0 ? s : 0;
      }
  }
  const flat = new Float64Array(FEATURES);
  for (let m = 0; m < FILTERS; m++)
    for (let i = 0; i < POOLED; i++)
      for (let j = 0; j < POOLED; j++) {
        const o = (m * CONV + 2 * i) * CONV + 2 * j;
        flat[(m * POOLED + i) * POOLED + j] = Math.max(
          conv[o],
          conv[o + 1],
          conv[o + CONV],
          conv[o + CONV + 1],
        );
      }
  const z = new Float64Array(CLASSES);
  for (let k = 0; k < CLASSES; k++) {
    let s = get('4.bias', k);
    for (let f = 0; f < FEATURES; f++) s += get('4.weight', k * FEATURES + f) * flat[f];
    z[k] = s;
  }
  const max = Math.max(...z);
  let sum = 0;
  for (const v of z) sum += Math.exp(v - max);
  return max + Math.log(sum) - z[label];
}

export interface GradientCheck {
  readonly weight: WeightRef;
  readonly value: number;
  readonly eps: number;
  readonly lossPlus: number;
  readonly lossMinus: number;
  readonly numerical: number;
  readonly reference: number;
  readonly relError: number;
}

export const CHECK_EPS = 1e-5;

export function gradientCheck(
  params: Params,
  pass: BackwardPass,
  weight: WeightRef,
  eps = CHECK_EPS,
): GradientCheck {
  const { name, index } = weightParam(weight);
  const value = params[name].data[index];
  const at = (v: number) => lossF64(params, pass.x.data, pass.label, { name, index, value: v });
  const lossPlus = at(value + eps);
  const lossMinus = at(value - eps);
  const numerical = (lossPlus - lossMinus) / (2 * eps);
  const reference = pass.grads[name].data[index];
  return {
    weight,
    value,
    eps,
    lossPlus,
    lossMinus,
    numerical,
    reference,
    relError: relativeError(reference, numerical),
  };
}

/** w ← w − lr · dL/dw for every parameter. */
export function sgdStep(params: Params, grads: Params, lr: number): Params {
  const out: Params = {};
  for (const [name, p] of Object.entries(params)) {
    const g = grads[name];
    const data = new Float32Array(p.data.length);
    for (let i = 0; i < data.length; i++) data[i] = p.data[i] - lr * g.data[i];
    out[name] = { shape: [...p.shape], data };
  }
  return out;
}

/** Mean loss over several digits, in the reference engine (one image at a time). */
export function meanLoss(
  params: Params,
  digits: readonly { readonly pixels: ArrayLike<number>; readonly label: number }[],
): number {
  let s = 0;
  for (const d of digits) s += lossOnly(params, d.pixels, d.label);
  return s / digits.length;
}

/** Class probabilities of several images [n·10] (the reference engine, one image at a time). */
export function probabilities(
  params: Params,
  images: readonly { readonly pixels: ArrayLike<number> }[],
): Float32Array {
  const out = new Float32Array(images.length * CLASSES);
  images.forEach((d, n) => {
    const x: Tensor = { shape: [1, 1, 28, 28], data: Float32Array.from(d.pixels) };
    const conv = conv2d(x, params['0.kernel'], { bias: params['0.bias'] });
    const pooled = maxPool2dWithArgmax(relu(conv), { kernelShape: [2, 2] }).y;
    const logits = linear(flatten(pooled), params['4.weight'], params['4.bias']);
    out.set(softmaxCrossEntropy(logits, [0]).probs.data, n * CLASSES);
  });
  return out;
}

/** Cross-entropy −log p_y of each row of probabilities, given the labels. */
export function lossesFromProbabilities(
  probs: ArrayLike<number>,
  labels: readonly number[],
): number[] {
  return labels.map((y, n) => -Math.log(probs[n * CLASSES + y]));
}

/** The reference engine's loss for one image (forward only). */
export function lossOnly(params: Params, pixels: ArrayLike<number>, label: number): number {
  const x: Tensor = { shape: [1, 1, 28, 28], data: Float32Array.from(pixels) };
  const conv = conv2d(x, params['0.kernel'], { bias: params['0.bias'] });
  const pooled = maxPool2dWithArgmax(relu(conv), { kernelShape: [2, 2] }).y;
  const logits = linear(flatten(pooled), params['4.weight'], params['4.bias']);
  return softmaxCrossEntropy(logits, [label]).loss;
}

/** ‖g‖² over every parameter: the first-order loss change of an SGD step is −lr·‖g‖². */
export function gradNormSquared(grads: Params): number {
  let s = 0;
  for (const g of Object.values(grads)) for (const v of g.data) s += v * v;
  return s;
}

/** The screen-reader line for a step. */
export function describeStep(step: number, pass: BackwardPass, channel: number): string {
  const s = clampStep(step);
  const k = pass.label;
  const p = pass.probs.data[k];
  switch (STEPS[s].id) {
    case 'loss':
      return `Step 1 of ${STEP_COUNT}: loss ${pass.loss.toFixed(3)}. dL/dlogit for the true class ${k} is p − 1 = ${(p - 1).toFixed(3)}; for every other class it is its probability.`;
    case 'dense':
      return `Step 2 of ${STEP_COUNT}: the dense layer. Weight gradient row k is dL/dz_k times the layer's input; the input gradient is Wᵀ times dL/dz, reshaped to 4 maps of 13 by 13.`;
    case 'pool': {
      const nz = plane(pass.dRelu, channel).reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
      return `Step 3 of ${STEP_COUNT}: max pooling, channel ${channel}. Each 2 by 2 window sends its gradient to its first maximum; ${nz} of ${CONV * CONV} cells receive a non-zero gradient.`;
    }
    case 'relu': {
      const closed = closedGates(pass.conv, channel).length;
      return `Step 4 of ${STEP_COUNT}: ReLU, channel ${channel}. The gate is closed at ${closed} of ${CONV * CONV} cells, where the convolution's output was 0 or less; the gradient there is 0.`;
    }
    case 'conv':
      return `Step 5 of ${STEP_COUNT}: the convolution. Each kernel cell's gradient sums the output gradient times the input cells that cell met; the input gradient is a full convolution with the flipped kernel.`;
  }
}
