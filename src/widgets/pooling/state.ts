/**
 * pooling (lesson 6): max and average pooling stepped one output cell at a time. Pure: the
 * settings and the input grid as fields, the reducer (every edit validated as a whole: the
 * reference engine's geometry errors are the messages), the reference result, and the
 * translation-tolerance comparison. What one step shows is in step.ts.
 */
import { avgPool2d, maxPool2d, poolGeometry } from '../../cnn/index.ts';
import type { ConvGeometry, Tensor } from '../../cnn/index.ts';
import { choice, fieldParams, flag, integer, readFields } from '../shared/fields';
import type { Field, Parsed } from '../shared/fields';
import { clampStep } from '../shared/stepper';

export { clampStep } from '../shared/stepper';
/** Stepper keys: the one model of grid-nav.ts. */
export { navigate as stepKey } from '../shared/grid-nav';

export type PoolMode = 'max' | 'avg';
export const MAX_GRID = 12;

export interface Grid {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

export interface PoolSettings {
  readonly mode: PoolMode;
  readonly k: number;
  readonly s: number;
  readonly p: number;
  readonly countIncludePad: boolean;
}

export const DEFAULT_SETTINGS: PoolSettings = {
  mode: 'max',
  k: 2,
  s: 2,
  p: 0,
  countIncludePad: false,
};

/** The settings, declared once: link keys `pool.mode`, `pool.k`, … (also the controls' names). */
export const FIELDS = {
  mode: choice<PoolMode>('mode', 'pooling', ['max', 'avg'], 'max'),
  k: integer('k', 'window size k', { min: 1, max: MAX_GRID, initial: 2 }),
  s: integer('s', 'stride', { min: 1, max: MAX_GRID, initial: 2 }),
  p: integer('p', 'padding', { min: 0, max: MAX_GRID, initial: 0 }),
  countIncludePad: flag('inc', 'count padded cells', false),
} as const;

/** Where the stepper is: the output cell, counted from 0, row by row. */
export const STEP = integer('step', 'step', { min: 0, max: 10_000, initial: 0 });

/** A hand-made grid with ties: several windows hold their maximum twice. */
export const TIES_PRESET =
  '1 3 2 0 4 4\n5 3 1 1 4 0\n0 2 6 6 1 2\n2 2 6 1 0 3\n7 0 1 1 5 5\n0 7 1 1 5 2';

const fail = (error: string): Parsed<Grid> => ({ ok: false, error: `input grid: ${error}` });

/** "1 2; 3 4" or one row per line; numbers separated by spaces or commas. Rows count from 0. */
export function parseGrid(text: string): Parsed<Grid> {
  const lines = text
    .split(/[;\n]/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) return fail('it is empty; type rows of numbers.');
  if (lines.length > MAX_GRID)
    return fail(`it has ${lines.length} rows; at most ${MAX_GRID} fit here.`);
  const rows = lines.map((l) => l.split(/[\s,]+/));
  const cols = rows[0].length;
  if (cols > MAX_GRID) return fail(`rows have ${cols} numbers; at most ${MAX_GRID} fit here.`);
  const data: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    if (rows[r].length !== cols)
      return fail(
        `row ${r} has ${rows[r].length} numbers but row 0 has ${cols}; every row needs the same count.`,
      );
    for (let c = 0; c < cols; c++) {
      const raw = rows[r][c].replace('−', '-');
      const v = Number(raw);
      if (!Number.isFinite(v) || raw === '')
        return fail(`row ${r}, column ${c}: "${rows[r][c]}" is not a number.`);
      data.push(v);
    }
  }
  return { ok: true, value: { rows: rows.length, cols, data: Float32Array.from(data) } };
}

/** One row per line (`sep` between rows), values rounded to 3 decimals. */
export function gridText(g: Grid, sep = '\n'): string {
  const lines: string[] = [];
  for (let r = 0; r < g.rows; r++)
    lines.push(
      Array.from(g.data.subarray(r * g.cols, (r + 1) * g.cols), (v) =>
        String(Math.round(v * 1000) / 1000),
      ).join(' '),
    );
  return lines.join(sep);
}

/** The input grid as a field (`pool.x`, rows separated by ";"); its initial is the page's crop. */
export function gridField(initial: Grid): Field<Grid> {
  return {
    key: 'x',
    label: 'input grid',
    initial,
    parse: parseGrid,
    format: (g) => gridText(g, ';'),
  };
}

/** The geometry for these settings, or the reference engine's error message. */
export function geometry(grid: Grid, s: PoolSettings): { g: ConvGeometry } | { error: string } {
  try {
    return {
      g: poolGeometry(s.mode === 'max' ? 'maxPool2d' : 'avgPool2d', [1, 1, grid.rows, grid.cols], {
        kernelShape: s.k,
        strides: s.s,
        pads: s.p,
      }),
    };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export interface PoolState {
  readonly settings: PoolSettings;
  readonly grid: Grid;
  readonly g: ConvGeometry;
  /** The output cell shown, 0-based, row by row. */
  readonly step: number;
  /** The page's digit crop (the grid a link leaves out). */
  readonly crop: Grid;
  /** Why the typed grid or settings were not used; the figures show the last valid ones. */
  readonly errors: { readonly grid?: string; readonly settings?: string };
  /** The controls holding a value that was not used (for aria-invalid). */
  readonly invalid: readonly string[];
}

/** What the reader has in the controls, read all together: validity depends on all of them. */
export interface PoolControls {
  readonly grid: string;
  readonly mode: string;
  readonly k: string;
  readonly s: string;
  readonly p: string;
  readonly inc: boolean;
}

export type PoolAction =
  | { readonly kind: 'edit'; readonly controls: PoolControls }
  | { readonly kind: 'step'; readonly step: number };

const LAST = ' The figures show the last valid settings.';

export function reducePool(state: PoolState, action: PoolAction): PoolState {
  if (action.kind === 'step') {
    const step = clampStep(action.step, state.g.outHeight * state.g.outWidth);
    return step === state.step ? state : { ...state, step };
  }
  const c = action.controls;
  const grid = parseGrid(c.grid);
  const errors: { grid?: string; settings?: string } = {};
  const invalid: string[] = [];
  if (!grid.ok) {
    errors.grid = `${grid.error} The figures show the last valid grid.`;
    invalid.push('grid');
  }
  const values: Record<string, unknown> = { countIncludePad: c.inc };
  for (const key of ['mode', 'k', 's', 'p'] as const) {
    const r = FIELDS[key].parse(c[key]);
    if (r.ok) values[key] = r.value;
    else if (!errors.settings) {
      errors.settings = `${r.error}${LAST}`;
      invalid.push(key);
    }
  }
  if (!grid.ok || errors.settings) return { ...state, errors, invalid };
  const settings = values as unknown as PoolSettings;
  const r = geometry(grid.value, settings);
  if ('error' in r)
    return { ...state, errors: { settings: `${r.error}.${LAST}` }, invalid: ['k', 's', 'p'] };
  const step = clampStep(state.step, r.g.outHeight * r.g.outWidth);
  return { ...state, settings, grid: grid.value, g: r.g, step, errors: {}, invalid: [] };
}

/** The first state: the link's settings, grid and step (each bad one noted), fitted together. */
export function initialPool(
  params: ReadonlyMap<string, string>,
  crop: Grid,
): { state: PoolState; notes: string[] } {
  const { values: settings, notes } = readFields(FIELDS, params);
  const { values: rest, notes: more } = readFields({ x: gridField(crop), step: STEP }, params);
  notes.push(...more);
  let grid = rest.x;
  let s: PoolSettings = settings;
  let r = geometry(grid, s);
  if ('error' in r) {
    notes.push(
      `The settings in the link do not fit this grid (${r.error}); using 2×2 windows, stride 2.`,
    );
    s = { ...s, k: 2, s: 2, p: 0 };
    r = geometry(grid, s);
    if ('error' in r) {
      grid = crop;
      r = geometry(grid, s);
      if ('error' in r) throw new Error(`the digit crop cannot be pooled: ${r.error}`);
    }
  }
  const step = clampStep(rest.step, r.g.outHeight * r.g.outWidth);
  return {
    state: { settings: s, grid, g: r.g, step, crop, errors: {}, invalid: [] },
    notes,
  };
}

const sameGrid = (a: Grid, b: Grid) =>
  a.rows === b.rows && a.cols === b.cols && a.data.every((v, i) => v === b.data[i]);

/** The link: settings that differ from the defaults, the grid unless it is the crop, the step. */
export function poolParams(s: PoolState): Record<string, string | undefined> {
  return {
    ...fieldParams(FIELDS, s.settings),
    x: sameGrid(s.grid, s.crop) ? undefined : gridText(s.grid, ';'),
    step: s.step === 0 ? undefined : String(s.step),
  };
}

export function pool(grid: Grid, s: PoolSettings): Tensor {
  const x = { shape: [1, 1, grid.rows, grid.cols], data: grid.data };
  const attrs = { kernelShape: s.k, strides: s.s, pads: s.p };
  return s.mode === 'max'
    ? maxPool2d(x, attrs)
    : avgPool2d(x, { ...attrs, countIncludePad: s.countIncludePad });
}

/** The grid moved `dx` px right (zeros enter on the left). */
export function shiftRight(grid: Grid, dx = 1): Grid {
  const data = new Float32Array(grid.data.length);
  for (let r = 0; r < grid.rows; r++)
    for (let c = dx; c < grid.cols; c++)
      data[r * grid.cols + c] = grid.data[r * grid.cols + c - dx];
  return { ...grid, data };
}

/** Indices where a and b differ by more than tol. */
export function changed(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > tol) out.push(i);
  return out;
}

export interface PoolResult {
  readonly output: Tensor;
  readonly shifted: Grid;
  readonly pooledShifted: Tensor;
  readonly inChanged: readonly number[];
  readonly outChanged: readonly number[];
}

/** The reference result: the grid pooled, and the same grid moved 1 px right, pooled. */
export function computePool(s: PoolState): PoolResult {
  const output = pool(s.grid, s.settings);
  const shifted = shiftRight(s.grid);
  const pooledShifted = pool(shifted, s.settings);
  return {
    output,
    shifted,
    pooledShifted,
    inChanged: changed(s.grid.data, shifted.data),
    outChanged: changed(output.data, pooledShifted.data),
  };
}

export const computeKey = (s: PoolState): string => {
  const { mode, k, s: stride, p, countIncludePad } = s.settings;
  return `${gridText(s.grid, ';')}|${mode}|${k}|${stride}|${p}|${countIncludePad}`;
};

export function describeSettings(s: PoolState): string {
  const { mode, k, s: stride, p } = s.settings;
  return `${mode === 'max' ? 'Max' : 'Average'} pooling, ${k}×${k} window, stride ${stride}, padding ${p}: output ${s.g.outHeight} by ${s.g.outWidth}.`;
}
