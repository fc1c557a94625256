/**
 * activations (lesson 5): an edge feature map of a real digit before and after an activation.
 * Pure: the settings, the reducer (controls and the inspected cell, on the one grid model of
 * grid-nav.ts), the kernels, the reference result, counts and what to announce.
 */
import { conv2d, leakyRelu, relu, sigmoid, tanh, tensor } from '../../cnn/index.ts';
import type { Tensor } from '../../cnn/index.ts';
import { choice, decimal, fieldParams, integer, linkReader } from '../shared/fields';
import { navigate } from '../shared/grid-nav';

export const SIZE = 28;
export const FUNCTIONS = ['relu', 'leakyRelu', 'sigmoid', 'tanh'] as const;
export type ActivationName = (typeof FUNCTIONS)[number];
export const FUNCTION_LABEL: Readonly<Record<ActivationName, string>> = {
  relu: 'ReLU',
  leakyRelu: 'leaky ReLU',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
};

/**
 * Lesson 2's Sobel kernels, the very same weights: "vertical" (Sobel x) is positive where ink
 * grows from left to right, "horizontal" (Sobel y) where it grows from top to bottom.
 */
export const KERNELS = {
  vertical: [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  horizontal: [-1, -2, -1, 0, 0, 0, 1, 2, 1],
} as const;
export type KernelName = keyof typeof KERNELS;
const KERNEL_NAMES = Object.keys(KERNELS) as KernelName[];

/** The digits offered, as (class, sample index) in the MNIST sample. */
export const DIGIT_PICKS: readonly (readonly [number, number])[] = [
  [7, 0],
  [3, 1],
  [0, 2],
];

/** The settings, declared once: link keys `act.fn`, `act.alpha`, … */
export const FIELDS = {
  fn: choice('fn', 'activation', FUNCTIONS, 'relu'),
  alpha: decimal('alpha', 'leaky slope alpha', { min: 0, max: 1, initial: 0.1 }),
  kernel: choice('kernel', 'edge kernel', KERNEL_NAMES, 'vertical'),
  digit: integer('digit', 'digit', { min: 0, max: DIGIT_PICKS.length - 1, initial: 0 }),
  row: integer('row', 'inspected row', { min: 0, max: SIZE - 1, initial: 14 }),
  col: integer('col', 'inspected column', { min: 0, max: SIZE - 1, initial: 14 }),
} as const;

export interface ActSettings {
  readonly fn: ActivationName;
  readonly alpha: number;
  readonly kernel: KernelName;
  readonly digit: number; // index into the embedded digits
  readonly row: number;
  readonly col: number;
}

export const DEFAULT_ACT: ActSettings = {
  fn: 'relu',
  alpha: 0.1,
  kernel: 'vertical',
  digit: 0,
  row: 14,
  col: 14,
};

export interface ActState extends ActSettings {
  /** Why the typed alpha was not used (the maps show the last valid one). */
  readonly alphaError?: string;
  /** The embedded digits' pixels (build time; never change). */
  readonly digits: readonly (readonly number[])[];
}

export type ActAction =
  | { readonly kind: 'fn'; readonly fn: ActivationName }
  | { readonly kind: 'kernel'; readonly kernel: KernelName }
  | { readonly kind: 'digit'; readonly digit: number }
  | { readonly kind: 'slider'; readonly alpha: number }
  | { readonly kind: 'typed'; readonly raw: string }
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'pick'; readonly index: number };

export function reduceAct(s: ActState, a: ActAction): ActState {
  switch (a.kind) {
    case 'fn':
      return { ...s, fn: a.fn };
    case 'kernel':
      return { ...s, kernel: a.kernel };
    case 'digit':
      return { ...s, digit: a.digit };
    case 'slider':
      return { ...s, alpha: a.alpha, alphaError: undefined };
    case 'typed': {
      const r = FIELDS.alpha.parse(a.raw);
      if (r.ok) return { ...s, alpha: r.value, alphaError: undefined };
      return { ...s, alphaError: `${r.error} The maps show the last valid alpha (${s.alpha}).` };
    }
    case 'key': {
      const next = moveCursor(s, a.key, SIZE);
      return next && (next.row !== s.row || next.col !== s.col) ? { ...s, ...next } : s;
    }
    case 'pick': {
      if (!Number.isInteger(a.index) || a.index < 0 || a.index >= SIZE * SIZE) return s;
      return { ...s, row: Math.floor(a.index / SIZE), col: a.index % SIZE };
    }
  }
}

/** Settings from the URL namespace `act`; garbage → that field's default, with a note. */
export const parseActParams = linkReader(FIELDS);

export const actParams = (s: ActSettings) => fieldParams(FIELDS, s);

/** The reference engine's activation, by name. */
export function applyActivation(fn: ActivationName, alpha: number, x: Tensor): Tensor {
  switch (fn) {
    case 'relu':
      return relu(x);
    case 'leakyRelu':
      return leakyRelu(x, alpha);
    case 'sigmoid':
      return sigmoid(x);
    case 'tanh':
      return tanh(x);
  }
}

/** One scalar through the activation (for the curves), using the same reference functions. */
export function activationCurve(
  fn: ActivationName,
  alpha: number,
  xs: readonly number[],
): number[] {
  return [...applyActivation(fn, alpha, { shape: [xs.length], data: Float32Array.from(xs) }).data];
}

export interface Counts {
  readonly negative: number; // cells < 0 before
  readonly zeroBefore: number; // cells exactly 0 before
  readonly zeroAfter: number; // cells exactly 0 after
  readonly positive: number;
}

export function counts(before: ArrayLike<number>, after: ArrayLike<number>): Counts {
  let negative = 0;
  let zeroBefore = 0;
  let zeroAfter = 0;
  let positive = 0;
  for (let i = 0; i < before.length; i++) {
    if (before[i] < 0) negative++;
    else if (before[i] === 0) zeroBefore++;
    else positive++;
    if (after[i] === 0) zeroAfter++;
  }
  return { negative, zeroBefore, zeroAfter, positive };
}

export interface ActResult {
  readonly x: Tensor;
  readonly kernel: Tensor;
  /** The feature map: the digit convolved with the kernel (padding 1). */
  readonly pre: Tensor;
  readonly post: Tensor;
  readonly counts: Counts;
}

/** The reference result for the state's digit, kernel and activation. */
export function computeAct(s: ActState): ActResult {
  const x = tensor([1, 1, SIZE, SIZE], Float32Array.from(s.digits[s.digit]));
  const kernel = tensor([1, 1, 3, 3], Float32Array.from(KERNELS[s.kernel]));
  const pre = conv2d(x, kernel, { pads: 1 });
  const post = applyActivation(s.fn, s.alpha, pre);
  return { x, kernel, pre, post, counts: counts(pre.data, post.data) };
}

/**
 * The inspected cell after `key`, on the one grid model (grid-nav.ts): ←/→ a cell, ↑/↓ a row,
 * Home/End the first/last cell; null for other keys (Space too: nothing plays here).
 */
export function moveCursor(
  s: Pick<ActSettings, 'row' | 'col'>,
  key: string,
  size: number,
): { row: number; col: number } | null {
  const to = navigate(key, s.row * size + s.col, size * size, size);
  if (to === null || to === 'toggle') return null;
  return { row: Math.floor(to / size), col: to % size };
}

export function describeCell(
  s: ActSettings,
  before: number,
  after: number,
  fmt: (v: number) => string,
): string {
  return `Row ${s.row}, column ${s.col}: ${fmt(before)} before, ${FUNCTION_LABEL[s.fn]}${s.fn === 'leakyRelu' ? ` (alpha ${s.alpha})` : ''} gives ${fmt(after)}.`;
}
