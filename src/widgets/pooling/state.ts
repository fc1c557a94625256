/**
 * pooling (lesson 6): max and average pooling stepped one output cell at a time. Pure: parsing the
 * input grid and the settings (the reference engine's geometry errors are the messages), step ↔
 * output cell, what to highlight (window, winner, padding), what to announce, and the
 * translation-tolerance comparison.
 */
import {
  avgPool2dTrace,
  maxPool2dTrace,
  poolGeometry,
  type ConvGeometry,
  type PoolWindowCell,
} from '../../cnn/index.ts';

export { clampStep, stepKey } from '../shared/stepper';

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

/** A hand-made grid with ties: several windows hold their maximum twice. */
export const TIES_PRESET =
  '1 3 2 0 4 4\n5 3 1 1 4 0\n0 2 6 6 1 2\n2 2 6 1 0 3\n7 0 1 1 5 5\n0 7 1 1 5 2';

/** "1 2; 3 4" or one row per line; numbers separated by spaces or commas. */
export function parseGrid(text: string): { grid: Grid } | { error: string } {
  const lines = text
    .split(/[;\n]/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) return { error: 'The input grid is empty: type rows of numbers.' };
  if (lines.length > MAX_GRID)
    return { error: `The input grid has ${lines.length} rows; at most ${MAX_GRID} fit here.` };
  const rows = lines.map((l) => l.split(/[\s,]+/));
  const cols = rows[0].length;
  const data: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    if (rows[r].length !== cols)
      return {
        error: `Row ${r + 1} has ${rows[r].length} numbers but row 1 has ${cols}; every row needs the same count.`,
      };
    if (cols > MAX_GRID)
      return { error: `Rows have ${cols} numbers; at most ${MAX_GRID} fit here.` };
    for (let c = 0; c < cols; c++) {
      const raw = rows[r][c].replace('−', '-');
      const v = Number(raw);
      if (!Number.isFinite(v) || raw === '')
        return { error: `Row ${r + 1}, column ${c + 1}: "${rows[r][c]}" is not a number.` };
      data.push(v);
    }
  }
  return { grid: { rows: rows.length, cols, data: Float32Array.from(data) } };
}

export function gridText(g: Grid): string {
  const lines: string[] = [];
  for (let r = 0; r < g.rows; r++)
    lines.push(
      Array.from(g.data.subarray(r * g.cols, (r + 1) * g.cols), (v) =>
        String(Math.round(v * 1000) / 1000),
      ).join(' '),
    );
  return lines.join('\n');
}

/** A whole number from a text field, or a message naming the setting. */
export function parseInteger(raw: string, name: string): { value: number } | { error: string } {
  const v = Number(raw.trim());
  if (raw.trim() === '' || !Number.isInteger(v))
    return { error: `${name}: "${raw}" is not a whole number.` };
  return { value: v };
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

export function stepToCell(step: number, outWidth: number): { row: number; col: number } {
  return { row: Math.floor(step / outWidth), col: step % outWidth };
}

export interface StepView {
  readonly row: number;
  readonly col: number;
  readonly cells: readonly PoolWindowCell[];
  /** max: the first maximum (row-major); avg: null. */
  readonly winner: { row: number; col: number } | null;
  readonly value: number;
  readonly sum?: number;
  readonly count?: number;
  readonly text: string;
}

const fmt = (v: number) => {
  const r = Math.round(v * 1000) / 1000;
  return r < 0 ? `−${-r}` : String(r);
};

/** What step `step` shows: the window (from the reference engine's trace) and the sentence. */
export function describeStep(grid: Grid, s: PoolSettings, g: ConvGeometry, step: number): StepView {
  const { row, col } = stepToCell(step, g.outWidth);
  const x = { shape: [1, 1, grid.rows, grid.cols], data: grid.data };
  const attrs = { kernelShape: s.k, strides: s.s, pads: s.p };
  const at = `Output cell row ${row}, column ${col}`;
  if (s.mode === 'max') {
    const t = maxPool2dTrace(x, attrs, { n: 0, channel: 0, row, col });
    const real = t.cells.filter((c) => !c.inPadding);
    const ties = real.filter((c) => c.value === t.max).length;
    const text = `${at}: max of ${real.map((c) => fmt(c.value)).join(', ')} is ${fmt(t.max)}, taken from input row ${t.winner.row}, column ${t.winner.col}${ties > 1 ? ` (the first of ${ties} equal maxima, reading row by row)` : ''}.`;
    return { row, col, cells: t.cells, winner: t.winner, value: t.max, text };
  }
  const t = avgPool2dTrace(
    x,
    { ...attrs, countIncludePad: s.countIncludePad },
    { n: 0, channel: 0, row, col },
  );
  const padded = t.cells.length - t.cells.filter((c) => !c.inPadding).length;
  const text = `${at}: (${t.cells
    .filter((c) => !c.inPadding)
    .map((c) => fmt(c.value))
    .join(
      ' + ',
    )}) / ${t.count} = ${fmt(t.mean)}${padded > 0 ? (s.countIncludePad ? ` (the ${padded} padded cells count as zeros)` : ` (the ${padded} padded cells are left out)`) : ''}.`;
  return {
    row,
    col,
    cells: t.cells,
    winner: null,
    value: t.mean,
    sum: t.sum,
    count: t.count,
    text,
  };
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

export interface PoolUrl {
  readonly settings: PoolSettings;
  readonly text: string | undefined;
  readonly step: number;
  readonly notes: string[];
}

/** From the URL namespace `pool`; unusable values fall back to defaults with a note. */
export function parsePoolParams(p: ReadonlyMap<string, string>): PoolUrl {
  const notes: string[] = [];
  const settings: { -readonly [K in keyof PoolSettings]: PoolSettings[K] } = {
    ...DEFAULT_SETTINGS,
  };
  const mode = p.get('mode');
  if (mode !== undefined) {
    if (mode === 'max' || mode === 'avg') settings.mode = mode;
    else notes.push(`pool.mode=${JSON.stringify(mode)} is not max or avg; using max.`);
  }
  for (const [key, name, lo, hi] of [
    ['k', 'window', 1, MAX_GRID],
    ['s', 'stride', 1, MAX_GRID],
    ['p', 'padding', 0, MAX_GRID],
  ] as const) {
    const raw = p.get(key);
    if (raw === undefined) continue;
    const r = parseInteger(raw, name);
    if ('value' in r && r.value >= lo && r.value <= hi) settings[key] = r.value;
    else
      notes.push(
        `pool.${key}=${JSON.stringify(raw)} is not a usable ${name}; using ${DEFAULT_SETTINGS[key]}.`,
      );
  }
  const inc = p.get('inc');
  if (inc !== undefined) {
    if (inc === '1' || inc === '0') settings.countIncludePad = inc === '1';
    else notes.push(`pool.inc=${JSON.stringify(inc)} is not 0 or 1; padded cells are left out.`);
  }
  let text: string | undefined;
  const x = p.get('x');
  if (x !== undefined) {
    const r = parseGrid(x);
    if ('grid' in r) text = gridText(r.grid);
    else notes.push(`The input grid in the link is unusable (${r.error}); using the digit crop.`);
  }
  let step = 0;
  const rawStep = p.get('step');
  if (rawStep !== undefined) {
    const v = Number(rawStep);
    if (Number.isInteger(v) && v >= 0) step = v;
    else
      notes.push(
        `pool.step=${JSON.stringify(rawStep)} is not a step number; starting at the first.`,
      );
  }
  return { settings, text, step, notes };
}

export function poolParams(s: PoolSettings, grid: Grid, step: number): Record<string, string> {
  return {
    mode: s.mode,
    k: String(s.k),
    s: String(s.s),
    p: String(s.p),
    inc: s.countIncludePad ? '1' : '0',
    x: gridText(grid).replace(/\n/g, ';'),
    step: String(step),
  };
}
