/**
 * The one interaction model of every figure that steps through cells: ←/→ one cell, ↑/↓ one row
 * (in a one-row stepper, one step), Home/End the first/last cell, Space plays or pauses, and a
 * click or tap on any cell goes there. Counting is 0-based, as in the formulas.
 */

/** The keys, said once, the same way, beside every stepper. */
export const STEPPER_KEYS =
  '←/→ one cell · ↑/↓ one row · Home/End first/last · Space play/pause · click a cell to go there';

/** The same keys for a grid with a cursor but nothing to play (an inspected cell). */
export const CURSOR_KEYS =
  '←/→ one cell · ↑/↓ one row · Home/End first/last · click a cell to go there';

/** Where `key` moves from `index` in a grid of `count` cells, `cols` a row; 'toggle'; or null. */
export function navigate(
  key: string,
  index: number,
  count: number,
  cols: number = count,
): number | 'toggle' | null {
  const last = Math.max(0, count - 1);
  const clamp = (i: number) => Math.max(0, Math.min(last, i));
  const row = cols > 0 && cols < count ? cols : 1; // one row: ↑/↓ step like ←/→
  switch (key) {
    case 'ArrowRight':
      return clamp(index + 1);
    case 'ArrowLeft':
      return clamp(index - 1);
    case 'ArrowDown':
      return index + row <= last ? index + row : row === 1 ? last : index;
    case 'ArrowUp':
      return index - row >= 0 ? index - row : row === 1 ? 0 : index;
    case 'Home':
      return 0;
    case 'End':
      return last;
    case ' ':
    case 'Spacebar':
      return 'toggle';
    default:
      return null;
  }
}

/** Calls `pick(index)` when the reader clicks or taps a cell (`[data-index]`) inside `grid`. */
export function onCellPick(grid: HTMLElement, pick: (index: number) => void): void {
  grid.addEventListener('click', (e) => {
    const cell = (e.target as Element).closest<HTMLElement>('[data-index]');
    if (!cell || !grid.contains(cell)) return;
    const index = Number(cell.dataset.index);
    if (Number.isInteger(index)) pick(index);
  });
  grid.style.cursor = 'pointer';
}
