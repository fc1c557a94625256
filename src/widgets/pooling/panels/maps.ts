/**
 * pooling's six grids: the input (with its padding ring) and the pooled output, and the 1-px
 * shift demo. Built again only when a shape changes; drawn when the result changes; the step's
 * window, winner and current cell are highlighted on every step.
 */
import { Heatmap } from '../../shared/heatmap';
import { paddedIndex, ringIndices, withRing } from '../../shared/padding';
import { maxAbs } from '../../shared/palette';
import type { PoolResult, PoolState } from '../state';
import type { StepView } from '../step';

const map = (rows: number, cols: number, label: string, cell: string, decimals?: number) =>
  new Heatmap({ rows, cols, scale: { kind: 'diverging', maxAbs: 1 }, decimals, cell, label });

/** A cell of `size`, or less where `perRow` cells (and their 1 px gaps) must fit the screen. */
const fit = (size: string, perRow: number) =>
  `min(${size}, calc((100vw - 6.5rem) / ${perRow} - 1px))`;

export class PoolMaps {
  private shape = '';
  private input!: Heatmap;
  private output!: Heatmap;
  private shiftA!: Heatmap;
  private shiftB!: Heatmap;
  private pooledA!: Heatmap;
  private pooledB!: Heatmap;
  private pad = 0;
  private cols = 0;

  constructor(private readonly $: (selector: string) => HTMLElement) {}

  /** The input cell (r, c) in the drawn input, which has `p` cells of padding around it. */
  displayIndex(r: number, c: number): number {
    return paddedIndex(r, c, this.cols, this.pad);
  }

  private build(s: PoolState): void {
    const { grid, g } = s;
    const p = s.settings.p;
    const key = `${grid.rows}x${grid.cols}/${g.outHeight}x${g.outWidth}/${p}`;
    if (key === this.shape) return;
    this.shape = key;
    this.pad = p;
    this.cols = grid.cols;
    const ring = p ? `, with ${p} cell${p > 1 ? 's' : ''} of padding drawn around it` : '';
    this.input = map(
      grid.rows + 2 * p,
      grid.cols + 2 * p,
      `Input grid, ${grid.rows} by ${grid.cols}${ring}`,
      fit('2.2rem', grid.cols + 2 * p),
      2,
    );
    this.output = map(
      g.outHeight,
      g.outWidth,
      `Pooled output, ${g.outHeight} by ${g.outWidth}`,
      fit('2.2rem', g.outWidth),
      2,
    );
    // On a narrow screen the shift demo goes two grids a row: the inputs, then their pooled maps.
    const half = fit('1.5rem', 2 * grid.cols + 1);
    this.shiftA = map(grid.rows, grid.cols, 'The input', half);
    this.shiftB = map(
      grid.rows,
      grid.cols,
      'The input shifted 1 px right; changed cells outlined',
      half,
    );
    const pooledHalf = fit('2rem', 2 * g.outWidth + 1);
    this.pooledA = map(g.outHeight, g.outWidth, 'Pooled input', pooledHalf, 2);
    this.pooledB = map(
      g.outHeight,
      g.outWidth,
      'Pooled shifted input; changed cells outlined',
      pooledHalf,
      2,
    );
    this.$('[data-grid="input"]').replaceChildren(this.input.el);
    this.$('[data-grid="output"]').replaceChildren(this.output.el);
    this.$('[data-grid="shift-a"]').replaceChildren(this.shiftA.el);
    this.$('[data-grid="shift-b"]').replaceChildren(this.shiftB.el);
    this.$('[data-grid="pooled-a"]').replaceChildren(this.pooledA.el);
    this.$('[data-grid="pooled-b"]').replaceChildren(this.pooledB.el);
  }

  draw(s: PoolState, r: PoolResult): void {
    this.build(s);
    const { grid } = s;
    const scale = { kind: 'diverging' as const, maxAbs: Math.max(maxAbs(grid.data), 1e-6) };
    const p = this.pad;
    this.input.update(withRing(grid.data, grid.rows, grid.cols, p), scale);
    const pads = ringIndices(grid.rows, grid.cols, p);
    for (const i of pads) {
      const cell = this.input.cell(i)!;
      cell.textContent = '';
      cell.style.background = 'var(--bg-raised)';
      cell.title = 'padding';
    }
    this.input.highlight('is-padding', pads);
    this.output.update(r.output.data, scale);
    this.shiftA.update(grid.data, scale);
    this.shiftB.update(r.shifted.data, scale);
    this.shiftB.highlight('is-changed', r.inChanged);
    this.pooledA.update(r.output.data, scale);
    this.pooledB.update(r.pooledShifted.data, scale);
    this.pooledB.highlight('is-changed', r.outChanged);
  }

  highlight(step: number, v: StepView): void {
    this.input.highlight(
      'is-window',
      v.cells.map((c) => this.displayIndex(c.row, c.col)),
    );
    this.input.highlight(
      'is-winner',
      v.winner ? [this.displayIndex(v.winner.row, v.winner.col)] : [],
    );
    this.output.highlight('is-current', [step]);
  }
}
