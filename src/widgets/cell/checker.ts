/**
 * "Build it yourself": the reader's implementation of an op against the reference engine on
 * random cases (shapes, strides, pads), reporting the first mismatching cell with its index, as
 * in "your y[0,1,2,3] = 1.5, expected 1.25". Pure; the worker passes in the reference op it
 * records, so every expected value is also checked on onnxruntime-web.
 */
import { createRng, type Rng, type Tensor } from '../../cnn/index.ts';
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

/** The first cell where `got` differs from `expected` (by more than the tolerance), or null. */
export function firstMismatch(got: unknown, expected: Tensor): string | null {
  if (!isTensor(got)) return `your function returned ${formatValue(got)}, not a tensor`;
  if (
    got.shape.length !== expected.shape.length ||
    got.shape.some((d, i) => d !== expected.shape[i])
  )
    return `your y has shape ${list(got.shape)}, expected ${list(expected.shape)}`;
  if (got.data.length !== expected.data.length)
    return `your y has ${got.data.length} values for shape ${list(got.shape)}, expected ${expected.data.length}`;
  for (let k = 0; k < expected.data.length; k++) {
    const a = got.data[k]!;
    const b = expected.data[k]!;
    if (Math.abs(a - b) <= CHECK_TOLERANCE || (Number.isNaN(a) && Number.isNaN(b))) continue;
    const index: number[] = [];
    let rest = k;
    for (let d = expected.shape.length - 1; d >= 0; d--) {
      index.unshift(rest % expected.shape[d]!);
      rest = Math.floor(rest / expected.shape[d]!);
    }
    return `your y[${index.join(',')}] = ${num(a)}, expected ${num(b)}`;
  }
  return null;
}

/** Runs `yours` and `reference` on every case; stops at the first case that differs. */
export function runChecker(
  name: string,
  inputNames: readonly string[],
  cases: readonly CheckCase[],
  yours: (inputs: readonly Tensor[], options: CheckCase['options']) => unknown,
  reference: (inputs: readonly Tensor[], options: CheckCase['options']) => Tensor,
): CheckResult {
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    const expected = reference(c.inputs, c.options);
    let got: unknown;
    try {
      // Copies: an implementation that writes into its input cannot spoil the reference's.
      got = yours(
        c.inputs.map((t) => ({ shape: [...t.shape], data: t.data.slice() })),
        c.options,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        pass: false,
        failedCase: i,
        text: `✗ case ${i + 1} of ${cases.length} (${describeCase(c, inputNames)}): your ${name} threw: ${message}`,
      };
    }
    const mismatch = firstMismatch(got, expected);
    if (mismatch)
      return {
        pass: false,
        failedCase: i,
        text: `✗ case ${i + 1} of ${cases.length} (${describeCase(c, inputNames)}): ${mismatch}`,
      };
  }
  return {
    pass: true,
    cases: cases.length,
    text: `✓ your ${name} matches the reference engine on all ${cases.length} random cases`,
  };
}

/** Values in halves from −2 to 2: sums stay exact in float32 and readable in a message. */
function randomTensor(rng: Rng, shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let k = 0; k < n; k++) data[k] = (rng.int(9) - 4) / 2;
  return { shape: [...shape], data };
}

const between = (rng: Rng, lo: number, hi: number) => lo + rng.int(hi - lo + 1);

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
      inputs: [randomTensor(rng, [n, c, h, w]), randomTensor(rng, [m, c, kh, kw])],
      options: { strides, pads },
    });
  }
  return cases;
}

/** maxPool2d cases: x [N, C, H, W], kernelShape [kh, kw], strides [sh, sw] (no padding). */
export function maxPool2dCases(count = 12, seed = 6): CheckCase[] {
  const rng = createRng(seed);
  const cases: CheckCase[] = [];
  for (let i = 0; i < count; i++) {
    const kernelShape = [between(rng, 1, 3), between(rng, 1, 3)];
    const strides = i < 2 ? [...kernelShape] : [between(rng, 1, 3), between(rng, 1, 3)];
    const shape = [between(rng, 1, 2), between(rng, 1, 2), between(rng, 3, 7), between(rng, 3, 7)];
    cases.push({ inputs: [randomTensor(rng, shape)], options: { kernelShape, strides } });
  }
  return cases;
}
