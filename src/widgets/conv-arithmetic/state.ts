/**
 * The convolution-arithmetic widget's state, one immutable value: what the reader typed in each
 * control, the last valid settings (what the figure draws), the message for each control, the
 * current step of the walk, and the walk's size. `reduce` is the whole update; the link is read
 * and written through fields.
 */
import { choice, fieldParams, integer, readFields } from '../shared/fields';
import type { Field } from '../shared/fields';
import { clampStep } from '../shared/stepper';
import { computeArith, stepCount } from './arith';
import type { ArithOk } from './arith';
import { DEFAULTS, FIELDS, SIDES, controlsFor, slotOf, valueOf } from './settings';
import type { ArithSettings, Control, Mode, PadMode, Pads, Slot } from './settings';

export interface ArithState {
  /** What the mode radios and the padding select say (maybe not valid with the rest). */
  readonly mode: Mode;
  readonly padMode: PadMode;
  /** What each text control holds. */
  readonly text: Readonly<Record<Control, string>>;
  /** The last valid settings: what the figure draws. */
  readonly settings: ArithSettings;
  readonly errors: Readonly<Partial<Record<Slot, string>>>;
  /** Why the figure still shows the last valid picture ('' when it shows what the controls say). */
  readonly message: string;
  readonly step: number;
  /** The walk over output cells (conv) or input cells (transpose): how many, how many a row. */
  readonly walk: { readonly count: number; readonly cols: number };
}

export type ArithAction =
  | { readonly kind: 'edit'; readonly control: Control; readonly raw: string }
  | { readonly kind: 'mode'; readonly mode: Mode }
  | { readonly kind: 'padMode'; readonly padMode: PadMode }
  | { readonly kind: 'step'; readonly step: number };

export const FIX_FIELD = 'Fix the highlighted field; the last valid picture stays below.';
export const FIX_COMBINATION =
  'This combination is not valid (see the message by the control); the last valid picture stays below.';

const walkOf = (r: ArithOk) => ({ count: stepCount(r), cols: r.g.outWidth });

function valid(s: ArithSettings): ArithOk {
  const r = computeArith(s);
  if (!r.ok) throw new Error(r.message);
  return r;
}

/** The state that draws `settings` (valid) at `step`, its controls showing them. */
export function stateFor(settings: ArithSettings, step = 0): ArithState {
  const walk = walkOf(valid(settings));
  const text = Object.fromEntries(
    (Object.keys(FIELDS) as Control[]).map((c) => [c, FIELDS[c].format(valueOf(settings, c))]),
  ) as Record<Control, string>;
  return {
    mode: settings.mode,
    padMode: settings.padMode,
    text,
    settings,
    errors: {},
    message: '',
    step: clampStep(step, walk.count),
    walk,
  };
}

const sameSettings = (a: ArithSettings, b: ArithSettings) =>
  JSON.stringify(a) === JSON.stringify(b);

/** Reads every control `s` uses; draws them if they are valid together, else says why not. */
function settle(s: ArithState): ArithState {
  const errors: Partial<Record<Slot, string>> = {};
  const values: Partial<Record<Control, number>> = {};
  for (const c of controlsFor(s.padMode)) {
    const r = FIELDS[c].parse(s.text[c]);
    if (r.ok) values[c] = r.value;
    else errors[slotOf(c)] ??= r.error;
  }
  if (Object.keys(errors).length) return { ...s, errors, message: FIX_FIELD };
  const v = values as Record<Control, number>;
  const old = s.settings;
  const next: ArithSettings = {
    mode: s.mode,
    padMode: s.padMode,
    h: v.h,
    w: v.w,
    k: v.k,
    sh: v.sh,
    sw: v.sw,
    d: v.d,
    pad: s.padMode === 'symmetric' ? v.pad : old.pad,
    pads:
      s.padMode === 'asymmetric' ? (SIDES.map((x) => v[`pads-${x}`]) as unknown as Pads) : old.pads,
  };
  const r = computeArith(next);
  if (!r.ok) {
    if (r.field === 'form') return { ...s, errors: {}, message: r.message };
    // A refusal of "same" or "valid" goes by the padding select (its number fields are hidden).
    const slot = r.field === 'pad' && s.padMode !== 'symmetric' ? 'padMode' : r.field;
    return { ...s, errors: { [slot]: r.message }, message: FIX_COMBINATION };
  }
  if (sameSettings(next, old)) return { ...s, errors: {}, message: '' };
  return { ...s, settings: next, errors: {}, message: '', step: 0, walk: walkOf(r) };
}

export function reduceArith(s: ArithState, a: ArithAction): ArithState {
  switch (a.kind) {
    case 'edit':
      return s.text[a.control] === a.raw
        ? s
        : settle({ ...s, text: { ...s.text, [a.control]: a.raw } });
    case 'mode':
      return a.mode === s.mode ? s : settle({ ...s, mode: a.mode });
    case 'padMode':
      return a.padMode === s.padMode ? s : settle({ ...s, padMode: a.padMode });
    case 'step': {
      const step = clampStep(a.step, s.walk.count);
      return step === s.step ? s : { ...s, step };
    }
  }
}

// ---- the link ---------------------------------------------------------------------------------

export const NAMESPACE = 'arith';

/** `s=2` (both strides) or `s=2x1` (rows × columns). */
const STRIDE: Field<readonly [number, number]> = {
  key: 's',
  label: 'stride',
  initial: [DEFAULTS.sh, DEFAULTS.sw],
  parse(raw) {
    const m = /^([^x]+)(?:x([^x]+))?$/.exec(raw.trim());
    if (!m)
      return { ok: false, error: `stride: "${raw.trim()}" is not a number or a pair like 2x1.` };
    const sh = FIELDS.sh.parse(m[1]);
    if (!sh.ok) return sh;
    const sw = FIELDS.sw.parse(m[2] ?? m[1]);
    if (!sw.ok) return sw;
    return { ok: true, value: [sh.value, sw.value] };
  },
  format: ([sh, sw]) => (sh === sw ? String(sh) : `${sh}x${sw}`),
};

type Padding = Pick<ArithSettings, 'padMode' | 'pad' | 'pads'>;

/** `pad=1` (every side), `pad=0,1,2,0` (top, left, bottom, right), `pad=same`, `pad=valid`. */
const PADDING: Field<Padding> = {
  key: 'pad',
  label: 'padding',
  initial: { padMode: DEFAULTS.padMode, pad: DEFAULTS.pad, pads: DEFAULTS.pads },
  parse(raw) {
    const t = raw.trim();
    if (t === 'same' || t === 'valid')
      return { ok: true, value: { padMode: t, pad: DEFAULTS.pad, pads: DEFAULTS.pads } };
    const parts = t.split(',');
    if (parts.length === 1) {
      const r = FIELDS.pad.parse(t);
      return r.ok
        ? { ok: true, value: { padMode: 'symmetric', pad: r.value, pads: DEFAULTS.pads } }
        : r;
    }
    if (parts.length !== 4)
      return {
        ok: false,
        error: `padding: "${t}" is not a number, four numbers (top,left,bottom,right), same or valid.`,
      };
    const four: number[] = [];
    for (const [i, side] of SIDES.entries()) {
      const r = FIELDS[`pads-${side}`].parse(parts[i]);
      if (!r.ok) return r;
      four.push(r.value);
    }
    const pads = four as unknown as Pads;
    return { ok: true, value: { padMode: 'asymmetric', pad: pads[0], pads } };
  },
  format: (p) =>
    p.padMode === 'symmetric'
      ? String(p.pad)
      : p.padMode === 'asymmetric'
        ? p.pads.join(',')
        : p.padMode,
};

/** The link's fields, in the order their notes are said. */
export const LINK = {
  mode: choice<Mode>('mode', 'mode', ['conv', 'transpose'], DEFAULTS.mode),
  h: FIELDS.h,
  w: FIELDS.w,
  k: FIELDS.k,
  stride: STRIDE,
  padding: PADDING,
  d: FIELDS.d,
  step: integer('step', 'step', { min: 0, max: 999, initial: 0 }),
} as const;

export interface Restored {
  readonly settings: ArithSettings;
  readonly step: number;
  /** What in the link could not be used, and what was used instead. */
  readonly notes: readonly string[];
}

/** Settings from the link; a bad value keeps its default, settings that do not work together
 * give way to the defaults, each with a note saying why. */
export function fromParams(params: ReadonlyMap<string, string>): Restored {
  const { values: v, notes } = readFields(LINK, params);
  const settings: ArithSettings = {
    mode: v.mode,
    h: v.h,
    w: v.w,
    k: v.k,
    sh: v.stride[0],
    sw: v.stride[1],
    ...v.padding,
    d: v.d,
  };
  const check = computeArith(settings);
  if (!check.ok)
    return {
      settings: DEFAULTS,
      step: 0,
      notes: [
        ...notes,
        `From the link: these settings do not work together (${check.message}). Using the defaults.`,
      ],
    };
  return { settings, step: clampStep(v.step, stepCount(check)), notes };
}

/** The link for `s` at `step` (values equal to the defaults are left out). */
export function toParams(s: ArithSettings, step: number): Record<string, string | undefined> {
  return fieldParams(LINK, {
    mode: s.mode,
    h: s.h,
    w: s.w,
    k: s.k,
    stride: [s.sh, s.sw],
    padding: { padMode: s.padMode, pad: s.pad, pads: s.pads },
    d: s.d,
    step,
  });
}
