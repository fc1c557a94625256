import { describe, expect, it } from 'vitest';
import { conv2d, tensor } from '../../../src/cnn/index.ts';
import {
  activationCurve,
  actParams,
  applyActivation,
  counts,
  DEFAULT_ACT,
  describeCell,
  KERNELS,
  moveCursor,
  parseActParams,
  parseAlpha,
} from '../../../src/widgets/activations/state';

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
    // Vertical Sobel on 3×3 with a bright middle column, padding 1:
    //   x = 0 1 0 / 0 1 0 / 0 1 0; out(1,0) = −(0·1 + 2·1 + 1·1)… read as Σ x·k:
    //   column 0 of the output sees the ink on its right: −(1 + 2 + 1) = −4 in the middle row,
    //   −3 at the top and bottom; column 2 sees it on its left: +4 / +3; column 1: 0.
    const x = tensor([1, 1, 3, 3], Float32Array.from([0, 1, 0, 0, 1, 0, 0, 1, 0]));
    const pre = conv2d(x, tensor([1, 1, 3, 3], Float32Array.from(KERNELS.vertical)), { pads: 1 });
    expect([...pre.data]).toEqual([-3, 0, 3, -4, 0, 4, -3, 0, 3]);
    const post = applyActivation('relu', 0, pre);
    expect(counts(pre.data, post.data)).toEqual({
      negative: 3,
      zeroBefore: 3,
      zeroAfter: 6,
      positive: 3,
    });
  });
});

describe('parseAlpha(raw)', () => {
  it('accepts 0…1 and explains the rest', () => {
    expect(parseAlpha('0.2')).toEqual({ value: 0.2 });
    expect(parseAlpha('abc')).toHaveProperty('error');
    expect(parseAlpha('1.5')).toEqual({ error: 'alpha must be between 0 and 1, got 1.5.' });
    expect(parseAlpha('')).toHaveProperty('error');
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
    expect(parseActParams(new Map(Object.entries(actParams(s))), 3, 28)).toEqual({
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
      3,
      28,
    );
    expect(state).toEqual(DEFAULT_ACT);
    expect(notes).toHaveLength(6);
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
    expect(moveCursor(DEFAULT_ACT, 'End', 28)).toEqual({ row: 14, col: 27 });
    expect(moveCursor(DEFAULT_ACT, 'a', 28)).toBeNull();
  });
  it('announces before and after', () => {
    expect(describeCell({ ...DEFAULT_ACT, fn: 'leakyRelu', alpha: 0.1 }, -2, -0.2, String)).toBe(
      'Row 14, column 14: -2 before, leaky ReLU (alpha 0.1) gives -0.2.',
    );
  });
});
