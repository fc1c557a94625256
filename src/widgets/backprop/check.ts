/**
 * backprop, the numerical gradient check: which weight (a kernel cell or a dense weight, every
 * position counted from 0), how the link and the picker's three boxes name it, tinyNet's loss in
 * float64, central differences and the relative error. Pure.
 */
import type { Params } from '../../cnn/index.ts';
import { integer } from '../shared/fields';
import type { Field, Parsed } from '../shared/fields';
import { CLASSES, CONV, FEATURES, FILTERS, POOLED, SIDE } from './backward';
import type { BackwardPass } from './backward';

export type WeightRef =
  | { readonly kind: 'kernel'; readonly filter: number; readonly row: number; readonly col: number }
  | { readonly kind: 'dense'; readonly unit: number; readonly feature: number };
export type WeightKind = WeightRef['kind'];

export const DEFAULT_WEIGHT: WeightRef = { kind: 'kernel', filter: 0, row: 1, col: 1 };

export function weightParam(w: WeightRef): { name: '0.kernel' | '4.weight'; index: number } {
  return w.kind === 'kernel'
    ? { name: '0.kernel', index: (w.filter * 3 + w.row) * 3 + w.col }
    : { name: '4.weight', index: w.unit * FEATURES + w.feature };
}

/** "k2.0.1" (filter 2, row 0, column 1) or "d3.120" (class 3, feature 120): the link's form. */
export function weightText(w: WeightRef): string {
  return w.kind === 'kernel' ? `k${w.filter}.${w.row}.${w.col}` : `d${w.unit}.${w.feature}`;
}

export function weightLabel(w: WeightRef): string {
  if (w.kind === 'kernel') return `kernel ${w.filter}, row ${w.row}, column ${w.col}`;
  const c = Math.floor(w.feature / (POOLED * POOLED));
  const rc = w.feature % (POOLED * POOLED);
  return `dense weight W[${w.unit}, ${w.feature}] (class ${w.unit}; input channel ${c}, row ${Math.floor(rc / POOLED)}, column ${rc % POOLED})`;
}

export function sameWeight(a: WeightRef, b: WeightRef): boolean {
  return weightText(a) === weightText(b);
}

/** The picker's boxes a, b, c for each kind of weight (c only for a kernel cell): name, largest. */
const BOXES = {
  kernel: { a: ['filter', FILTERS - 1], b: ['kernel row', 2], c: ['kernel column', 2] },
  dense: { a: ['class k', CLASSES - 1], b: ['input feature j', FEATURES - 1] },
} as const;
const boxFields = <B extends Partial<Record<WeightBox, readonly [string, number]>>>(boxes: B) =>
  Object.fromEntries(
    Object.entries(boxes).map(([box, [label, max]]) => [
      box,
      integer(`w${box}`, label, { min: 0, max, initial: 0 }),
    ]),
  ) as { [K in keyof B]: Field<number> };
export const WEIGHT_BOXES = { kernel: boxFields(BOXES.kernel), dense: boxFields(BOXES.dense) };

/** What the picker's labels say for each kind: "Kernel row (0–2)". */
export function boxLabels(kind: WeightKind): Record<WeightBox, string> {
  const out: Record<WeightBox, string> = { a: '', b: '', c: '' };
  for (const [box, [label, max]] of Object.entries(BOXES[kind]) as [
    WeightBox,
    readonly [string, number],
  ][])
    out[box] = `${label[0].toUpperCase()}${label.slice(1)} (0–${max})`;
  return out;
}
export type WeightBox = 'a' | 'b' | 'c';

/** What the three boxes say for `w`. */
export function weightBoxes(w: WeightRef): Record<WeightBox, string> {
  return w.kind === 'kernel'
    ? { a: String(w.filter), b: String(w.row), c: String(w.col) }
    : { a: String(w.unit), b: String(w.feature), c: '' };
}

/** The picker's boxes, validated; a message names the box, its value and the rule. */
export function parseWeightFields(
  kind: string,
  a: string,
  b: string,
  c: string,
): { weight: WeightRef } | { error: string; field: WeightBox } {
  const raw = { a, b, c };
  const boxes: Readonly<Partial<Record<WeightBox, Field<number>>>> =
    WEIGHT_BOXES[kind === 'dense' ? 'dense' : 'kernel'];
  const v: Partial<Record<WeightBox, number>> = {};
  for (const [box, field] of Object.entries(boxes) as [WeightBox, Field<number>][]) {
    const r = field.parse(raw[box]);
    if (!r.ok) return { error: r.error, field: box };
    v[box] = r.value;
  }
  return kind === 'dense'
    ? { weight: { kind: 'dense', unit: v.a!, feature: v.b! } }
    : { weight: { kind: 'kernel', filter: v.a!, row: v.b!, col: v.c! } };
}

/** The weight the check is on, in the link as `w=k0.1.1` or `w=d3.120`. */
export const WEIGHT_FIELD: Field<WeightRef> = {
  key: 'w',
  label: 'weight',
  initial: DEFAULT_WEIGHT,
  parse(raw): Parsed<WeightRef> {
    const text = raw.trim();
    const k = /^k(\d+)\.(\d+)\.(\d+)$/.exec(text);
    const d = /^d(\d+)\.(\d+)$/.exec(text);
    const r = k
      ? parseWeightFields('kernel', k[1], k[2], k[3])
      : d
        ? parseWeightFields('dense', d[1], d[2], '')
        : undefined;
    if (r && 'weight' in r) return { ok: true, value: r.weight };
    return {
      ok: false,
      error: `weight: "${text}" is not a kernel cell like k0.1.1 (filter 0–${FILTERS - 1}, row 0–2, column 0–2) or a dense weight like d3.120 (class 0–${CLASSES - 1}, feature 0–${FEATURES - 1}).`,
    };
  },
  format: weightText,
};

export function parseWeight(raw: string): WeightRef | null {
  const r = WEIGHT_FIELD.parse(raw);
  return r.ok ? r.value : null;
}

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
            s += pixels[(i + p) * SIDE + j + q] * get('0.kernel', (m * 3 + p) * 3 + q);
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
