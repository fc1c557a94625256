/**
 * Turns what the reader's code shows into plain `Output` data for the page: tensors become
 * heatmaps (one per feature map), everything else readable text. Pure, so it runs in the
 * worker and in unit tests; caps keep one `show` of a huge value from flooding the page.
 */
import type { Output } from './protocol';

export const MAX_MAPS = 16;
export const MAX_CELLS = 64 * 64;
export const MAX_TEXT = 10_000;
export const MAX_ROWS = 200;

interface TensorLike {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export function isTensor(v: unknown): v is TensorLike {
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray((v as TensorLike).shape) &&
    (v as TensorLike).data instanceof Float32Array
  );
}

const num = (v: number): string => (Number.isInteger(v) ? String(v) : String(+v.toPrecision(6)));

function clip(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}… (${text.length} characters)`;
}

/** A value as text: numbers to 6 significant digits, tensors with their shape. */
export function formatValue(v: unknown, depth = 0): string {
  if (typeof v === 'string') return depth === 0 ? v : JSON.stringify(v);
  if (typeof v === 'number') return num(v);
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'bigint')
    return String(v);
  if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`;
  if (isTensor(v)) {
    const head = `tensor [${v.shape.join(', ')}]`;
    const shown = Array.from(v.data.subarray(0, 64), num).join(', ');
    return `${head} [${shown}${v.data.length > 64 ? `, … ${v.data.length - 64} more` : ''}]`;
  }
  if (ArrayBuffer.isView(v)) return formatValue(Array.from(v as unknown as ArrayLike<number>));
  if (depth > 3) return '…';
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x, depth + 1)).join(', ')}]`;
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  const entries = Object.entries(v as object).map(([k, x]) => `${k}: ${formatValue(x, depth + 1)}`);
  return `{ ${entries.join(', ')} }`;
}

export function textOutput(...values: unknown[]): Output {
  return { kind: 'text', text: clip(values.map((v) => formatValue(v)).join(' ')) };
}

function signed(values: Float32Array): boolean {
  for (const v of values) if (v < 0 || v > 1) return true;
  return false;
}

export interface HeatmapOptions {
  readonly label?: string;
  readonly decimals?: number;
}

/**
 * One heatmap per [H, W] map of a tensor ([H, W], [C, H, W] or [N, C, H, W]; at most MAX_MAPS)
 * or of a nested number[][]; a map larger than MAX_CELLS is refused with a message, not drawn.
 */
export function heatmapOutputs(value: unknown, options: HeatmapOptions = {}): Output[] {
  let shape: readonly number[];
  let data: Float32Array;
  if (isTensor(value)) ({ shape, data } = value);
  else if (Array.isArray(value) && value.every((r) => Array.isArray(r))) {
    const rows = value as number[][];
    const cols = rows[0]?.length ?? 0;
    if (rows.some((r) => r.length !== cols))
      throw new RangeError('heatmap: every row must have the same length');
    shape = [rows.length, cols];
    data = Float32Array.from(rows.flat());
  } else throw new TypeError(`heatmap: expected a tensor or number[][], got ${formatValue(value)}`);
  if (shape.length < 2 || shape.length > 4)
    throw new RangeError(`heatmap: expected 2 to 4 dimensions, got [${shape.join(', ')}]`);
  const [rows, cols] = shape.slice(-2) as [number, number];
  if (rows * cols > MAX_CELLS)
    return [
      textOutput(
        `heatmap: a ${rows} × ${cols} map is too large to draw (at most ${MAX_CELLS} cells)`,
      ),
    ];
  const lead = shape.slice(0, -2);
  const maps = lead.reduce((a, b) => a * b, 1);
  const label = options.label ?? `tensor [${shape.join(', ')}]`;
  const out: Output[] = [];
  for (let m = 0; m < Math.min(maps, MAX_MAPS); m++) {
    const values = data.slice(m * rows * cols, (m + 1) * rows * cols);
    const where = lead.length ? ` [${indexOf(m, lead).join(', ')}, :, :]` : '';
    out.push({
      kind: 'heatmap',
      label: `${label}${where}`,
      rows,
      cols,
      values,
      diverging: signed(values),
      decimals: options.decimals,
    });
  }
  if (maps > MAX_MAPS) out.push(textOutput(`… and ${maps - MAX_MAPS} more maps not drawn`));
  return out;
}

function indexOf(flat: number, dims: readonly number[]): number[] {
  const index = new Array<number>(dims.length).fill(0);
  for (let d = dims.length - 1; d >= 0; d--) {
    index[d] = flat % dims[d]!;
    flat = Math.floor(flat / dims[d]!);
  }
  return index;
}

/** What `show(x)` makes: a tensor of 2+ dimensions is drawn, anything else written. */
export function showOutputs(values: readonly unknown[]): Output[] {
  if (values.length === 1 && isTensor(values[0]) && values[0].shape.length >= 2)
    return heatmapOutputs(values[0]);
  return [textOutput(...values)];
}

const cellOf = (v: unknown): string | number =>
  typeof v === 'number' ? +v.toPrecision(6) : formatValue(v, 1).replace(/^"|"$/g, '');

/** Rows as objects (columns from their keys) or as arrays (columns given or numbered). */
export function tableOutput(rows: readonly unknown[], columns?: readonly string[]): Output {
  if (!Array.isArray(rows)) throw new TypeError('table: expected an array of rows');
  const shown = rows.slice(0, MAX_ROWS);
  const objects = shown.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r));
  const cols =
    columns ??
    (objects
      ? [...new Set(shown.flatMap((r) => Object.keys(r as object)))]
      : Array.from(
          { length: Math.max(0, ...shown.map((r) => (Array.isArray(r) ? r.length : 1))) },
          (_, i) => String(i),
        ));
  const body = shown.map((r) =>
    objects
      ? cols.map((c) => cellOf((r as Record<string, unknown>)[c]))
      : (Array.isArray(r) ? r : [r]).map(cellOf),
  );
  if (rows.length > MAX_ROWS) body.push([`… ${rows.length - MAX_ROWS} more rows`]);
  return { kind: 'table', columns: cols, rows: body };
}

export interface PlotOptions {
  readonly mark?: 'line' | 'dot' | 'bar';
  readonly x?: string;
  readonly y?: string;
  readonly z?: string;
  readonly title?: string;
}

/** A chart of numbers (x = index) or of rows of named numbers, drawn by Observable Plot. */
export function plotOutput(data: unknown, options: PlotOptions = {}): Output {
  const mark = options.mark ?? 'line';
  if (!['line', 'dot', 'bar'].includes(mark))
    throw new RangeError(`plot: mark must be 'line', 'dot' or 'bar', got ${formatValue(mark)}`);
  let rows: Record<string, number | string>[];
  let x = options.x ?? 'x';
  let y = options.y ?? 'y';
  if (
    isTensor(data) ||
    ArrayBuffer.isView(data) ||
    (Array.isArray(data) && data.every((v) => typeof v === 'number'))
  ) {
    const values = Array.from((isTensor(data) ? data.data : data) as ArrayLike<number>);
    rows = values.slice(0, 10_000).map((v, i) => ({ index: i, value: v }));
    x = options.x ?? 'index';
    y = options.y ?? 'value';
  } else if (Array.isArray(data)) {
    rows = data.slice(0, 10_000).map((r) => {
      const row: Record<string, number | string> = {};
      for (const [k, v] of Object.entries(r as object))
        if (typeof v === 'number' || typeof v === 'string') row[k] = v;
      return row;
    });
  } else throw new TypeError('plot: expected numbers, a tensor, or an array of rows');
  return { kind: 'plot', mark, data: rows, x, y, z: options.z, title: options.title };
}
