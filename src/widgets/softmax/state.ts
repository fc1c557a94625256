/**
 * softmax (lesson 7): a digit → flatten → a fixed dense layer (one template per class) → logits
 * → softmax(z / T). Pure: the settings, the reducer, the slider mapping, the reference forward
 * pass and what to announce.
 */
import { linear, softmax, tensor } from '../../cnn/index.ts';
import type { Tensor } from '../../cnn/index.ts';
import { decimal, integer, linkReader, fieldParams } from '../shared/fields';
import type { Field } from '../shared/fields';

export const T_MIN = 0.01;
export const T_MAX = 1000;
/** Opens graded: this hand-made layer's logits lie tens apart, so at T = 1 it looks like argmax. */
export const DEFAULT_T = 10;

/** The digits the widget offers, as (class, sample index) in the MNIST sample: a 7 first. */
export const DIGIT_PICKS: readonly (readonly [number, number])[] = [
  [7, 0],
  [2, 0],
  [1, 0],
  [0, 0],
  [4, 0],
  [9, 0],
  [5, 0],
  [3, 0],
  [8, 0],
  [6, 0],
];

const positive = decimal('t', 'temperature T', {
  min: 0,
  max: T_MAX,
  aboveMin: true,
  initial: DEFAULT_T,
  why: 'softmax divides by it',
});

/** The temperature: > 0 (softmax divides by it), and at least T_MIN so z / T stays a float32. */
const temperature: Field<number> = {
  ...positive,
  parse(raw) {
    const r = positive.parse(raw);
    if (r.ok && r.value < T_MIN)
      return {
        ok: false,
        error: `temperature T must be at least ${T_MIN} (smaller ones overflow 32-bit floats), got ${raw.trim()}.`,
      };
    return r;
  },
};

/** The two settings, declared once: link keys `softmax.digit`, `softmax.t`. */
export const FIELDS = {
  digit: integer('digit', 'digit', { min: 0, max: DIGIT_PICKS.length - 1, initial: 0 }),
  t: temperature,
} as const;

export interface Digit {
  readonly label: number;
  readonly pixels: readonly number[];
}

export interface DenseLayer {
  readonly weight: Tensor; // [10, 784]
  readonly bias: Tensor; // [10]
}

export interface SoftmaxState {
  readonly digit: number;
  readonly t: number;
  /** Why the typed temperature was not used (the figures show the last valid one). */
  readonly tError?: string;
  /** Embedded at build time; never change. */
  readonly digits: readonly Digit[];
  readonly layer: DenseLayer;
}

export type SoftmaxAction =
  | { readonly kind: 'digit'; readonly digit: number }
  | { readonly kind: 'slider'; readonly position: number }
  | { readonly kind: 'typed'; readonly raw: string };

export function reduceSoftmax(s: SoftmaxState, a: SoftmaxAction): SoftmaxState {
  switch (a.kind) {
    case 'digit':
      return a.digit === s.digit ? s : { ...s, digit: a.digit };
    case 'slider':
      return { ...s, t: sliderToT(a.position), tError: undefined };
    case 'typed': {
      const r = FIELDS.t.parse(a.raw);
      if (r.ok) return { ...s, t: r.value, tError: undefined };
      return { ...s, tError: `${r.error} The bars show the last valid temperature (T = ${s.t}).` };
    }
  }
}

/** Slider position (log₁₀ T, from −1 to 2) ↔ temperature. */
export function sliderToT(position: number): number {
  return Math.round(10 ** position * 100) / 100;
}
export function tToSlider(t: number): number {
  return Math.max(-1, Math.min(2, Math.log10(t)));
}

/** Digit and T from the URL namespace `softmax`; garbage → the default, with a note. */
export const parseSoftmaxParams = linkReader(FIELDS);

export const softmaxParams = (s: SoftmaxState) => fieldParams(FIELDS, s);

export interface SoftmaxResult {
  readonly logits: Float32Array;
  readonly scaled: Float32Array;
  readonly probs: Float32Array;
}

/** z = W·x + b (the reference engine's linear), then softmax(z / T). */
export function forwardPass(
  pixels: ArrayLike<number>,
  layer: DenseLayer,
  t: number,
): SoftmaxResult {
  const x = tensor([1, pixels.length], Float32Array.from(pixels));
  const logits = linear(x, layer.weight, layer.bias).data;
  const scaled = logits.map((z) => z / t);
  const probs = softmax(tensor([1, logits.length], scaled)).data;
  return { logits, scaled, probs };
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Entropy in bits: 0 for a certain answer, log₂ 10 ≈ 3.32 for uniform over 10 classes. */
export function entropyBits(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > 0) h -= p[i] * Math.log2(p[i]);
  return h;
}

export function announce(label: number, t: number, probs: ArrayLike<number>): string {
  const top = argmax(probs);
  return `A handwritten ${label} at temperature ${t}: the most likely class is ${top} with probability ${(probs[top] * 100).toFixed(1)}%.`;
}
