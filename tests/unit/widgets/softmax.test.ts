import { describe, expect, it } from 'vitest';
import { tensor } from '../../../src/cnn/index.ts';
import {
  announce,
  argmax,
  entropyBits,
  FIELDS,
  forwardPass,
  parseSoftmaxParams,
  reduceSoftmax,
  sliderToT,
  softmaxParams,
  tToSlider,
} from '../../../src/widgets/softmax/state';
import type { SoftmaxState } from '../../../src/widgets/softmax/state';

// Two classes, three pixels: W = [[1, 0, 1], [0, 1, 0]], b = [0, 0.5]; x = [1, 1, 0]
// z = [1, 1.5]. At T = 1: p = [e¹, e^1.5] / (e¹ + e^1.5) = [0.377541, 0.622459].
// At T = 0.5: z/T = [2, 3] → p₀ = 1 / (1 + e) = 0.268941.
const layer = {
  weight: tensor([2, 3], Float32Array.from([1, 0, 1, 0, 1, 0])),
  bias: tensor([2], Float32Array.from([0, 0.5])),
};

describe('forwardPass(pixels, layer, T)', () => {
  it('logits are W·x + b', () => {
    expect([...forwardPass([1, 1, 0], layer, 1).logits]).toEqual([1, 1.5]);
  });
  it('T = 1 is plain softmax', () => {
    const { probs } = forwardPass([1, 1, 0], layer, 1);
    expect(probs[0]).toBeCloseTo(0.377541, 6);
    expect(probs[1]).toBeCloseTo(0.622459, 6);
  });
  it('T = 0.5 sharpens', () => {
    const { scaled, probs } = forwardPass([1, 1, 0], layer, 0.5);
    expect([...scaled]).toEqual([2, 3]);
    expect(probs[0]).toBeCloseTo(1 / (1 + Math.E), 6);
  });
  it('a huge T gives near-uniform', () => {
    const { probs } = forwardPass([1, 1, 0], layer, 1000);
    expect(probs[0]).toBeCloseTo(0.5, 3);
  });
  it('huge logits do not overflow (max subtracted)', () => {
    const big = {
      weight: tensor([2, 1], Float32Array.from([1000, 999])),
      bias: tensor([2], Float32Array.from([0, 0])),
    };
    const { probs } = forwardPass([1], big, 1);
    expect(probs[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(Number.isFinite(probs[1])).toBe(true);
  });
});

describe('FIELDS.t.parse(raw): the temperature', () => {
  it('explains 0, negatives, text and values too small or too large', () => {
    expect(FIELDS.t.parse('0')).toEqual({
      ok: false,
      error:
        'temperature T must be greater than 0 and at most 1,000 (softmax divides by it), got 0.',
    });
    expect(FIELDS.t.parse('-1')).toMatchObject({ ok: false });
    expect(FIELDS.t.parse('abc')).toEqual({
      ok: false,
      error: 'temperature T: "abc" is not a number.',
    });
    expect(FIELDS.t.parse('1e9')).toMatchObject({ ok: false });
    expect(FIELDS.t.parse('0.001')).toEqual({
      ok: false,
      error:
        'temperature T must be at least 0.01 (smaller ones overflow 32-bit floats), got 0.001.',
    });
    expect(FIELDS.t.parse(' 2.5 ')).toEqual({ ok: true, value: 2.5 });
  });
});

describe('slider mapping (log scale 0.1…100)', () => {
  it('maps both ways', () => {
    expect(sliderToT(0)).toBe(1);
    expect(sliderToT(2)).toBe(100);
    expect(sliderToT(-1)).toBe(0.1);
    expect(tToSlider(10)).toBe(1);
    expect(tToSlider(1000)).toBe(2);
  });
});

describe('URL state', () => {
  it('reads digit and T', () => {
    expect(
      parseSoftmaxParams(
        new Map([
          ['digit', '3'],
          ['t', '0.5'],
        ]),
      ),
    ).toEqual({
      state: { digit: 3, t: 0.5 },
      notes: [],
    });
  });
  it('tolerates garbage', () => {
    const { state, notes } = parseSoftmaxParams(
      new Map([
        ['digit', '10'],
        ['t', '0'],
      ]),
    );
    // The defaults: the first digit, and T = 10 (the figure opens graded, not at argmax).
    expect(state).toEqual({ digit: 0, t: 10 });
    expect(notes).toHaveLength(2);
  });
});

describe('argmax, entropy, announce', () => {
  it('works on hand values', () => {
    expect(argmax([0.1, 0.7, 0.2])).toBe(1);
    expect(entropyBits([0.5, 0.5])).toBeCloseTo(1, 12);
    expect(entropyBits(new Array(10).fill(0.1))).toBeCloseTo(Math.log2(10), 12);
    expect(announce(7, 2, [0.1, 0.9])).toBe(
      'A handwritten 7 at temperature 2: the most likely class is 1 with probability 90.0%.',
    );
  });
});

describe('reduceSoftmax(state, action)', () => {
  const start: SoftmaxState = { digit: 0, t: 1, digits: [], layer };
  it('the slider sets T on its log scale and clears a typing error', () => {
    const bad = reduceSoftmax(start, { kind: 'typed', raw: '0' });
    expect(bad.t).toBe(1);
    expect(bad.tError).toBe(
      'temperature T must be greater than 0 and at most 1,000 (softmax divides by it), got 0. The bars show the last valid temperature (T = 1).',
    );
    const slid = reduceSoftmax(bad, { kind: 'slider', position: 2 });
    expect(slid.t).toBe(100);
    expect(slid.tError).toBeUndefined();
  });
  it('a valid typed T replaces the last one; the same digit again changes nothing', () => {
    expect(reduceSoftmax(start, { kind: 'typed', raw: '0.5' }).t).toBe(0.5);
    expect(reduceSoftmax(start, { kind: 'digit', digit: 0 })).toBe(start);
    expect(reduceSoftmax(start, { kind: 'digit', digit: 3 }).digit).toBe(3);
  });
  it('writes only what differs from the defaults into the link', () => {
    expect(softmaxParams({ ...start, t: 10 })).toEqual({ digit: undefined, t: undefined });
    expect(softmaxParams(start)).toEqual({ digit: undefined, t: '1' });
    expect(softmaxParams({ ...start, digit: 2, t: 0.5 })).toEqual({ digit: '2', t: '0.5' });
  });
});
