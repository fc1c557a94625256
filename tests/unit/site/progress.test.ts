import { describe, expect, it } from 'vitest';
import {
  isComplete,
  markComplete,
  markIncomplete,
  parseProgress,
  summarise,
} from '../../../src/site/progress';

describe('parseProgress(raw)', () => {
  it('returns {} for null, broken JSON, arrays and non-objects', () => {
    expect(parseProgress(null)).toEqual({});
    expect(parseProgress('{not json')).toEqual({});
    expect(parseProgress('[1,2]')).toEqual({});
    expect(parseProgress('"text"')).toEqual({});
    expect(parseProgress('null')).toEqual({});
  });
  it('keeps valid slug → date entries and drops the rest', () => {
    const raw = JSON.stringify({ relu: '2026-01-01T00:00:00.000Z', 'Bad Slug!': 'x', pooling: 3 });
    expect(parseProgress(raw)).toEqual({ relu: '2026-01-01T00:00:00.000Z' });
  });
});

describe('markComplete / markIncomplete / isComplete', () => {
  it('round-trips one lesson without touching others', () => {
    const when = new Date('2026-11-22T10:00:00Z');
    const p = markComplete({ relu: 'x' }, 'pooling', when);
    expect(p).toEqual({ relu: 'x', pooling: '2026-11-22T10:00:00.000Z' });
    expect(isComplete(p, 'pooling')).toBe(true);
    expect(isComplete(markIncomplete(p, 'pooling'), 'pooling')).toBe(false);
    expect(markIncomplete(p, 'pooling')).toEqual({ relu: 'x' });
  });
  it('does not treat inherited properties as completed lessons', () => {
    expect(isComplete({}, 'toString')).toBe(false);
  });
});

describe('summarise(progress, slugs)', () => {
  it('counts only current lessons', () => {
    expect(summarise({ a: '1', gone: '2' }, ['a', 'b'])).toBe('1 of 2 lessons complete');
    expect(summarise({}, ['a'])).toBe('0 of 1 lesson complete');
  });
});
