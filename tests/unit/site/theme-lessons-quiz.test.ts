import { describe, expect, it } from 'vitest';
import { nextThemeChoice, parseThemeChoice, resolveTheme } from '../../../src/site/theme';
import { lessonUrl, neighbours, sortLessons } from '../../../src/site/lessons';
import { grade, validateQuestions } from '../../../src/site/quiz';

describe('theme', () => {
  it('parseThemeChoice(raw) accepts light/dark and falls back to system', () => {
    expect(parseThemeChoice('light')).toBe('light');
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(parseThemeChoice('purple')).toBe('system');
    expect(parseThemeChoice(null)).toBe('system');
  });
  it('resolveTheme(choice, systemDark) follows the system only for "system"', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
  it('nextThemeChoice cycles system → light → dark → system', () => {
    expect(nextThemeChoice('system')).toBe('light');
    expect(nextThemeChoice('light')).toBe('dark');
    expect(nextThemeChoice('dark')).toBe('system');
  });
});

describe('lessons', () => {
  const ls = [
    { id: 'b', title: 'B', order: 2 },
    { id: 'a', title: 'A', order: 1 },
    { id: 'c', title: 'C', order: 3 },
  ];
  it('sortLessons orders by `order` and rejects duplicates', () => {
    expect(sortLessons(ls).map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(() => sortLessons([...ls, { id: 'd', title: 'D', order: 2 }])).toThrow(
      /both have order 2/,
    );
  });
  it('neighbours gives prev/next and undefined at the ends', () => {
    const sorted = sortLessons(ls);
    expect(neighbours(sorted, 'a')).toEqual({ prev: undefined, next: sorted[1] });
    expect(neighbours(sorted, 'c')).toEqual({ prev: sorted[1], next: undefined });
    expect(() => neighbours(sorted, 'zz')).toThrow(/no lesson with id "zz"/);
  });
  it('lessonUrl(id) is /lessons/<id>/', () => {
    expect(lessonUrl('relu')).toBe('/lessons/relu/');
  });
});

describe('quiz', () => {
  const q = { prompt: 'p', choices: ['x', 'y', 'z'], answer: 1, explanation: 'e' };
  it('grade(q, selected) is unanswered, right or wrong with the correct choice', () => {
    expect(grade(q, null)).toEqual({ kind: 'unanswered' });
    expect(grade(q, 1)).toEqual({ kind: 'right' });
    expect(grade(q, 2)).toEqual({ kind: 'wrong', correct: 'y' });
  });
  it('validateQuestions rejects answers that are not a choice', () => {
    expect(() => validateQuestions([{ ...q, answer: 3 }])).toThrow(
      /answer 3 is not a choice index/,
    );
    expect(() => validateQuestions([{ ...q, choices: ['only'], answer: 0 }])).toThrow(
      /two choices/,
    );
    expect(() => validateQuestions([])).toThrow(/at least one/);
    expect(() => validateQuestions([q])).not.toThrow();
  });
});
