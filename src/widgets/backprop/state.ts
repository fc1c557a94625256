/**
 * backprop (lesson 8): the settings (declared once with fields.ts; the link keys of old links),
 * the widget's whole state as one immutable value, and its pure reducer. What is computed from it
 * lives in backward.ts (the backward pass), check.ts (the numerical gradient check) and sgd.ts
 * (one SGD step); compute.ts ties them to the kernel and to the ORT check.
 */
import { decimal, integer, readFields, fieldParams } from '../shared/fields';
import type { Field } from '../shared/fields';
import type { TwiceResult } from '../shared/twice';
import { CLASSES, clampStep, FILTERS, POOLED, STEP_COUNT } from './backward';
import { parseWeightFields, sameWeight, WEIGHT_FIELD } from './check';
import type { WeightBox, WeightKind, WeightRef } from './check';
import { DEFAULT_LR, MAX_LR } from './sgd';

/** The digits the reader picks from ([digit, sample] of MNIST), and the ten the step is judged on. */
export const DIGIT_PICKS = [
  [3, 0],
  [7, 0],
  [2, 0],
  [0, 0],
  [5, 0],
] as const;
export const OTHER_PICKS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => [d, 1] as const);
export const DEFAULT_SEED = 8;

/** The link counts steps from 1 (`bp.step=4` is the ReLU step), as links always have. */
const STEP_IN_LINK = integer('step', 'step', { min: 1, max: STEP_COUNT, initial: 1 });
export const STEP_FIELD: Field<number> = {
  key: 'step',
  label: 'step',
  initial: 0,
  parse(raw) {
    const r = STEP_IN_LINK.parse(raw);
    return r.ok ? { ok: true, value: r.value - 1 } : r;
  },
  format: (step) => String(step + 1),
};

/** The settings a link carries (`bp.digit=…`), each declared once. */
export const FIELDS = {
  digit: integer('digit', 'digit choice', { min: 0, max: DIGIT_PICKS.length - 1, initial: 0 }),
  seed: integer('seed', 'weight seed', { min: 0, max: 999_999, initial: DEFAULT_SEED }),
  step: STEP_FIELD,
  channel: integer('ch', 'channel', { min: 0, max: FILTERS - 1, initial: 0 }),
  weight: WEIGHT_FIELD,
  lr: decimal('lr', 'learning rate', {
    min: 0,
    max: MAX_LR,
    aboveMin: true,
    initial: DEFAULT_LR,
  }),
} as const;

/** The row of W the dense step shows (not in the link: it follows the digit). */
export const UNIT_FIELD = integer('unit', 'row of W shown', {
  min: 0,
  max: CLASSES - 1,
  initial: 0,
});

export interface BackpropLink {
  readonly digit: number;
  readonly seed: number;
  readonly step: number;
  readonly channel: number;
  readonly weight: WeightRef;
  readonly lr: number;
}

/** Reads `bp.*` from the link; anything unusable falls back to its default with a note. */
export function parseBackpropParams(
  params: ReadonlyMap<string, string>,
): BackpropLink & { notes: string[] } {
  const { values, notes } = readFields(FIELDS, params);
  return { ...values, notes };
}

/** The link for `s`; a setting at its default is left out. */
export function backpropParams(s: BackpropLink): Record<string, string | undefined> {
  const { digit, seed, step, channel, weight, lr } = s;
  return fieldParams(FIELDS, { digit, seed, step, channel, weight, lr });
}

export interface Digit {
  readonly label: number;
  readonly pixels: readonly number[];
}

/** ORT's result, and the compute key of the state it checked. */
export interface Checked {
  readonly key: string;
  readonly result: TwiceResult;
}

export interface BackpropState extends BackpropLink {
  /** The digits the page embeds: the choices, and the ten the step is judged on. */
  readonly digits: readonly Digit[];
  readonly others: readonly Digit[];
  /** The row of W the dense step shows. */
  readonly unit: number;
  /** The pixel whose input-gradient sum is written out; null: the one with the largest |∂L/∂x|. */
  readonly pixel: number | null;
  /** What the reader typed that is not valid, with its message (the figures keep the last valid). */
  readonly errors: Readonly<{
    seed?: string;
    lr?: string;
    weight?: { readonly box: WeightBox; readonly message: string };
  }>;
  /** The backward pass on onnxruntime-web (gradients, updated weights), and the loss after it. */
  readonly ort?: Checked;
  readonly ortAfter?: Checked;
}

export function initialState(
  digits: readonly Digit[],
  others: readonly Digit[],
  link: BackpropLink,
): BackpropState {
  return { ...link, digits, others, unit: digits[link.digit].label, pixel: null, errors: {} };
}

/** Same key ⇒ same reference result (and ORT check): the digit, the weights and the step size. */
export function computeKey(s: Pick<BackpropState, 'digit' | 'seed' | 'lr'>): string {
  return `${s.digit}|${s.seed}|${s.lr}`;
}

export type BackpropAction =
  | {
      readonly kind: 'edit';
      readonly field: 'digit' | 'seed' | 'lr' | 'channel';
      readonly raw: string;
    }
  | { readonly kind: 'unit'; readonly raw: string }
  | { readonly kind: 'step'; readonly step: number }
  /** The kind select: a kernel cell in the channel shown, or `dense` (chosen by the view). */
  | { readonly kind: 'weight-kind'; readonly to: WeightKind; readonly dense: WeightRef }
  | {
      readonly kind: 'weight-boxes';
      readonly as: string;
      readonly a: string;
      readonly b: string;
      readonly c: string;
    }
  /** A click on ∂L/∂k (cell of the 3 × 3 kernel) or on ∂L/∂W (cell of the channel shown). */
  | { readonly kind: 'pick'; readonly grid: 'kernel' | 'dense'; readonly index: number }
  | { readonly kind: 'pixel'; readonly index: number }
  | { readonly kind: 'ort' | 'ort-after'; readonly key: string; readonly result: TwiceResult };

const MESSAGE_TAIL = {
  seed: 'The figure shows the last valid seed.',
  lr: 'The step shown uses the last valid learning rate.',
  weight: 'The check shows the last valid weight.',
} as const;

function without<K extends keyof BackpropState['errors']>(
  errors: BackpropState['errors'],
  key: K,
): BackpropState['errors'] {
  if (!(key in errors)) return errors;
  const out = { ...errors };
  delete out[key];
  return out;
}

/** Checks `w`, showing the maps it lives in (its filter, or its row of W and its channel). */
function withWeight(s: BackpropState, w: WeightRef): BackpropState {
  const errors = without(s.errors, 'weight');
  if (sameWeight(w, s.weight) && errors === s.errors) return s;
  return w.kind === 'kernel'
    ? { ...s, weight: w, channel: w.filter, errors }
    : { ...s, weight: w, unit: w.unit, channel: Math.floor(w.feature / (POOLED * POOLED)), errors };
}

function edit(s: BackpropState, field: 'digit' | 'seed' | 'lr' | 'channel', raw: string) {
  const r = FIELDS[field].parse(raw);
  if (!r.ok) {
    if (field === 'digit' || field === 'channel') return s; // a select: nothing else to say
    return { ...s, errors: { ...s.errors, [field]: `${r.error} ${MESSAGE_TAIL[field]}` } };
  }
  const errors = field === 'seed' || field === 'lr' ? without(s.errors, field) : s.errors;
  if (r.value === s[field] && errors === s.errors) return s;
  if (field === 'channel') {
    const weight =
      s.weight.kind === 'kernel' && s.weight.filter !== r.value
        ? { ...s.weight, filter: r.value }
        : s.weight;
    return { ...s, channel: r.value, weight };
  }
  const next = { ...s, [field]: r.value, errors };
  return computeKey(next) === computeKey(s)
    ? next
    : { ...next, pixel: null, ort: undefined, ortAfter: undefined };
}

export function reduceBackprop(s: BackpropState, a: BackpropAction): BackpropState {
  switch (a.kind) {
    case 'edit':
      return edit(s, a.field, a.raw);
    case 'unit': {
      const r = UNIT_FIELD.parse(a.raw);
      return r.ok && r.value !== s.unit ? { ...s, unit: r.value } : s;
    }
    case 'step': {
      const step = clampStep(a.step);
      return step === s.step ? s : { ...s, step };
    }
    case 'weight-kind':
      return withWeight(
        s,
        a.to === 'dense' ? a.dense : { kind: 'kernel', filter: s.channel, row: 1, col: 1 },
      );
    case 'weight-boxes': {
      const r = parseWeightFields(a.as, a.a, a.b, a.c);
      if ('weight' in r) return withWeight(s, r.weight);
      const message = `${r.error} ${MESSAGE_TAIL.weight}`;
      return { ...s, errors: { ...s.errors, weight: { box: r.field, message } } };
    }
    case 'pick': {
      if (a.grid === 'dense')
        return withWeight(s, {
          kind: 'dense',
          unit: s.unit,
          feature: s.channel * POOLED * POOLED + a.index,
        });
      const filter = s.weight.kind === 'kernel' ? s.weight.filter : s.channel;
      return withWeight(s, {
        kind: 'kernel',
        filter,
        row: Math.floor(a.index / 3),
        col: a.index % 3,
      });
    }
    case 'pixel':
      return a.index === s.pixel ? s : { ...s, pixel: a.index };
    case 'ort':
      return a.key === computeKey(s) ? { ...s, ort: { key: a.key, result: a.result } } : s;
    case 'ort-after':
      return a.key === computeKey(s) ? { ...s, ortAfter: { key: a.key, result: a.result } } : s;
  }
}
