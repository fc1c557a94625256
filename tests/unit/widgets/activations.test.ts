import { describe, expect, it } from 'vitest';
import { conv2d, tensor } from '../../../src/cnn/index.ts';
import {
  activationCurve,
  actParams,
  applyActivation,
  computeAct,
  counts,
  DEFAULT_ACT,
  describeCell,
  FIELDS,
  KERNELS,
  moveCursor,
  parseActParams,
  reduceAct,
} from '../../../src/widgets/activations/state';
import type { ActState } from '../../../src/widgets/activations/state';

const map = tensor([1, 1, 2, 3], Float32Array.from([-2, 0, 3, -0.5, 1, 0]));

describe('applyActivation(fn, alpha, x)', () => {
  it('relu zeroes the negative cells', () => {
    expect([...applyActivation('relu', 0, map).data]).toEqual([0, 0, 3, 0, 1, 0]);
  });
  it('leaky relu scales them by alpha', () => {
    expect([...applyActivation('leakyRelu', 0.25, map).data]).toEqual([-0.5, 0, 3, -0.125, 1, 0]);
  });
  it('sigmoid(0) = 0.5, tanh(0) = 0', () => {
    expect(applyActivation('sigmoid', 0, map).data[1]).toBe(0.5);
    expect(applyActivation('tanh', 0, map).data[1]).toBe(0);
    expect(applyActivation('sigmoid', 0, map).data[2]).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
  });
  it('curves use the same functions', () => {
    expect(activationCurve('relu', 0, [-1, 0, 2])).toEqual([0, 0, 2]);
    expect(activationCurve('leakyRelu', 0.1, [-1])[0]).toBeCloseTo(-0.1, 7);
  });
});

describe('counts(before, after) on a hand-computed edge map', () => {
  it('counts ReLU zeroes = negatives + zeros', () => {
    // Sobel x [-1 0 1; -2 0 2; -1 0 1] (lesson 2's) on 3×3 with a bright middle column, padding 1,
    // out(i, j) = Σ x(i+p−1, j+q−1)·k(p, q): output column 0 sees the ink on its right (kernel
    // column 2: +1, +2, +1) → +4 in the middle row, +3 at top and bottom (one row is padding);
    // column 2 sees it on its left → −4 / −3; column 1: 0.
    const x = tensor([1, 1, 3, 3], Float32Array.from([0, 1, 0, 0, 1, 0, 0, 1, 0]));
    const pre = conv2d(x, tensor([1, 1, 3, 3], Float32Array.from(KERNELS.vertical)), { pads: 1 });
    expect([...pre.data]).toEqual([3, 0, -3, 4, 0, -4, 3, 0, -3]);
    const post = applyActivation('relu', 0, pre);
    expect(counts(pre.data, post.data)).toEqual({
      negative: 3,
      zeroBefore: 3,
      zeroAfter: 6,
      positive: 3,
    });
  });
});

describe('FIELDS.alpha.parse(raw)', () => {
  it('accepts 0…1 and explains the rest', () => {
    expect(FIELDS.alpha.parse('0.2')).toEqual({ ok: true, value: 0.2 });
    expect(FIELDS.alpha.parse('abc')).toEqual({
      ok: false,
      error: 'leaky slope alpha: "abc" is not a number.',
    });
    expect(FIELDS.alpha.parse('1.5')).toEqual({
      ok: false,
      error: 'leaky slope alpha must be between 0 and 1, got 1.5.',
    });
    expect(FIELDS.alpha.parse('')).toMatchObject({ ok: false });
  });
});

describe('URL state', () => {
  it('round-trips', () => {
    const s = {
      fn: 'tanh' as const,
      alpha: 0.3,
      kernel: 'horizontal' as const,
      digit: 2,
      row: 3,
      col: 27,
    };
    const link = Object.entries(actParams(s)).filter((e): e is [string, string] => !!e[1]);
    expect(parseActParams(new Map(link))).toEqual({
      state: s,
      notes: [],
    });
  });
  it('tolerates garbage', () => {
    const { state, notes } = parseActParams(
      new Map([
        ['fn', 'softplus'],
        ['alpha', 'NaN'],
        ['kernel', 'diagonal'],
        ['digit', '9'],
        ['row', '-1'],
        ['col', '1e3'],
      ]),
    );
    expect(state).toEqual(DEFAULT_ACT);
    expect(notes).toHaveLength(6);
    expect(notes[0]).toBe(
      'From the link: activation: "softplus" is not one of relu, leakyRelu, sigmoid, tanh. Using relu.',
    );
    expect(notes[5]).toBe(
      'From the link: inspected column must be a whole number from 0 to 27, got 1e3. Using 14.',
    );
  });
});

describe('moveCursor and describeCell', () => {
  it('moves within the map', () => {
    expect(moveCursor({ ...DEFAULT_ACT, row: 0, col: 0 }, 'ArrowUp', 28)).toEqual({
      row: 0,
      col: 0,
    });
    expect(moveCursor({ ...DEFAULT_ACT, row: 0, col: 0 }, 'ArrowRight', 28)).toEqual({
      row: 0,
      col: 1,
    });
    // The one grid model: ↓ a row, End the last cell, Home the first, Space does nothing here.
    expect(moveCursor(DEFAULT_ACT, 'ArrowDown', 28)).toEqual({ row: 15, col: 14 });
    expect(moveCursor({ ...DEFAULT_ACT, row: 0, col: 27 }, 'ArrowRight', 28)).toEqual({
      row: 1,
      col: 0,
    });
    expect(moveCursor(DEFAULT_ACT, 'End', 28)).toEqual({ row: 27, col: 27 });
    expect(moveCursor(DEFAULT_ACT, 'Home', 28)).toEqual({ row: 0, col: 0 });
    expect(moveCursor(DEFAULT_ACT, ' ', 28)).toBeNull();
    expect(moveCursor(DEFAULT_ACT, 'a', 28)).toBeNull();
  });
  it('announces before and after', () => {
    expect(describeCell({ ...DEFAULT_ACT, fn: 'leakyRelu', alpha: 0.1 }, -2, -0.2, String)).toBe(
      'Row 14, column 14: -2 before, leaky ReLU (alpha 0.1) gives -0.2.',
    );
  });
});

describe('reduceAct(state, action)', () => {
  const start: ActState = { ...DEFAULT_ACT, digits: [new Array<number>(784).fill(0)] };
  it('keys and clicks move the inspected cell; a key at the edge changes nothing', () => {
    const down = reduceAct(start, { kind: 'key', key: 'ArrowDown' });
    expect([down.row, down.col]).toEqual([15, 14]);
    const picked = reduceAct(down, { kind: 'pick', index: 3 * 28 + 5 });
    expect([picked.row, picked.col]).toEqual([3, 5]);
    const corner = { ...start, row: 0, col: 0 };
    expect(reduceAct(corner, { kind: 'key', key: 'ArrowUp' })).toBe(corner);
    expect(reduceAct(start, { kind: 'pick', index: 784 })).toBe(start);
  });
  it('a bad typed alpha keeps the last one and says so; the slider clears the message', () => {
    const bad = reduceAct(start, { kind: 'typed', raw: 'abc' });
    expect(bad.alpha).toBe(0.1);
    expect(bad.alphaError).toBe(
      'leaky slope alpha: "abc" is not a number. The maps show the last valid alpha (0.1).',
    );
    const slid = reduceAct(bad, { kind: 'slider', alpha: 0.3 });
    expect([slid.alpha, slid.alphaError]).toEqual([0.3, undefined]);
    expect(reduceAct(start, { kind: 'typed', raw: '0.25' }).alpha).toBe(0.25);
    expect(reduceAct(start, { kind: 'fn', fn: 'tanh' }).fn).toBe('tanh');
  });
  it('computeAct: a blank digit gives a zero map, all zero after ReLU', () => {
    const r = computeAct(start);
    expect(r.counts).toEqual({ negative: 0, zeroBefore: 784, zeroAfter: 784, positive: 0 });
  });
});
