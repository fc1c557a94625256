import { describe, expect, it } from 'vitest';
import {
  denseParams,
  formatBytes,
  formulaTex,
  FIELDS,
  parseDenseParams,
  reduceDense,
} from '../../../src/widgets/dense-params/state';

describe('denseParams({h, w, c, u})', () => {
  it('MNIST, 1000 units: 784·1000 + 1000 = 785,000', () => {
    expect(denseParams({ h: 28, w: 28, c: 1, u: 1000 })).toEqual({ inputs: 784n, params: 785000n });
  });
  it('Full HD RGB, 1000 units: 6,220,801,000 (the lesson’s number)', () => {
    expect(denseParams({ h: 1080, w: 1920, c: 3, u: 1000 }).params).toBe(6220801000n);
  });
  it('stays exact past 2⁵³', () => {
    // 100000² · 10000 · 1e6 + 1e6 = 1e20 + 1e6; with 999 units exactly 99,900,000,000,000,999 (past 2⁵³ ≈ 9.0e15)
    expect(denseParams({ h: 100000, w: 100000, c: 10000, u: 1000000 }).params).toBe(
      10n ** 20n + 10n ** 6n,
    );
    expect(denseParams({ h: 100000, w: 100000, c: 10000, u: 999 }).params).toBe(
      99_900_000_000_000_999n,
    );
  });
});

describe('formatBytes(bytes)', () => {
  it('uses decimal units', () => {
    expect(formatBytes(999n)).toBe('999 bytes');
    expect(formatBytes(314000n)).toBe('314 kB');
    expect(formatBytes(6220801000n * 4n)).toBe('24.9 GB');
    expect(formatBytes(3140000n)).toBe('3.14 MB');
  });
});

describe('FIELDS.x.parse(raw)', () => {
  it('accepts thousands separators', () => {
    expect(FIELDS.w.parse('1,920')).toEqual({ ok: true, value: 1920 });
  });
  it('names the field, value and rule', () => {
    expect(FIELDS.w.parse('abc')).toEqual({ ok: false, error: 'width W: "abc" is not a number.' });
    expect(FIELDS.c.parse('0')).toEqual({
      ok: false,
      error: 'channels C must be a whole number from 1 to 10,000, got 0.',
    });
    expect(FIELDS.c.parse('2.5')).toMatchObject({ ok: false });
    expect(FIELDS.c.parse('10001')).toEqual({
      ok: false,
      error: 'channels C must be a whole number from 1 to 10,000, got 10001.',
    });
    expect(FIELDS.c.parse('')).toMatchObject({ ok: false });
  });
});

describe('reduceDense(state, edit)', () => {
  const start = { inputs: { h: 28, w: 28, c: 1, u: 100 }, errors: {} };
  it('a valid edit changes the inputs and clears that field’s message', () => {
    const bad = reduceDense(start, { kind: 'edit', field: 'u', raw: 'x' });
    expect(bad.inputs).toBe(start.inputs);
    expect(bad.errors.u).toBe(
      'hidden units U: "x" is not a number. The numbers below are for the last valid value.',
    );
    const good = reduceDense(bad, { kind: 'edit', field: 'u', raw: '1,000' });
    expect(good.inputs).toEqual({ h: 28, w: 28, c: 1, u: 1000 });
    expect(good.errors).toEqual({});
  });
});

describe('URL state', () => {
  it('keeps good fields and replaces bad ones with defaults and a note', () => {
    const { inputs, notes } = parseDenseParams(
      new Map([
        ['h', '28'],
        ['w', 'abc'],
        ['u', '-5'],
      ]),
    );
    expect(inputs).toEqual({ h: 28, w: 1920, c: 3, u: 1000 });
    expect(notes).toHaveLength(2);
  });
});

describe('formulaTex', () => {
  it('substitutes the numbers with TeX thousands separators', () => {
    expect(formulaTex({ h: 28, w: 28, c: 1, u: 1000 })).toBe(
      'P = (28 \\cdot 28 \\cdot 1) \\cdot 1{,}000 + 1{,}000 = 784 \\cdot 1{,}000 + 1{,}000 = 785{,}000',
    );
  });
});
