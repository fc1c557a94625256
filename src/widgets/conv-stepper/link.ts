/**
 * The stepper's settings, declared once with shared/fields.ts: their link keys (namespace `conv`,
 * the keys of old links), labels, rules and messages. The kernel cells and the bias use the same
 * number rule as the editor. Step and digit are 1-based in the link, as they always were, so old
 * links still open the same cell; everything the reader sees counts rows and columns from 0.
 */
import { choice, decimal, fieldParams, integer, readFields } from '../shared/fields';
import type { Field, Parsed } from '../shared/fields';
import {
  DEFAULT_PRESET,
  K,
  SIZES,
  matchPreset,
  presetById,
  presetForSize,
  presetsFor,
} from './kernels';
import type { Mode, Size } from './kernels';
import { STEPS } from './conv';

export const SPEEDS = [1, 2, 5, 10, 20] as const; // output cells per second
export const DEFAULT_SPEED = 5;
/** The largest |value| a kernel cell or bias may hold (keeps the colour scale and sums readable). */
export const MAX_ABS = 100;

const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** A link value longer than this is quoted shortened in messages. */
const QUOTE_MAX = 40;
/** `field`, with an over-long value shortened where its message quotes it. */
function quoted<T>(field: Field<T>): Field<T> {
  return {
    ...field,
    parse(raw) {
      const r = field.parse(raw);
      const text = raw.trim();
      if (r.ok || text.length <= QUOTE_MAX) return r;
      return fail(r.error.split(text).join(`${text.slice(0, QUOTE_MAX)}…`));
    },
  };
}

/** `field` reading `n` for `value` n + 1: what the link counts from 1, the state counts from 0. */
function fromOne(field: Field<number>): Field<number> {
  return {
    ...field,
    initial: field.initial - 1,
    parse(raw) {
      const r = field.parse(raw);
      return r.ok ? { ok: true, value: r.value - 1 } : r;
    },
    format: (v) => field.format(v + 1),
  };
}

/** A number from a fixed list (the speeds), written as itself. */
function numberChoice(
  key: string,
  label: string,
  options: readonly number[],
  initial: number,
): Field<number> {
  const base = choice(key, label, options.map(String), String(initial));
  return {
    key,
    label,
    initial,
    parse(raw) {
      const r = base.parse(raw);
      return r.ok ? { ok: true, value: Number(r.value) } : r;
    },
    format: String,
  };
}

/** A number a kernel cell or the bias may hold: "−2" and "1,5" (a decimal comma) read too. */
export const weight = (key: string, label: string): Field<number> =>
  decimal(key, label, { min: -MAX_ABS, max: MAX_ABS, initial: 0, decimalComma: true });

/** Kernel cell (row, col), both counted from 0 as in the formula's k_{p,q}. */
export const kernelCell = (row: number, col: number): Field<number> =>
  weight('k', `kernel cell (row ${row}, col ${col})`);

/** The kernel of side `size` in the link: size² numbers, row by row, comma-separated. */
export function kernelField(size: Size): Field<readonly number[]> {
  const initial = presetForSize(DEFAULT_PRESET, size).values;
  return quoted({
    key: 'k',
    label: 'kernel',
    initial,
    parse(raw) {
      const parts = raw.split(',');
      if (parts.length !== size * size)
        return fail(
          `kernel must be ${size * size} numbers (${size}×${size}, row by row), got ${parts.length}.`,
        );
      const values: number[] = [];
      for (const [i, text] of parts.entries()) {
        const r = kernelCell(Math.floor(i / size), i % size).parse(text);
        if (!r.ok) return fail(`kernel: ${r.error}`);
        values.push(r.value);
      }
      return { ok: true, value: values };
    },
    format: (k) => k.map(String).join(','),
  });
}

export const SIZE_FIELD = numberChoice('n', 'kernel size', SIZES, K) as Field<Size>;

/** The preset menu's choices for a side (a 5×5 preset id is not a 3×3 preset). */
export const presetField = (size: Size): Field<string> =>
  quoted(
    choice(
      'preset',
      'kernel preset',
      presetsFor(size).map((p) => p.id),
      presetForSize(DEFAULT_PRESET, size).id,
    ),
  );

/** The settings that do not depend on the kernel's side. */
export const settingFields = (samples: number) => ({
  bias: quoted(weight('b', 'bias')),
  mode: quoted(choice<Mode>('m', 'mode', ['xcorr', 'conv'], 'xcorr')),
  step: quoted(fromOne(integer('s', 'cell', { min: 1, max: STEPS, initial: 1 }))),
  digit: quoted(
    fromOne(integer('d', 'sample digit', { min: 1, max: Math.max(1, samples), initial: 1 })),
  ),
  speed: quoted(numberChoice('v', 'speed (cells per second)', SPEEDS, DEFAULT_SPEED)),
});

/** What a link sets: the kernel (row by row, 9 or 25 numbers) and the other settings. */
export interface LinkState {
  readonly kernel: readonly number[];
  readonly bias: number;
  readonly mode: Mode;
  /** 0-based: the output cell's index, row by row. */
  readonly step: number;
  /** 0-based index of the sample digit. */
  readonly digit: number;
  readonly speed: number;
}

export interface UrlState extends LinkState {
  /** One line per value that could not be used (shown to the reader). */
  readonly notes: readonly string[];
}

/**
 * Reads the widget's link (namespace `conv`): n (3 | 5), preset (a preset id of that side) or k
 * (size² numbers), b (bias), m (xcorr | conv), s (cell, 1-based), d (sample digit, 1-based),
 * v (speed). A bad value keeps its default and adds a note; never throws.
 */
export function parseUrlState(params: ReadonlyMap<string, string>, samples: number): UrlState {
  const sized = readFields({ size: SIZE_FIELD }, params);
  const size = sized.values.size;
  const named = readFields({ preset: presetField(size) }, params);
  const preset = presetById(named.values.preset)!.values;
  const kernel = readFields({ kernel: kernelField(size) }, params, { kernel: preset });
  const rest = readFields(settingFields(samples), params);
  return {
    kernel: kernel.values.kernel,
    ...rest.values,
    notes: [...sized.notes, ...named.notes, ...kernel.notes, ...rest.notes],
  };
}

/** The link for a state: the kernel as a preset id when it is one; defaults left out. */
export function urlParams(s: LinkState, samples = 4): Record<string, string | undefined> {
  const preset = matchPreset(s.kernel);
  const size = (s.kernel.length === 25 ? 5 : 3) as Size;
  return {
    ...fieldParams({ size: SIZE_FIELD }, { size }),
    preset: preset?.id,
    k: preset ? undefined : kernelField(size).format(s.kernel),
    ...fieldParams(settingFields(samples), s),
  };
}
