/**
 * The reader's edit against the cell's original, line by line: the longest common subsequence of
 * the two texts' lines, then every original line kept, removed or with added lines beside it, in
 * order. Pure (unit-tested); `view.ts` loads it only when the reader opens "Your changes".
 */

export type DiffLine =
  | { readonly kind: 'same'; readonly text: string; readonly old: number; readonly new: number }
  | { readonly kind: 'removed'; readonly text: string; readonly old: number }
  | { readonly kind: 'added'; readonly text: string; readonly new: number };

/** Beyond this many lines × lines the table would be large; such edits are not compared. */
export const MAX_DIFF_CELLS = 4_000_000;

/**
 * The lines of `after` against `before`; line numbers count from 1 as in the editor. Returns
 * null when the texts are too long to compare (more than MAX_DIFF_CELLS line pairs).
 */
export function lineDiff(before: string, after: string): DiffLine[] | null {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_DIFF_CELLS) return null;
  // lcs[i * (m + 1) + j]: the longest common subsequence of a[i…] and b[j…].
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * (m + 1) + j + 1]! + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]!, old: i + 1, new: j + 1 });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!)) {
      // Removed before added, as diffs are read: the old line, then what replaced it.
      out.push({ kind: 'removed', text: a[i]!, old: i + 1 });
      i++;
    } else {
      out.push({ kind: 'added', text: b[j]!, new: j + 1 });
      j++;
    }
  }
  return out;
}

/** A run of unchanged lines folded away, between the changes' context lines. */
export interface Fold {
  readonly kind: 'fold';
  readonly count: number;
}

/**
 * The diff as it is shown: every change with `context` unchanged lines on each side; longer
 * unchanged stretches are folded into one "n unchanged lines" row.
 */
export function withContext(lines: readonly DiffLine[], context = 2): (DiffLine | Fold)[] {
  const near = lines.map(() => false);
  lines.forEach((l, k) => {
    if (l.kind === 'same') return;
    for (let d = Math.max(0, k - context); d <= Math.min(lines.length - 1, k + context); d++)
      near[d] = true;
  });
  const out: (DiffLine | Fold)[] = [];
  let folded = 0;
  lines.forEach((l, k) => {
    if (!near[k]) return void (folded += 1);
    if (folded) out.push({ kind: 'fold', count: folded });
    folded = 0;
    out.push(l);
  });
  if (folded) out.push({ kind: 'fold', count: folded });
  return out;
}

/** "2 lines changed: 1 added, 1 removed" — the summary beside the diff. */
export function diffSummary(lines: readonly DiffLine[]): string {
  const added = lines.filter((l) => l.kind === 'added').length;
  const removed = lines.filter((l) => l.kind === 'removed').length;
  if (!added && !removed) return 'no changes';
  const plural = (k: number, word: string) => `${k} line${k === 1 ? '' : 's'} ${word}`;
  return [added && plural(added, 'added'), removed && plural(removed, 'removed')]
    .filter(Boolean)
    .join(', ');
}

/**
 * Draws the diff into `into` (from withContext): one row per line or fold, its sign (+, −, or blank), the line numbers of
 * the original and of the edit, and the text. Removed lines are `<del>`, added ones `<ins>`, so
 * the change is in the markup, not only in colour.
 */
export function renderDiff(lines: readonly (DiffLine | Fold)[], into: HTMLElement): void {
  const rows = lines.map((l) => {
    const row = document.createElement('span');
    if (l.kind === 'fold') {
      row.className = 'cell-diff-line is-fold';
      row.dataset.diff = 'fold';
      row.textContent = `  ⋯ ${l.count} unchanged line${l.count === 1 ? '' : 's'}\n`;
      return row;
    }
    row.className = `cell-diff-line is-${l.kind}`;
    row.dataset.diff = l.kind;
    const sign = l.kind === 'added' ? '+' : l.kind === 'removed' ? '−' : ' ';
    const oldNo = l.kind === 'added' ? '' : String(l.old);
    const newNo = l.kind === 'removed' ? '' : String(l.new);
    const gutter = `${sign} ${oldNo.padStart(3)} ${newNo.padStart(3)}  `;
    const text = document.createElement(
      l.kind === 'added' ? 'ins' : l.kind === 'removed' ? 'del' : 'span',
    );
    text.textContent = l.text;
    row.append(gutter, text, '\n');
    return row;
  });
  into.replaceChildren(...rows);
}
