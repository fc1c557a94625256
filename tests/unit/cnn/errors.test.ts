import { describe, expect, test } from 'vitest';
import {
  CnnError,
  conv2d,
  convGeometry,
  convTranspose2d,
  dropout,
  linear,
  maxPool2d,
  tensor,
  zeros,
} from '../../../src/cnn/index.ts';

/** The error thrown by `f`, which must throw. */
function caught(f: () => unknown): CnnError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CnnError);
    expect(e).toBeInstanceOf(RangeError);
    return e as CnnError;
  }
  throw new Error('did not throw');
}

describe('CnnError { op, argument, value }', () => {
  const inputShape = [1, 1, 5, 5];
  test.each([
    ['strides [0, 1]', { inputShape, kernelShape: 3, strides: [0, 1] as const }, 'strides', [0, 1]],
    ['dilations 0', { inputShape, kernelShape: 3, dilations: 0 }, 'dilations', [0, 0]],
    ['kernelShape 0', { inputShape, kernelShape: 0 }, 'kernelShape', [0, 0]],
    ['a kernel larger than the input', { inputShape, kernelShape: 7 }, 'kernelShape', 7],
    ['negative pads', { inputShape, kernelShape: 3, pads: -1 }, 'pads', -1],
    [
      'pads of 3 values',
      { inputShape, kernelShape: 3, pads: [1, 1, 1] as never },
      'pads',
      [1, 1, 1],
    ],
  ])('convGeometry with %s names the argument', (_what, args, argument, value) => {
    const e = caught(() => convGeometry({ op: 'conv2d', ...args }));
    expect(e.op).toBe('conv2d');
    expect(e.argument).toBe(argument);
    expect(e.value).toEqual(value);
  });

  test('the message is unchanged', () => {
    const e = caught(() => convGeometry({ inputShape, kernelShape: 3, strides: 0 }));
    expect(e.message).toBe(
      'convGeometry: stride must be a positive integer, got 0 (strides [0, 0])',
    );
    expect(e.name).toBe('CnnError');
  });

  test('op argument checks: rank, channels, group, bias, pool pads, rate, output padding', () => {
    const x = zeros([1, 2, 4, 4]);
    expect(caught(() => conv2d(zeros([2, 4, 4]), zeros([1, 2, 3, 3]))).argument).toBe('input');
    expect(caught(() => conv2d(x, zeros([1, 3, 3, 3]))).argument).toBe('kernel');
    expect(caught(() => conv2d(x, zeros([3, 1, 3, 3]), { group: 2 })).argument).toBe('group');
    expect(caught(() => conv2d(x, zeros([1, 2, 3, 3]), { bias: zeros([2]) })).argument).toBe(
      'bias',
    );
    const pool = caught(() => maxPool2d(x, { kernelShape: 2, pads: 2 }));
    expect([pool.op, pool.argument, pool.value]).toEqual(['maxPool2d', 'pads', 2]);
    expect(caught(() => dropout(x, { rate: 1, training: false })).value).toBe(1);
    expect(caught(() => linear(zeros([1, 3]), zeros([2, 4]))).argument).toBe('weight');
    const t = caught(() => convTranspose2d(x, zeros([2, 1, 3, 3]), { outputPadding: 1 }));
    expect([t.argument, t.value]).toEqual(['outputPadding', 1]);
    expect(tensor([1], [0]).shape).toEqual([1]);
  });
});
