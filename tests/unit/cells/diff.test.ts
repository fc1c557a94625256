import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/cnn/index.ts';
import { diffSummary, lineDiff, MAX_DIFF_CELLS, withContext } from '../../../src/widgets/cell/diff';
import type { DiffLine } from '../../../src/widgets/cell/diff';

const text = (lines: readonly DiffLine[], side: 'old' | 'new') =>
  lines
    .filter((l) => l.kind === 'same' || l.kind === (side === 'old' ? 'removed' : 'added'))
    .map((l) => l.text)
    .join('\n');

/** The longest common subsequence's length, by plain recursion with a memo (independent). */
function lcsLength(a: string[], b: string[]): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0;
    const key = `${i},${j}`;
    let v = memo.get(key);
    if (v === undefined) {
      v = a[i] === b[j] ? 1 + go(i + 1, j + 1) : Math.max(go(i + 1, j), go(i, j + 1));
      memo.set(key, v);
    }
    return v;
  };
  return go(0, 0);
}

describe('lineDiff(before, after)', () => {
  it('marks one changed line as removed then added, with both line numbers', () => {
    const d = lineDiff('a\nb\nc', 'a\nB\nc')!;
    expect(d).toEqual([
      { kind: 'same', text: 'a', old: 1, new: 1 },
      { kind: 'removed', text: 'b', old: 2 },
      { kind: 'added', text: 'B', new: 2 },
      { kind: 'same', text: 'c', old: 3, new: 3 },
    ]);
    expect(diffSummary(d)).toBe('1 line added, 1 line removed');
  });

  it('an inserted line shifts the new numbers only', () => {
    const d = lineDiff('x\ny', 'x\nnew\ny')!;
    expect(d.map((l) => l.kind)).toEqual(['same', 'added', 'same']);
    expect(d[2]).toEqual({ kind: 'same', text: 'y', old: 2, new: 3 });
    expect(diffSummary(d)).toBe('1 line added');
    expect(diffSummary(lineDiff('x', 'x')!)).toBe('no changes');
  });

  it('rebuilds both texts and keeps a longest common subsequence, on random edits', () => {
    const rng = createRng(11);
    for (let t = 0; t < 200; t++) {
      const a = Array.from({ length: rng.int(8) }, () => 'abc'[rng.int(3)]!);
      const b = Array.from({ length: rng.int(8) }, () => 'abc'[rng.int(3)]!);
      const d = lineDiff(a.join('\n'), b.join('\n'))!;
      expect(text(d, 'old')).toBe(a.join('\n'));
      expect(text(d, 'new')).toBe(b.join('\n'));
      // [] and [''] are the same text: the empty string is one empty line.
      const aa = a.length ? a : [''];
      const bb = b.length ? b : [''];
      expect(d.filter((l) => l.kind === 'same').length).toBe(lcsLength(aa, bb));
    }
  });

  it('refuses texts too long to compare, rather than stalling the page', () => {
    const long = 'x\n'.repeat(Math.ceil(Math.sqrt(MAX_DIFF_CELLS)) + 1);
    expect(lineDiff(long, long + 'y')).toBeNull();
  });

  it('folds long unchanged stretches, keeping two lines of context around each change', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const after = [...before];
    after[10] = 'changed';
    const shown = withContext(lineDiff(before.join('\n'), after.join('\n'))!);
    expect(shown.map((l) => (l.kind === 'fold' ? `fold ${l.count}` : l.kind))).toEqual([
      'fold 8',
      'same',
      'same',
      'removed',
      'added',
      'same',
      'same',
      'fold 7',
    ]);
    expect(withContext(lineDiff('a\nb', 'a\nc')!).map((l) => l.kind)).toEqual([
      'same',
      'removed',
      'added',
    ]);
  });
});
