/**
 * The convolution-arithmetic widget's settings, declared once: one field per control (its name,
 * label, range and message) and what a set of settings is. The ranges are what this figure draws
 * (grids stay small); below them a stride, dilation or padding is passed on, so the reference
 * engine says why it refuses it ("stride must be a positive integer, got 0").
 */
import type { PaddingLike } from '../../cnn/index.ts';
import { integer } from '../shared/fields';
import type { Field } from '../shared/fields';

export type Mode = 'conv' | 'transpose';
export type PadMode = 'symmetric' | 'asymmetric' | 'same' | 'valid';
export type Pads = readonly [number, number, number, number];

/** The reader's settings as numbers (possibly invalid: validation is `computeArith`'s job). */
export interface ArithSettings {
  readonly mode: Mode;
  readonly h: number;
  readonly w: number;
  readonly k: number;
  readonly sh: number;
  readonly sw: number;
  readonly padMode: PadMode;
  readonly pad: number;
  readonly pads: Pads;
  readonly d: number;
}

export const DEFAULTS: ArithSettings = {
  mode: 'conv',
  h: 7,
  w: 7,
  k: 3,
  sh: 2,
  sw: 2,
  padMode: 'symmetric',
  pad: 1,
  pads: [1, 1, 1, 1],
  d: 1,
};

/** The four sides of asymmetric padding, in ONNX order. */
export const SIDES = ['top', 'left', 'bottom', 'right'] as const;
export type Side = (typeof SIDES)[number];

/** The text controls: each edits one number. */
export type Control = 'h' | 'w' | 'k' | 'sh' | 'sw' | 'd' | 'pad' | `pads-${Side}`;
/** Where a message is shown: one line per control, one for the four sides, one for the mode. */
export type Slot = 'h' | 'w' | 'k' | 'sh' | 'sw' | 'd' | 'pad' | 'pads' | 'padMode';

/** [min, max] each control takes in this figure; `engine`: below min, the engine says why. */
export const RANGES: Readonly<Record<Control, readonly [number, number]>> = {
  h: [3, 16],
  w: [3, 16],
  k: [1, 7],
  sh: [1, 4],
  sw: [1, 4],
  d: [1, 4],
  pad: [0, 6],
  'pads-top': [0, 6],
  'pads-left': [0, 6],
  'pads-bottom': [0, 6],
  'pads-right': [0, 6],
};
/** The transposed output may be at most this many cells per side (before cropping). */
export const MAX_TRANSPOSE_SIDE = 40;

const WHY = 'the range this figure draws';

/**
 * A whole number in this figure's range; with `engine`, a whole number below it is let through
 * for the reference engine to refuse with its own reason.
 */
function drawn(key: Control, label: string, initial: number, engine: boolean): Field<number> {
  const [min, max] = RANGES[key];
  const strict = integer(key, label, { min, max, initial, why: WHY });
  if (!engine) return strict;
  const any = integer(key, label, { min: -1e6, max, initial, why: WHY });
  return {
    ...strict,
    parse(raw) {
      const r = strict.parse(raw);
      if (r.ok) return r;
      const low = any.parse(raw);
      return low.ok && low.value < min ? low : r;
    },
  };
}

const side = (s: Side, i: number) =>
  drawn(`pads-${s}`, `${s} padding`, DEFAULTS.pads[i], true) as Field<number>;

/** One field per text control (its key is the control's name and, for most, the link's key). */
export const FIELDS: Readonly<Record<Control, Field<number>>> = {
  h: drawn('h', 'input height H', DEFAULTS.h, false),
  w: drawn('w', 'input width W', DEFAULTS.w, false),
  k: drawn('k', 'kernel size k', DEFAULTS.k, false),
  sh: drawn('sh', 'vertical stride', DEFAULTS.sh, true),
  sw: drawn('sw', 'horizontal stride', DEFAULTS.sw, true),
  d: drawn('d', 'dilation d', DEFAULTS.d, true),
  pad: drawn('pad', 'padding', DEFAULTS.pad, true),
  'pads-top': side('top', 0),
  'pads-left': side('left', 1),
  'pads-bottom': side('bottom', 2),
  'pads-right': side('right', 3),
};

/** The slot a control's message goes to. */
export const slotOf = (c: Control): Slot => (c.startsWith('pads-') ? 'pads' : (c as Slot));

/** The controls `s.padMode` reads (the padding fields of the other modes are hidden). */
export function controlsFor(padMode: PadMode): Control[] {
  const pads =
    padMode === 'symmetric'
      ? ['pad']
      : padMode === 'asymmetric'
        ? SIDES.map((x) => `pads-${x}`)
        : [];
  return ['h', 'w', 'k', 'sh', 'sw', 'd', ...pads] as Control[];
}

/** A control's value in `s`. */
export function valueOf(s: ArithSettings, c: Control): number {
  if (c.startsWith('pads-')) return s.pads[SIDES.indexOf(c.slice(5) as Side)];
  return s[c as Exclude<Control, `pads-${Side}`>];
}

/** The first control of `s` outside this figure's ranges, with the field's message. */
export function rangeProblem(s: ArithSettings): { slot: Slot; message: string } | null {
  for (const c of controlsFor(s.padMode)) {
    const r = FIELDS[c].parse(String(valueOf(s, c)));
    if (!r.ok) return { slot: slotOf(c), message: r.error };
  }
  return null;
}

export function padding(s: ArithSettings): PaddingLike {
  switch (s.padMode) {
    case 'symmetric':
      return s.pad;
    case 'asymmetric':
      return s.pads;
    default:
      return s.padMode;
  }
}
