/**
 * The channels widget's state, one immutable value: the convolution (mode, one bias per filter,
 * the selected feature map), the current cell, what the reader typed in each bias field, the
 * sizes of the parameter counter, and the message of each field. `reduce` is the whole update;
 * the link is read and written through fields.
 */
import { choice, decimal, fieldParams, integer, readFields } from '../shared/fields';
import type { Field } from '../shared/fields';
import { clampStep } from '../shared/stepper';
import { COUNT_DEFAULTS, COUNT_FIELDS } from './counts';
import type { CountInputs, CountKey } from './counts';
import { DEFAULTS, PRESETS, SIZE, filterCount } from './filters';
import type { ChannelsSettings, Mode } from './filters';

/** One bias field per filter of the ordinary bank (the depthwise bank uses the first three). */
export const BIAS: readonly Field<number>[] = PRESETS.map((_, f) =>
  decimal(`b${f + 1}`, `bias of filter ${f + 1}`, { min: -5, max: 5, initial: 0 }),
);

export interface ChannelsState {
  /** What the maps are computed with: the mode, the last valid biases, the selected map. */
  readonly settings: ChannelsSettings;
  /** The current cell (row-major over the 16 × 16 maps). */
  readonly step: number;
  /** What each bias field holds, and its message when that is not a bias. */
  readonly biasText: readonly string[];
  readonly biasErrors: Readonly<Partial<Record<number, string>>>;
  /** The parameter counter's last valid sizes, and the message of each size field. */
  readonly count: CountInputs;
  readonly countErrors: Readonly<Partial<Record<CountKey, string>>>;
}

export type ChannelsAction =
  | { readonly kind: 'mode'; readonly mode: Mode }
  | { readonly kind: 'filter'; readonly filter: number }
  | { readonly kind: 'step'; readonly step: number }
  | { readonly kind: 'bias'; readonly filter: number; readonly raw: string }
  | { readonly kind: 'count'; readonly key: CountKey; readonly raw: string };

export const CELLS = SIZE * SIZE;

export function initialState(settings = DEFAULTS, step = 0, count = COUNT_DEFAULTS): ChannelsState {
  return {
    settings,
    step: clampStep(step, CELLS),
    biasText: BIAS.map((field, f) => field.format(settings.biases[f])),
    biasErrors: {},
    count,
    countErrors: {},
  };
}

function without<K extends PropertyKey, V>(o: Readonly<Partial<Record<K, V>>>, k: K) {
  const out = { ...o };
  delete out[k];
  return out;
}

export function reduceChannels(s: ChannelsState, a: ChannelsAction): ChannelsState {
  switch (a.kind) {
    case 'mode':
      return a.mode === s.settings.mode
        ? s
        : { ...s, settings: { ...s.settings, mode: a.mode, filter: 0 } };
    case 'filter': {
      const filter = clampStep(a.filter, filterCount(s.settings.mode));
      return filter === s.settings.filter ? s : { ...s, settings: { ...s.settings, filter } };
    }
    case 'step': {
      const step = clampStep(a.step, CELLS);
      return step === s.step ? s : { ...s, step };
    }
    case 'bias': {
      const biasText = s.biasText.map((t, f) => (f === a.filter ? a.raw : t));
      const r = BIAS[a.filter].parse(a.raw);
      if (!r.ok)
        return {
          ...s,
          biasText,
          biasErrors: {
            ...s.biasErrors,
            [a.filter]: `${r.error} The maps keep the last valid bias.`,
          },
        };
      const biases = s.settings.biases.map((b, f) => (f === a.filter ? r.value : b));
      return {
        ...s,
        settings: { ...s.settings, biases },
        biasText,
        biasErrors: without(s.biasErrors, a.filter),
      };
    }
    case 'count': {
      const r = COUNT_FIELDS[a.key].parse(a.raw);
      if (!r.ok) return { ...s, countErrors: { ...s.countErrors, [a.key]: r.error } };
      return {
        ...s,
        count: { ...s.count, [a.key]: r.value },
        countErrors: without(s.countErrors, a.key),
      };
    }
  }
}

// ---- the link ---------------------------------------------------------------------------------

export const NAMESPACE = 'chan';

/** `bias=0,0,0.5,0`: the four biases. */
const BIASES: Field<readonly number[]> = {
  key: 'bias',
  label: 'biases',
  initial: DEFAULTS.biases,
  parse(raw) {
    const parts = raw.split(',');
    if (parts.length !== BIAS.length)
      return {
        ok: false,
        error: `biases: "${raw.trim()}" is not ${BIAS.length} numbers separated by commas.`,
      };
    const out: number[] = [];
    for (const [f, part] of parts.entries()) {
      const r = BIAS[f].parse(part);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return { ok: true, value: out };
  },
  format: (v) => v.map((b, f) => BIAS[f].format(b)).join(','),
};

/** The link's fields, in the order their notes are said. */
export const LINK = {
  mode: choice<Mode>('mode', 'mode', ['full', 'depthwise'], DEFAULTS.mode),
  biases: BIASES,
  filter: integer('f', 'feature map', { min: 0, max: PRESETS.length - 1, initial: 0 }),
  step: integer('step', 'cell', { min: 0, max: CELLS - 1, initial: 0 }),
  ...COUNT_FIELDS,
} as const;

export interface Restored {
  readonly settings: ChannelsSettings;
  readonly step: number;
  readonly count: CountInputs;
  /** What in the link could not be used, and what was used instead. */
  readonly notes: readonly string[];
}

export function fromParams(params: ReadonlyMap<string, string>): Restored {
  const { values: v, notes } = readFields(LINK, params);
  let filter = v.filter;
  const n = filterCount(v.mode);
  if (filter >= n) {
    notes.push(
      `From the link: feature map must be a whole number from 0 to ${n - 1} in ${v.mode} mode, got ${filter}. Using 0.`,
    );
    filter = 0;
  }
  return {
    settings: { mode: v.mode, biases: v.biases, filter },
    step: v.step,
    count: { h: v.h, w: v.w, c: v.c, k: v.k, f: v.f },
    notes,
  };
}

/** The link for the state (values equal to the defaults are left out). */
export function toParams(
  s: ChannelsSettings,
  step: number,
  n: CountInputs,
): Record<string, string | undefined> {
  return fieldParams(LINK, { ...n, mode: s.mode, biases: s.biases, filter: s.filter, step });
}
