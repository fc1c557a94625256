/** What one step of the pooling stepper shows: the window (the reference engine's trace) and words. */
import { avgPool2dTrace, maxPool2dTrace } from '../../cnn/index.ts';
import type { ConvGeometry, PoolWindowCell } from '../../cnn/index.ts';
import type { Grid, PoolSettings } from './state';

export function stepToCell(step: number, outWidth: number): { row: number; col: number } {
  return { row: Math.floor(step / outWidth), col: step % outWidth };
}

export interface StepView {
  readonly row: number;
  readonly col: number;
  readonly cells: readonly PoolWindowCell[];
  /** max: the first maximum (row-major); avg: null. */
  readonly winner: { row: number; col: number } | null;
  readonly value: number;
  readonly sum?: number;
  readonly count?: number;
  readonly text: string;
}

const fmt = (v: number) => {
  const r = Math.round(v * 1000) / 1000;
  return r < 0 ? `−${-r}` : String(r);
};

/** What step `step` shows: the window (from the reference engine's trace) and the sentence. */
export function describeStep(grid: Grid, s: PoolSettings, g: ConvGeometry, step: number): StepView {
  const { row, col } = stepToCell(step, g.outWidth);
  const x = { shape: [1, 1, grid.rows, grid.cols], data: grid.data };
  const attrs = { kernelShape: s.k, strides: s.s, pads: s.p };
  const at = `Output cell row ${row}, column ${col}`;
  if (s.mode === 'max') {
    const t = maxPool2dTrace(x, attrs, { n: 0, channel: 0, row, col });
    const real = t.cells.filter((c) => !c.inPadding);
    const ties = real.filter((c) => c.value === t.max).length;
    const text = `${at}: max of ${real.map((c) => fmt(c.value)).join(', ')} is ${fmt(t.max)}, taken from input row ${t.winner.row}, column ${t.winner.col}${ties > 1 ? ` (the first of ${ties} equal maxima, reading row by row)` : ''}.`;
    return { row, col, cells: t.cells, winner: t.winner, value: t.max, text };
  }
  const t = avgPool2dTrace(
    x,
    { ...attrs, countIncludePad: s.countIncludePad },
    { n: 0, channel: 0, row, col },
  );
  const real = t.cells.filter((c) => !c.inPadding);
  const padded = t.cells.length - real.length;
  const pads =
    padded === 0
      ? ''
      : s.countIncludePad
        ? ` (the ${padded} padded cells count as zeros)`
        : ` (the ${padded} padded cells are left out)`;
  const text = `${at}: (${real.map((c) => fmt(c.value)).join(' + ')}) / ${t.count} = ${fmt(t.mean)}${pads}.`;
  return {
    row,
    col,
    cells: t.cells,
    winner: null,
    value: t.mean,
    sum: t.sum,
    count: t.count,
    text,
  };
}
