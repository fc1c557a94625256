/**
 * activations (lesson 5): an edge feature map of a real digit before and after an activation.
 * Pure: URL parsing and validation, the kernels, applying the chosen activation with the
 * reference engine, counts, the inspected cell and what to announce.
 */
import { leakyRelu, relu, sigmoid, tanh, type Tensor } from '../../cnn/index.ts';

export const FUNCTIONS = ['relu', 'leakyRelu', 'sigmoid', 'tanh'] as const;
export type ActivationName = (typeof FUNCTIONS)[number];
export const FUNCTION_LABEL: Readonly<Record<ActivationName, string>> = {
  relu: 'ReLU',
  leakyRelu: 'leaky ReLU',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
};

/** 3×3 edge kernels (Sobel): "vertical" responds to left–right changes of ink. */
export const KERNELS = {
  vertical: [1, 0, -1, 2, 0, -2, 1, 0, -1],
  horizontal: [1, 2, 1, 0, 0, 0, -1, -2, -1],
} as const;
export type KernelName = keyof typeof KERNELS;

export interface ActState {
  readonly fn: ActivationName;
  readonly alpha: number;
  readonly kernel: KernelName;
  readonly digit: number; // index into the embedded digits
  readonly row: number;
  readonly col: number;
}

export const DEFAULT_ACT: ActState = {
  fn: 'relu',
  alpha: 0.1,
  kernel: 'vertical',
  digit: 0,
  row: 14,
  col: 14,
};

/** α for leaky ReLU: a number in [0, 1]. */
export function parseAlpha(raw: string): { value: number } | { error: string } {
  const v = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(v))
    return { error: `alpha: "${raw}" is not a number; type a slope between 0 and 1.` };
  if (v < 0 || v > 1) return { error: `alpha must be between 0 and 1, got ${raw.trim()}.` };
  return { value: v };
}

export function parseActParams(
  p: ReadonlyMap<string, string>,
  digits: number,
  size: number,
): { state: ActState; notes: string[] } {
  const notes: string[] = [];
  const s: { -readonly [K in keyof ActState]: ActState[K] } = { ...DEFAULT_ACT };
  const fn = p.get('fn');
  if (fn !== undefined) {
    if ((FUNCTIONS as readonly string[]).includes(fn)) s.fn = fn as ActivationName;
    else
      notes.push(`act.fn=${JSON.stringify(fn)} is not one of ${FUNCTIONS.join(', ')}; using relu.`);
  }
  const alpha = p.get('alpha');
  if (alpha !== undefined) {
    const r = parseAlpha(alpha);
    if ('value' in r) s.alpha = r.value;
    else notes.push(`From the link: ${r.error} Using ${DEFAULT_ACT.alpha}.`);
  }
  const kernel = p.get('kernel');
  if (kernel !== undefined) {
    if (kernel in KERNELS) s.kernel = kernel as KernelName;
    else
      notes.push(
        `act.kernel=${JSON.stringify(kernel)} is not vertical or horizontal; using vertical.`,
      );
  }
  const int = (key: 'digit' | 'row' | 'col', limit: number) => {
    const raw = p.get(key);
    if (raw === undefined) return;
    const v = Number(raw);
    if (raw.trim() !== '' && Number.isInteger(v) && v >= 0 && v < limit) s[key] = v;
    else
      notes.push(
        `act.${key}=${JSON.stringify(raw)} is not a whole number from 0 to ${limit - 1}; using ${DEFAULT_ACT[key]}.`,
      );
  };
  int('digit', digits);
  int('row', size);
  int('col', size);
  return { state: s, notes };
}

export function actParams(s: ActState): Record<string, string> {
  return {
    fn: s.fn,
    alpha: String(s.alpha),
    kernel: s.kernel,
    digit: String(s.digit),
    row: String(s.row),
    col: String(s.col),
  };
}

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

/** Arrow keys move the inspected cell, Home/End jump to the row's ends; null for other keys. */
export function moveCursor(
  s: ActState,
  key: string,
  size: number,
): { row: number; col: number } | null {
  const clamp = (v: number) => Math.max(0, Math.min(size - 1, v));
  switch (key) {
    case 'ArrowLeft':
      return { row: s.row, col: clamp(s.col - 1) };
    case 'ArrowRight':
      return { row: s.row, col: clamp(s.col + 1) };
    case 'ArrowUp':
      return { row: clamp(s.row - 1), col: s.col };
    case 'ArrowDown':
      return { row: clamp(s.row + 1), col: s.col };
    case 'Home':
      return { row: s.row, col: 0 };
    case 'End':
      return { row: s.row, col: size - 1 };
    default:
      return null;
  }
}

export function describeCell(
  s: ActState,
  before: number,
  after: number,
  fmt: (v: number) => string,
): string {
  return `Row ${s.row}, column ${s.col}: ${fmt(before)} before, ${FUNCTION_LABEL[s.fn]}${s.fn === 'leakyRelu' ? ` (alpha ${s.alpha})` : ''} gives ${fmt(after)}.`;
}
