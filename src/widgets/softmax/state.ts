/**
 * softmax (lesson 7): a digit → flatten → a fixed dense layer (one template per class) → logits
 * → softmax(z / T). Pure: URL parsing, temperature validation and slider mapping, the reference
 * forward pass and what to announce.
 */
import { linear, softmax, tensor, type Tensor } from '../../cnn/index.ts';

export const T_MIN = 0.01;
export const T_MAX = 1000;
export const DEFAULT_T = 1;

export interface SoftmaxState {
  readonly digit: number;
  readonly t: number;
}

/** The temperature: a number > 0 (0 would divide by zero), at most T_MAX. */
export function parseTemperature(raw: string): { value: number } | { error: string } {
  const text = raw.trim();
  const v = Number(text);
  if (text === '' || !Number.isFinite(v))
    return { error: `temperature: "${raw}" is not a number.` };
  if (v <= 0)
    return { error: `temperature must be greater than 0 (softmax divides by it), got ${text}.` };
  if (v < T_MIN || v > T_MAX)
    return { error: `temperature must be between ${T_MIN} and ${T_MAX}, got ${text}.` };
  return { value: v };
}

/** Slider position (log₁₀ T, from −1 to 2) ↔ temperature. */
export function sliderToT(position: number): number {
  return Math.round(10 ** position * 100) / 100;
}
export function tToSlider(t: number): number {
  return Math.max(-1, Math.min(2, Math.log10(t)));
}

export function parseSoftmaxParams(
  p: ReadonlyMap<string, string>,
  digits: number,
): { state: SoftmaxState; notes: string[] } {
  const notes: string[] = [];
  let digit = 0;
  let t = DEFAULT_T;
  const rawDigit = p.get('digit');
  if (rawDigit !== undefined) {
    const v = Number(rawDigit);
    if (rawDigit.trim() !== '' && Number.isInteger(v) && v >= 0 && v < digits) digit = v;
    else
      notes.push(
        `softmax.digit=${JSON.stringify(rawDigit)} is not one of the ${digits} digits; showing the first.`,
      );
  }
  const rawT = p.get('t');
  if (rawT !== undefined) {
    const r = parseTemperature(rawT);
    if ('value' in r) t = r.value;
    else notes.push(`From the link: ${r.error} Using T = ${DEFAULT_T}.`);
  }
  return { state: { digit, t }, notes };
}

export interface DenseLayer {
  readonly weight: Tensor; // [10, 784]
  readonly bias: Tensor; // [10]
}

/** z = W·x + b (the reference engine's linear), then softmax(z / T). */
export function forwardPass(
  pixels: ArrayLike<number>,
  layer: DenseLayer,
  t: number,
): { logits: Float32Array; scaled: Float32Array; probs: Float32Array } {
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
