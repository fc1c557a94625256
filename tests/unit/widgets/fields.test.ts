import { describe, expect, it } from 'vitest';
import {
  choice,
  decimal,
  fieldParams,
  flag,
  initialValues,
  integer,
  readFields,
} from '../../../src/widgets/shared/fields';

const FIELDS = {
  stride: integer('s', 'stride', { min: 1, max: 8, initial: 1 }),
  lr: decimal('lr', 'learning rate', { min: 0, max: 10, initial: 0.05, aboveMin: true }),
  mode: choice('mode', 'pooling', ['max', 'avg'] as const, 'max'),
  inc: flag('inc', 'count padding', false),
};

describe('integer(key, label, range).parse(raw)', () => {
  it('reads whole numbers in range, with thousands separators', () => {
    expect(FIELDS.stride.parse(' 3 ')).toEqual({ ok: true, value: 3 });
    expect(integer('n', 'n', { min: 1, max: 1e6, initial: 1 }).parse('1,024')).toEqual({
      ok: true,
      value: 1024,
    });
  });
  it('names the field, the value and the rule', () => {
    expect(FIELDS.stride.parse('abc')).toEqual({
      ok: false,
      error: 'stride: "abc" is not a number.',
    });
    expect(FIELDS.stride.parse('0')).toEqual({
      ok: false,
      error: 'stride must be a whole number from 1 to 8, got 0.',
    });
    expect(FIELDS.stride.parse('1.5')).toMatchObject({ ok: false });
    expect(FIELDS.stride.parse('')).toEqual({ ok: false, error: 'stride: "" is not a number.' });
  });
});

describe('decimal(key, label, range).parse(raw)', () => {
  it('refuses the open lower bound, NaN and ∞, and reads a real minus sign', () => {
    expect(FIELDS.lr.parse('0')).toEqual({
      ok: false,
      error: 'learning rate must be greater than 0 and at most 10, got 0.',
    });
    expect(FIELDS.lr.parse('NaN')).toMatchObject({ ok: false });
    expect(FIELDS.lr.parse('Infinity')).toMatchObject({ ok: false });
    expect(decimal('b', 'bias', { min: -5, max: 5, initial: 0 }).parse('−0.5')).toEqual({
      ok: true,
      value: -0.5,
    });
  });
  it('with decimalComma reads "1,5" as 1.5 (a comma is not a thousands separator there)', () => {
    const w = decimal('k', 'weight', { min: -100, max: 100, initial: 0, decimalComma: true });
    expect(w.parse(' −1,5 ')).toEqual({ ok: true, value: -1.5 });
    expect(w.parse('1,5,3')).toEqual({ ok: false, error: 'weight: "1,5,3" is not a number.' });
    expect(decimal('x', 'x', { min: 0, max: 1e4, initial: 0 }).parse('1,500')).toEqual({
      ok: true,
      value: 1500,
    });
  });
});

describe('choice and flag', () => {
  it('accept only their options', () => {
    expect(FIELDS.mode.parse('avg')).toEqual({ ok: true, value: 'avg' });
    expect(FIELDS.mode.parse('<script>')).toEqual({
      ok: false,
      error: 'pooling: "<script>" is not one of max, avg.',
    });
    expect(FIELDS.inc.parse('1')).toEqual({ ok: true, value: true });
    expect(FIELDS.inc.parse('yes')).toMatchObject({ ok: false });
  });
});

describe('readFields(fields, params) and fieldParams(fields, values)', () => {
  it('keeps the initial value of a bad field with a note, and round-trips the rest', () => {
    const params = new Map([
      ['s', '2'],
      ['lr', 'abc'],
      ['mode', 'avg'],
      ['other', 'x'],
    ]);
    const { values, notes } = readFields(FIELDS, params);
    expect(values).toEqual({ stride: 2, lr: 0.05, mode: 'avg', inc: false });
    expect(notes).toEqual(['From the link: learning rate: "abc" is not a number. Using 0.05.']);
    expect(fieldParams(FIELDS, values)).toEqual({
      s: '2',
      lr: undefined,
      mode: 'avg',
      inc: undefined,
    });
    const back = readFields(
      FIELDS,
      new Map(
        Object.entries(fieldParams(FIELDS, values)).filter(
          (e): e is [string, string] => e[1] !== undefined,
        ),
      ),
    );
    expect(back.values).toEqual(values);
  });
  it('initialValues(fields) is every field at its initial value', () => {
    expect(initialValues(FIELDS)).toEqual({ stride: 1, lr: 0.05, mode: 'max', inc: false });
  });
});
