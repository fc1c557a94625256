/**
 * dense-params (lesson 1): the parameter count of one dense layer on an H × W × C image with U
 * units, P = H·W·C·U + U, and its size in float32. Pure arithmetic on the reader's numbers: this
 * widget shows no computed tensors, so it has no ONNX graph and no agreement badge.
 */
import { integer, readFields } from '../shared/fields';

export interface DenseInputs {
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly u: number;
}

export const DEFAULT_DENSE: DenseInputs = { h: 1080, w: 1920, c: 3, u: 1000 };

/** The four settings, declared once: link keys, control names, labels, ranges. */
export const FIELDS = {
  h: integer('h', 'height H', { min: 1, max: 100_000, initial: DEFAULT_DENSE.h }),
  w: integer('w', 'width W', { min: 1, max: 100_000, initial: DEFAULT_DENSE.w }),
  c: integer('c', 'channels C', { min: 1, max: 10_000, initial: DEFAULT_DENSE.c }),
  u: integer('u', 'hidden units U', { min: 1, max: 1_000_000, initial: DEFAULT_DENSE.u }),
} as const;
export type DenseField = keyof typeof FIELDS;

/**
 * The widget's state: the last valid inputs (what the numbers are for) and, per field, the text
 * the reader typed that is not valid, with its message.
 */
export interface DenseState {
  readonly inputs: DenseInputs;
  readonly errors: Readonly<Partial<Record<DenseField, string>>>;
}

export type DenseAction = {
  readonly kind: 'edit';
  readonly field: DenseField;
  readonly raw: string;
};

export function reduceDense(state: DenseState, action: DenseAction): DenseState {
  const r = FIELDS[action.field].parse(action.raw);
  const errors = { ...state.errors };
  if (r.ok) delete errors[action.field];
  else errors[action.field] = `${r.error} The numbers below are for the last valid value.`;
  return { inputs: r.ok ? { ...state.inputs, [action.field]: r.value } : state.inputs, errors };
}

/** P = n·U + U with n = H·W·C, exact (BigInt: the product can pass 2⁵³). */
export function denseParams({ h, w, c, u }: DenseInputs): { inputs: bigint; params: bigint } {
  const inputs = BigInt(h) * BigInt(w) * BigInt(c);
  return { inputs, params: inputs * BigInt(u) + BigInt(u) };
}

/** Bytes as float32 (4 each), written in decimal units: 24,880,004,000 B → "24.9 GB". */
export function formatBytes(bytes: bigint): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let i = 0;
  let scaled = Number(bytes);
  while (scaled >= 1000 && i < units.length - 1) {
    scaled /= 1000;
    i++;
  }
  if (i === 0) return `${bytes.toLocaleString('en-US')} bytes`;
  return `${scaled.toLocaleString('en-US', { maximumFractionDigits: scaled < 10 ? 2 : 1 })} ${units[i]}`;
}

/** Inputs from the URL namespace `dense`; garbage → that field's default, with a note. */
export function parseDenseParams(params: ReadonlyMap<string, string>): {
  inputs: DenseInputs;
  notes: string[];
} {
  const { values, notes } = readFields(FIELDS, params);
  return { inputs: values, notes };
}

/** The formula with the reader's numbers substituted, as TeX. */
export function formulaTex(d: DenseInputs): string {
  const { inputs, params } = denseParams(d);
  const g = (n: number | bigint) => n.toLocaleString('en-US').replace(/,/g, '{,}');
  return `P = (${g(d.h)} \\cdot ${g(d.w)} \\cdot ${g(d.c)}) \\cdot ${g(d.u)} + ${g(d.u)} = ${g(inputs)} \\cdot ${g(d.u)} + ${g(d.u)} = ${g(params)}`;
}
