import { CnnError } from './errors.ts';
import { shapeToString } from './tensor.ts';
import type { Tensor } from './tensor.ts';

/**
 * Argument checks shared by every op. Each error names the op, the argument, its value and the
 * rule it broke, so that a reader who typed a wrong number in a widget learns what to change;
 * the error is a CnnError, whose `argument` and `value` fields say the same to a program.
 */

/** A number or a pair as accepted by ops; expanded to [height, width]. */
export type PairLike = number | readonly [number, number];

export function toPair(op: string, name: string, value: PairLike): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (!Array.isArray(value) || value.length !== 2) {
    throw new CnnError(
      `${op}: ${name} must be a number or a pair [height, width], got ${JSON.stringify(value)}`,
      { op, argument: name, value },
    );
  }
  return [value[0], value[1]];
}

/** The attribute each lesson word names, for CnnError's `argument`. */
const ARGUMENT_OF: Readonly<Record<string, string>> = {
  'kernel size': 'kernelShape',
  stride: 'strides',
  dilation: 'dilations',
};

/** `singular` is the lesson word: "stride must be a positive integer, got 0". */
export function checkPositiveInts(op: string, singular: string, values: readonly number[]): void {
  for (const v of values) {
    if (!Number.isInteger(v) || v < 1) {
      const all = values.length > 1 ? ` (${singular}s [${values.join(', ')}])` : '';
      throw new CnnError(`${op}: ${singular} must be a positive integer, got ${v}${all}`, {
        op,
        argument: ARGUMENT_OF[singular] ?? singular,
        value: values.length > 1 ? [...values] : v,
      });
    }
  }
}

export function checkRank(op: string, name: string, t: Tensor, rank: number, layout: string): void {
  if (t.shape.length !== rank) {
    throw new CnnError(
      `${op}: ${name} must have rank ${rank} (${layout}), got shape ${shapeToString(t.shape)}`,
      { op, argument: name, value: [...t.shape] },
    );
  }
}

export function checkSameShape(
  op: string,
  aName: string,
  a: Tensor,
  bName: string,
  b: Tensor,
): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new CnnError(
      `${op}: ${bName} shape ${shapeToString(b.shape)} does not match ${aName} shape ${shapeToString(a.shape)}`,
      { op, argument: bName, value: [...b.shape] },
    );
  }
}

/**
 * Refuses NaN and ±Infinity with the first offending index, instead of letting them spread
 * silently through a network (a NaN pixel makes every logit NaN).
 */
export function checkFinite(t: Tensor, what: string): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `${what} contains ${v} at flat index ${i} (shape ${shapeToString(t.shape)}); inputs must be finite numbers`,
      );
    }
  }
}

/** dy must have exactly the shape of the op's output. */
export function checkGradShape(op: string, dy: Tensor, expected: readonly number[]): void {
  if (dy.shape.length !== expected.length || dy.shape.some((d, i) => d !== expected[i])) {
    throw new CnnError(
      `${op}: output gradient has shape ${shapeToString(dy.shape)} but the output has shape ${shapeToString(expected)}`,
      { op, argument: 'dy', value: [...dy.shape] },
    );
  }
}
