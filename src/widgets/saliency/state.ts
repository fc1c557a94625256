/**
 * saliency's settings and state, pure: the fields (digit, class, patch, stride; link keys
 * `sal.digit`, `sal.class`, `sal.patch`, `sal.stride`), the network it explains (looked for in the
 * training lab, trained here, or missing — and why), and the reducer. The numbers are in
 * analysis.ts; the DOM in view.ts and panels/.
 */
import type { ViewContext } from '../shared/define';
import { checkParams } from '../../cnn/index.ts';
import type { NetworkSpec, Params } from '../../cnn/index.ts';
import type { CrossCheck } from '../../runtime/crosscheck';
import { fieldParams, integer, readFields } from '../shared/fields';
import type { Field, Parsed } from '../shared/fields';
import type { WeightsReply } from '../shared/lab';
import { DEFAULT_OCCLUSION, MAX_POSITIONS, nonFiniteParam, occlusionGrid, SIDE } from './analysis';
import type { Digit, FirstLayer, OcclusionSettings } from './analysis';

export const CLASSES = 10;

/** `class`: "own" (the digit's own label, null) or a class 0…9. */
export const classField: Field<number | null> = {
  key: 'class',
  label: 'class explained',
  initial: null,
  parse(raw): Parsed<number | null> {
    const v = raw.trim();
    if (v === 'own') return { ok: true, value: null };
    if (/^\d+$/.test(v) && Number(v) < CLASSES) return { ok: true, value: Number(v) };
    return {
      ok: false,
      error: `class explained must be "own" or a whole number from 0 to ${CLASSES - 1}, got "${v}".`,
    };
  },
  format: (v) => (v === null ? 'own' : String(v)),
};

/** The settings, declared once; the digit's range is the number of test digits embedded. */
export function saliencyFields(digits: number) {
  return {
    digit: integer('digit', 'test digit', { min: 0, max: digits - 1, initial: 0 }),
    cls: classField,
    size: integer('patch', 'patch size', { min: 1, max: SIDE, initial: DEFAULT_OCCLUSION.size }),
    stride: integer('stride', 'stride', { min: 1, max: SIDE, initial: DEFAULT_OCCLUSION.stride }),
  } as const;
}
const OCCLUSION_FIELDS = saliencyFields(1);

/** Patch size and stride as typed: each field's rule, then at most MAX_POSITIONS positions. */
export function parseOcclusion(
  sizeRaw: string,
  strideRaw: string,
): { settings: OcclusionSettings } | { error: string; field: 'size' | 'stride' } {
  const size = OCCLUSION_FIELDS.size.parse(sizeRaw);
  if (!size.ok) return { error: size.error, field: 'size' };
  const stride = OCCLUSION_FIELDS.stride.parse(strideRaw);
  if (!stride.ok) return { error: stride.error, field: 'stride' };
  const settings = { size: size.value, stride: stride.value };
  const count = occlusionGrid(settings).positions.length;
  if (count > MAX_POSITIONS)
    return {
      error: `Patch ${size.value} with stride ${stride.value} gives ${count} positions; at most ${MAX_POSITIONS} (use a larger stride).`,
      field: 'stride',
    };
  return { settings };
}

export interface Settings {
  readonly digit: number;
  readonly cls: number | null; // null: the digit's own label
  readonly occlusion: OcclusionSettings;
}

export function parseSaliencyParams(
  params: ReadonlyMap<string, string>,
  digits: number,
): Settings & { readonly notes: readonly string[] } {
  const { values, notes } = readFields(saliencyFields(digits), params);
  let occlusion: OcclusionSettings = { size: values.size, stride: values.stride };
  const r = parseOcclusion(String(values.size), String(values.stride));
  if ('error' in r) {
    notes.push(
      `From the link: ${r.error} Using patch ${DEFAULT_OCCLUSION.size}, stride ${DEFAULT_OCCLUSION.stride}.`,
    );
    occlusion = DEFAULT_OCCLUSION;
  }
  return { digit: values.digit, cls: values.cls, occlusion, notes };
}

export function saliencyParams(s: Settings, digits = 200): Record<string, string | undefined> {
  const { digit, cls, occlusion } = s;
  return fieldParams(saliencyFields(digits), { digit, cls, ...occlusion });
}

// ---------------------------------------------------------------- the network

export interface Net {
  /** Which network this is on the page (a new one each time one is found or trained). */
  readonly id: number;
  readonly spec: NetworkSpec;
  readonly params: Params;
  /** "your network from the training lab (tutorial, 1 epoch, 97.0% test accuracy)". */
  readonly from: string;
}

export type NetPhase =
  | { readonly kind: 'looking' }
  /** No network to explain; `why` says which kind of "none" (the reader may train one here). */
  | {
      readonly kind: 'none';
      readonly why: 'missing' | 'untrained' | 'diverged' | 'unreadable' | 'failed';
      readonly text: string;
    }
  | { readonly kind: 'training'; readonly fraction: number; readonly text: string }
  | { readonly kind: 'ready'; readonly net: Net };

const OFFER =
  'Train one in the training lab (lesson 9), or train a quick one here, in a background worker.';

/**
 * A diverged run, in the lab's words (its NaN stop: "the loss became NaN"): weights that are NaN
 * or ±∞ explain nothing, and every number drawn from them would be NaN.
 */
export function divergedText(param: string): string {
  return `Your saved run diverged: the loss became NaN, and its weights (${param} first) are not numbers, so there is nothing to explain. Train it again in the training lab (lesson 9) at a lower learning rate, or train a quick one here, in a background worker.`;
}

/** The lab's `weights` answer as a phase: ready, or none with the reason. Never throws. */
export function netFromWeights(reply: WeightsReply, id: number, quick = false): NetPhase {
  const w = reply.weights;
  if (!w) {
    const why = reply.problem ? 'unreadable' : 'missing';
    const text = reply.problem
      ? `Your saved training-lab run could not be read (${reply.problem}). ${OFFER}`
      : `No trained network was found. ${OFFER}`;
    return { kind: 'none', why, text };
  }
  const { epoch, step } = w.progress;
  if (epoch === 0 && step === 0 && !w.imported)
    return {
      kind: 'none',
      why: 'untrained',
      text: `Your training-lab run has not taken a step yet. ${OFFER}`,
    };
  const params: Params = {};
  for (const [name, t] of Object.entries(w.params)) params[name] = t;
  try {
    checkParams(w.network, params, 'the saved run');
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return {
      kind: 'none',
      why: 'unreadable',
      text: `Your saved training-lab run could not be read (${problem}). ${OFFER}`,
    };
  }
  const bad = nonFiniteParam(params);
  if (bad !== undefined) return { kind: 'none', why: 'diverged', text: divergedText(bad) };
  const acc = w.progress.history.findLast((h) => h.testAccuracy !== undefined)?.testAccuracy;
  const pct = acc === undefined ? '' : `${(acc * 100).toFixed(1)}% test accuracy`;
  const epochs = `${epoch} epoch${epoch === 1 ? '' : 's'}`;
  const from = w.imported
    ? `the network you loaded from its .onnx (${w.network.layers.length} layers)`
    : quick
      ? `a quick network trained here for ${epochs}${pct ? ` (${pct})` : ''}; the training lab keeps it as your run`
      : `your network from the training lab (${w.network.name}, ${epochs}${pct ? `, ${pct}` : ''})`;
  return { kind: 'ready', net: { id, spec: w.network, params, from } };
}

// ---------------------------------------------------------------- state and reducer

export type ViewName = 'saliency' | 'occlusion' | 'filters';
export const VIEWS: readonly ViewName[] = ['saliency', 'occlusion', 'filters'];

export interface SalState {
  readonly digits: readonly Digit[];
  readonly net: NetPhase;
  readonly settings: Settings;
  /** The text typed that is not valid, with its message (the views keep the last valid value). */
  readonly errors: {
    readonly digit?: string;
    readonly occlusion?: string;
    readonly occField?: 'size' | 'stride';
  };
  /** The reference engine's probabilities for every occluded image, for `occlusionKey`. */
  readonly occluded?: { readonly key: string; readonly probs: Float32Array };
  /** Each view's ORT check for its `checkKey` (null: onnxruntime-web failed). */
  readonly checks: Readonly<Partial<Record<ViewName, ViewCheck>>>;
}

export interface ViewCheck {
  readonly key: string;
  readonly check: CrossCheck | null;
}

export type SalAction =
  | { readonly kind: 'net'; readonly net: NetPhase }
  | { readonly kind: 'edit'; readonly raw: string }
  /** Both occlusion inputs as typed (the rule on positions reads both). */
  | { readonly kind: 'occlusion'; readonly size: string; readonly stride: string }
  | { readonly kind: 'class'; readonly raw: string }
  | { readonly kind: 'digit'; readonly to: number }
  | { readonly kind: 'occluded'; readonly key: string; readonly probs: Float32Array }
  | {
      readonly kind: 'checked';
      readonly view: ViewName;
      readonly key: string;
      readonly check: CrossCheck | null;
    };

export function initialState(
  digits: readonly Digit[],
  settings: Settings,
  net: NetPhase = { kind: 'looking' },
): SalState {
  return { digits, net, settings, errors: {}, checks: {} };
}

const netId = (s: SalState) => (s.net.kind === 'ready' ? s.net.net.id : -1);

/** What the occluded probabilities depend on: the network, the digit, the patch. */
export function occlusionKey(s: SalState): string {
  const { digit, occlusion } = s.settings;
  return `${netId(s)}/${digit}/${occlusion.size}/${occlusion.stride}`;
}

/** What each view's ORT check depends on. */
export function checkKey(s: SalState, view: ViewName): string {
  const { digit, cls } = s.settings;
  if (view === 'saliency') return `${netId(s)}/${digit}/${cls ?? 'own'}`;
  if (view === 'occlusion') return occlusionKey(s);
  return String(netId(s));
}

/** The class explained: the chosen one, else the digit's own label. */
export function explained(s: SalState): number {
  return s.settings.cls ?? s.digits[s.settings.digit]!.label;
}

export function reduceSaliency(s: SalState, a: SalAction): SalState {
  const fields = saliencyFields(s.digits.length);
  switch (a.kind) {
    case 'net':
      return { ...s, net: a.net, occluded: undefined, checks: {} };
    case 'digit': {
      const to = Math.max(0, Math.min(s.digits.length - 1, Math.trunc(a.to)));
      if (to === s.settings.digit && !s.errors.digit) return s;
      return {
        ...s,
        settings: { ...s.settings, digit: to },
        errors: { ...s.errors, digit: undefined },
      };
    }
    case 'class': {
      const r = fields.cls.parse(a.raw);
      if (!r.ok || r.value === s.settings.cls) return s;
      return { ...s, settings: { ...s.settings, cls: r.value } };
    }
    case 'edit': {
      const r = fields.digit.parse(a.raw);
      if (!r.ok) {
        const digit = `${r.error} The views show the last valid digit.`;
        return { ...s, errors: { ...s.errors, digit } };
      }
      return {
        ...s,
        settings: { ...s.settings, digit: r.value },
        errors: { ...s.errors, digit: undefined },
      };
    }
    case 'occlusion': {
      const r = parseOcclusion(a.size, a.stride);
      if ('error' in r) {
        const occlusion = `${r.error} The map shows the last valid patch.`;
        return { ...s, errors: { ...s.errors, occlusion, occField: r.field } };
      }
      const errors = { ...s.errors, occlusion: undefined, occField: undefined };
      return { ...s, settings: { ...s.settings, occlusion: r.settings }, errors };
    }
    case 'occluded':
      return a.key === occlusionKey(s) ? { ...s, occluded: { key: a.key, probs: a.probs } } : s;
    case 'checked':
      if (a.key !== checkKey(s, a.view)) return s; // a stale answer
      return { ...s, checks: { ...s.checks, [a.view]: { key: a.key, check: a.check } } };
  }
}

/** What the reference engine computed for one state: what every panel draws. */
export interface SalResult {
  readonly net: Net;
  readonly cls: number;
  readonly gradient: Float32Array;
  readonly logits: Float32Array;
  readonly probs: Float32Array;
  /** Max of each first-layer map per test digit [digits, filters]; null without a first conv. */
  readonly first: FirstLayer | null;
}
export type SalCtx = ViewContext<SalState, SalAction>;
