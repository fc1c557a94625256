/**
 * "Build it yourself": the reader's implementation of an op against the reference engine on
 * random cases (shapes, strides, pads), reporting the first mismatching cell with its index, as
 * in "your y[0,1,2,3] = 1.5, expected 1.25". Pure; the worker passes in the reference op it
 * records, so every expected value is also checked on onnxruntime-web.
 */
import { createRng } from '../../cnn/index.ts';
import type { Rng, Tensor } from '../../cnn/index.ts';
import { formatValue, isTensor } from './outputs';

export const CHECK_TOLERANCE = 1e-4;

export interface CheckCase {
  readonly inputs: readonly Tensor[];
  readonly options: Readonly<Record<string, readonly number[]>>;
}

export type CheckResult =
  | { readonly pass: true; readonly cases: number; readonly text: string }
  | { readonly pass: false; readonly failedCase: number; readonly text: string };

const num = (v: number) => String(+v.toPrecision(6));
const list = (v: readonly number[]) => `[${v.join(', ')}]`;

function describeCase(c: CheckCase, names: readonly string[]): string {
  const parts = c.inputs.map((t, i) => `${names[i]} ${list(t.shape)}`);
  for (const [k, v] of Object.entries(c.options)) parts.push(`${k} ${list(v)}`);
  return parts.join(', ');
}

/** What a checker may add to its messages. */
export interface CheckExtras {
  /** The result's name in messages: 'y' (default) or 'dx'. */
  readonly output?: string;
  /** The input cells a mismatching cell comes from (windows.ts). */
  readonly window?: (c: CheckCase, index: readonly number[]) => string;
  /** An independent estimate of the expected result (finite differences), said beside it. */
  readonly numeric?: (c: CheckCase) => Tensor;
}

/** Row-major flat index → [n, c, i, j]. */
function unflat(k: number, shape: readonly number[]): number[] {
  const index: number[] = [];
  let rest = k;
  for (let d = shape.length - 1; d >= 0; d--) {
    index.unshift(rest % shape[d]!);
    rest = Math.floor(rest / shape[d]!);
  }
  return index;
}

const same = (a: number, b: number, tolerance: number) =>
  Math.abs(a - b) <= tolerance || (Number.isNaN(a) && Number.isNaN(b));

/** The first cell where `got` differs from `expected` (by more than the tolerance), or null. */
export function firstMismatch(
  got: unknown,
  expected: Tensor,
  output = 'y',
): { readonly text: string; readonly index?: readonly number[]; readonly flat?: number } | null {
  if (!isTensor(got)) return { text: `your function returned ${formatValue(got)}, not a tensor` };
  if (
    got.shape.length !== expected.shape.length ||
    got.shape.some((d, i) => d !== expected.shape[i])
  )
    return {
      text: `your ${output} has shape ${list(got.shape)}, expected ${list(expected.shape)}`,
    };
  if (got.data.length !== expected.data.length)
    return {
      text: `your ${output} has ${got.data.length} values for shape ${list(got.shape)}, expected ${expected.data.length}`,
    };
  for (let k = 0; k < expected.data.length; k++) {
    const a = got.data[k]!;
    const b = expected.data[k]!;
    if (same(a, b, CHECK_TOLERANCE)) continue;
    const index = unflat(k, expected.shape);
    return {
      text: `your ${output}[${index.join(',')}] = ${num(a)}, expected ${num(b)}`,
      index,
      flat: k,
    };
  }
  return null;
}

/** Finite differences may differ from the exact gradient by rounding: a looser tolerance. */
export const NUMERIC_TOLERANCE = 1e-2;

/** Runs `yours` and `reference` on every case; stops at the first case that differs. */
export function runChecker(
  name: string,
  inputNames: readonly string[],
  cases: readonly CheckCase[],
  yours: (inputs: readonly Tensor[], options: CheckCase['options']) => unknown,
  reference: (inputs: readonly Tensor[], options: CheckCase['options']) => Tensor,
  extras: CheckExtras = {},
): CheckResult {
  const output = extras.output ?? 'y';
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    const head = `✗ case ${i + 1} of ${cases.length} (${describeCase(c, inputNames)})`;
    const expected = reference(c.inputs, c.options);
    const numeric = extras.numeric?.(c);
    // The engine's own answer is held to finite differences first: a checker that disagrees
    // with calculus says so instead of blaming the reader.
    if (numeric) {
      const off = firstMismatchBy(numeric, expected, NUMERIC_TOLERANCE);
      if (off >= 0)
        return {
          pass: false,
          failedCase: i,
          text: `${head}: the engine's ${output}[${unflat(off, expected.shape).join(',')}] = ${num(expected.data[off]!)} but finite differences give ${num(numeric.data[off]!)}: the checker itself is wrong here`,
        };
    }
    let got: unknown;
    try {
      // Copies: an implementation that writes into its input cannot spoil the reference's.
      got = yours(
        c.inputs.map((t) => ({ shape: [...t.shape], data: t.data.slice() })),
        c.options,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { pass: false, failedCase: i, text: `${head}: your ${name} threw: ${message}` };
    }
    const mismatch = firstMismatch(got, expected, output);
    if (mismatch) {
      let text = `${head}: ${mismatch.text}`;
      if (numeric && mismatch.flat !== undefined)
        text += ` (finite differences: ${num(numeric.data[mismatch.flat]!)})`;
      if (extras.window && mismatch.index) text += `; ${extras.window(c, mismatch.index)}`;
      return { pass: false, failedCase: i, text };
    }
  }
  return {
    pass: true,
    cases: cases.length,
    text: `✓ your ${name} matches the reference engine on all ${cases.length} random cases${extras.numeric ? ' (and finite differences)' : ''}`,
  };
}

function firstMismatchBy(a: Tensor, b: Tensor, tolerance: number): number {
  for (let k = 0; k < b.data.length; k++) if (!same(a.data[k]!, b.data[k]!, tolerance)) return k;
  return -1;
}

/** Values in halves from −2 to 2: sums stay exact in float32 and readable in a message. */
export function randomHalves(rng: Rng, shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let k = 0; k < n; k++) data[k] = (rng.int(9) - 4) / 2;
  return { shape: [...shape], data };
}

export const between = (rng: Rng, lo: number, hi: number) => lo + rng.int(hi - lo + 1);

/** conv2d cases: x [N, C, H, W], kernel [M, C, kh, kw], strides [sh, sw], pads [t, l, b, r]. */
export function conv2dCases(count = 12, seed = 2): CheckCase[] {
  const rng = createRng(seed);
  const cases: CheckCase[] = [];
  for (let i = 0; i < count; i++) {
    const [n, c, m] = [between(rng, 1, 2), between(rng, 1, 3), between(rng, 1, 3)];
    const [kh, kw] = [between(rng, 1, 3), between(rng, 1, 3)];
    const pads = [0, 0, 0, 0].map(() => (i < 2 ? 0 : rng.int(2)));
    const strides = i < 2 ? [1, 1] : [between(rng, 1, 2), between(rng, 1, 2)];
    const h = between(rng, Math.max(kh, 3) - pads[0]! - pads[2]! + 1, 7);
    const w = between(rng, Math.max(kw, 3) - pads[1]! - pads[3]! + 1, 7);
    cases.push({
      inputs: [randomHalves(rng, [n, c, h, w]), randomHalves(rng, [m, c, kh, kw])],
      options: { strides, pads },
    });
  }
  return cases;
}

/**
 * Case i's max-pool window and input shape [N, C, H, W], as the forward and backward cases draw
 * them: the first two tile (stride = kernel), later ones may overlap or leave gaps; no padding.
 */
export function poolCaseShape(
  rng: Rng,
  i: number,
): { kernelShape: number[]; strides: number[]; shape: number[] } {
  const kernelShape = [between(rng, 1, 3), between(rng, 1, 3)];
  const strides = i < 2 ? [...kernelShape] : [between(rng, 1, 3), between(rng, 1, 3)];
  const shape = [between(rng, 1, 2), between(rng, 1, 2), between(rng, 3, 7), between(rng, 3, 7)];
  return { kernelShape, strides, shape };
}

/** maxPool2d cases: x [N, C, H, W], kernelShape [kh, kw], strides [sh, sw] (no padding). */
export function maxPool2dCases(count = 12, seed = 6): CheckCase[] {
  const rng = createRng(seed);
  const cases: CheckCase[] = [];
  for (let i = 0; i < count; i++) {
    const { kernelShape, strides, shape } = poolCaseShape(rng, i);
    cases.push({ inputs: [randomHalves(rng, shape)], options: { kernelShape, strides } });
  }
  return cases;
}
