import { describe, expect, it } from 'vitest';
import { linear, tensor } from '../../../src/cnn/index.ts';
import {
  announce,
  compare,
  computeShift,
  describeShift,
  FIELDS,
  nudge,
  parseShiftParams,
  reduceShift,
  shiftImage,
  shiftParams,
  unitRows,
  verdict,
} from '../../../src/widgets/shift-match/state';
import type { ShiftState } from '../../../src/widgets/shift-match/state';

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
    expect(notes[0]).toBe('From the link: horizontal shift dx: "abc" is not a number. Using 0.');
    expect(notes[1]).toBe(
      'From the link: vertical shift dy must be a whole number from -3 to 3, got 4. Using 0.',
    );
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

describe('reduceShift(state, action)', () => {
  const start: ShiftState = { dx: 0, dy: 0, template: Float32Array.from(T), label: 1, rivals: [] };
  it('moves one step, keeps the template, and resets', () => {
    const right = reduceShift(start, { kind: 'move', ddx: 1, ddy: 0 });
    expect([right.dx, right.dy]).toEqual([1, 0]);
    expect(right.template).toBe(start.template);
    const back = reduceShift(right, { kind: 'reset' });
    expect([back.dx, back.dy]).toEqual([0, 0]);
  });
  it('returns the same state when nothing changes (clamped at ±3, reset when not shifted)', () => {
    const edge = { ...start, dx: 3 };
    expect(reduceShift(edge, { kind: 'move', ddx: 1, ddy: 0 })).toBe(edge);
    expect(reduceShift(start, { kind: 'reset' })).toBe(start);
  });
});

describe('computeShift(state) on the tiny case', () => {
  it('scores the shifted digit against the template', () => {
    const r = computeShift({ dx: 0, dy: 1, template: Float32Array.from(T), label: 1, rivals: [] });
    expect([...r.x]).toEqual([0, 0, 0, 0, 1, 0, 0, 2, 0]);
    expect(r.score).toBe(8);
    expect(r.score0).toBe(14);
    expect(r.cellsDiffering).toBe(3);
    expect(r.winner).toBe(1); // no rivals: the digit's own label
  });
});

describe('computeShift(state): the rivals, scored by cosine', () => {
  // The tiny digit is a vertical bar in the middle column; the rival "2" is a bar in the right one.
  const own = { label: 1, pixels: Float32Array.from(T) };
  const right = { label: 2, pixels: Float32Array.from([0, 0, 1, 0, 0, 1, 0, 0, 1]) };
  const state = (dx: number): ShiftState => ({
    dx,
    dy: 0,
    template: Float32Array.from(T),
    label: 1,
    rivals: [own, right],
  });
  it('unshifted, its own template wins with cosine 1', () => {
    const r = computeShift(state(0));
    expect(r.matches[0].score).toBeCloseTo(1, 6);
    expect(r.matches[1].score).toBe(0); // no overlap with the right column
    expect(r.winner).toBe(1);
    expect(verdict(1, r)).toBe('Still read as a 1: its own template matches best (1.000).');
  });
  it('one pixel right, the other template wins: cosine (1 + 2 + 3) / (√14 · √3) = 0.926', () => {
    const r = computeShift(state(1));
    expect(r.matches[0].score).toBe(0);
    expect(r.matches[1].score).toBeCloseTo(6 / (Math.sqrt(14) * Math.sqrt(3)), 6);
    expect(r.dots[1]).toBeCloseTo(6 / Math.sqrt(3), 5); // Σ x·t̂, what ORT checks
    expect(r.winner).toBe(2);
    expect(verdict(1, r)).toBe(
      "Now read as a 2: the 2's template scores 0.926, the 1's own template only 0.000.",
    );
  });
  it('unitRows scales each template to length 1 and leaves a blank one at 0', () => {
    const rows = unitRows([right, { label: 3, pixels: new Float32Array(9) }]);
    expect(rows[2]).toBeCloseTo(1 / Math.sqrt(3), 6);
    expect(Array.from(rows.subarray(9))).toEqual(new Array(9).fill(0));
  });
});

describe('FIELDS', () => {
  it('names the field, quotes the value and states the range', () => {
    expect(FIELDS.dx.parse('1.5')).toEqual({
      ok: false,
      error: 'horizontal shift dx must be a whole number from -3 to 3, got 1.5.',
    });
    expect(FIELDS.dy.parse('-2')).toEqual({ ok: true, value: -2 });
  });
});
