import { describe, expect, it } from 'vitest';
import { linear, tensor } from '../../../src/cnn/index.ts';
import {
  announce,
  compare,
  describeShift,
  nudge,
  parseShiftParams,
  shiftImage,
  shiftParams,
} from '../../../src/widgets/shift-match/state';

// A tiny 3×3 "digit":   0 1 0
//                       0 2 0
//                       0 3 0
const T = [0, 1, 0, 0, 2, 0, 0, 3, 0];

describe('shiftImage(x, rows, cols, dx, dy)', () => {
  it('moves right with zeros entering on the left', () => {
    expect([...shiftImage(T, 3, 3, 1, 0)]).toEqual([0, 0, 1, 0, 0, 2, 0, 0, 3]);
  });
  it('moves up, dropping the top row', () => {
    expect([...shiftImage(T, 3, 3, 0, -1)]).toEqual([0, 2, 0, 0, 3, 0, 0, 0, 0]);
  });
  it('is the identity at (0, 0)', () => {
    expect([...shiftImage(T, 3, 3, 0, 0)]).toEqual(T);
  });
});

describe('template score Σ x·t on the tiny case', () => {
  const score = (x: ArrayLike<number>) =>
    linear(tensor([1, 9], Float32Array.from(x)), tensor([1, 9], Float32Array.from(T))).data[0];
  it('unshifted: 1 + 4 + 9 = 14; one pixel right: 0 (the column no longer overlaps)', () => {
    expect(score(T)).toBe(14);
    expect(score(shiftImage(T, 3, 3, 1, 0))).toBe(0);
  });
  it('one pixel down: 0·1 + 1·2 + 2·3 = 8', () => {
    expect(score(shiftImage(T, 3, 3, 0, 1))).toBe(8);
  });
});

describe('compare(x, t)', () => {
  it('gives x − t, the mean squared difference and the differing cells', () => {
    const x = shiftImage(T, 3, 3, 0, 1); // 0 0 0 / 0 1 0 / 0 2 0
    const c = compare(x, T);
    expect([...c.diff]).toEqual([0, -1, 0, 0, -1, 0, 0, -1, 0]);
    expect(c.msd).toBeCloseTo(3 / 9, 12);
    expect(c.cellsDiffering).toBe(3);
  });
});

describe('URL state', () => {
  it('round-trips and drops zeros', () => {
    const { state, notes } = parseShiftParams(
      new Map([
        ['dx', '-2'],
        ['dy', '3'],
      ]),
    );
    expect(state).toEqual({ dx: -2, dy: 3 });
    expect(notes).toEqual([]);
    expect(shiftParams(state)).toEqual({ dx: '-2', dy: '3' });
    expect(shiftParams({ dx: 0, dy: 0 })).toEqual({ dx: undefined, dy: undefined });
  });
  it('turns garbage into 0 with a note', () => {
    const { state, notes } = parseShiftParams(
      new Map([
        ['dx', 'abc'],
        ['dy', '4'],
        ['x', ''],
      ]),
    );
    expect(state).toEqual({ dx: 0, dy: 0 });
    expect(notes).toHaveLength(2);
    expect(notes[0]).toContain('shift.dx="abc"');
  });
  it('rejects fractions and empty strings', () => {
    expect(parseShiftParams(new Map([['dx', '1.5']])).state.dx).toBe(0);
    expect(parseShiftParams(new Map([['dy', ' ']])).state.dy).toBe(0);
  });
});

describe('nudge and words', () => {
  it('clamps at ±3', () => {
    expect(nudge({ dx: 3, dy: -3 }, 1, -1)).toEqual({ dx: 3, dy: -3 });
    expect(nudge({ dx: 0, dy: 0 }, -1, 1)).toEqual({ dx: -1, dy: 1 });
  });
  it('describes and announces', () => {
    expect(describeShift({ dx: 0, dy: 0 })).toBe('not shifted');
    expect(describeShift({ dx: -1, dy: 2 })).toBe('1 px left and 2 px down');
    expect(announce({ dx: 1, dy: 0 }, 7, 14, 0.5)).toBe(
      'Digit 1 px right: match score 7.00 (50% of the unshifted score), mean squared difference 0.5000.',
    );
  });
});
