/**
 * dense-params (lesson 1): the parameter count of one dense layer on an H × W × C image with U
 * units, P = H·W·C·U + U, and its size in float32. Pure arithmetic on the reader's numbers: this
 * widget shows no computed tensors, so it has no ONNX graph and no agreement badge.
 */
export interface DenseInputs {
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly u: number;
}

export const DEFAULT_DENSE: DenseInputs = { h: 1080, w: 1920, c: 3, u: 1000 };

export const FIELDS: readonly {
  key: keyof DenseInputs;
  label: string;
  max: number;
}[] = [
  { key: 'h', label: 'height H', max: 100_000 },
  { key: 'w', label: 'width W', max: 100_000 },
  { key: 'c', label: 'channels C', max: 10_000 },
  { key: 'u', label: 'hidden units U', max: 1_000_000 },
];

/** A positive whole number up to `max`, or an error message naming the field, value and rule. */
export function parseField(
  raw: string,
  label: string,
  max: number,
): { value: number } | { error: string } {
  const text = raw.trim().replace(/[,_\s]/g, '');
  const v = Number(text);
  if (text === '' || !Number.isFinite(v)) return { error: `${label}: "${raw}" is not a number.` };
  if (!Number.isInteger(v) || v < 1)
    return { error: `${label} must be a positive whole number, got ${raw.trim()}.` };
  if (v > max)
    return { error: `${label} must be at most ${max.toLocaleString('en-US')}, got ${raw.trim()}.` };
  return { value: v };
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
  const notes: string[] = [];
  const out: Record<string, number> = { ...DEFAULT_DENSE };
  for (const f of FIELDS) {
    const raw = params.get(f.key);
    if (raw === undefined) continue;
    const r = parseField(raw, f.label, f.max);
    if ('value' in r) out[f.key] = r.value;
    else notes.push(`From the link: ${r.error} Using ${DEFAULT_DENSE[f.key]}.`);
  }
  return { inputs: out as unknown as DenseInputs, notes };
}

/** The formula with the reader's numbers substituted, as TeX. */
export function formulaTex(d: DenseInputs): string {
  const { inputs, params } = denseParams(d);
  const g = (n: number | bigint) => n.toLocaleString('en-US').replace(/,/g, '{,}');
  return `P = (${g(d.h)} \\cdot ${g(d.w)} \\cdot ${g(d.c)}) \\cdot ${g(d.u)} + ${g(d.u)} = ${g(inputs)} \\cdot ${g(d.u)} + ${g(d.u)} = ${g(params)}`;
}
