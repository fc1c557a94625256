/**
 * Feature maps on canvases (a heatmap is one element per cell: the lab's larger nets have tens of
 * thousands of cells), each layer on one colour scale so its maps compare: ink for values that
 * cannot be negative (scaled to the layer's largest), the diverging map for signed ones.
 */
import { divergingRgb, inkRgb, maxAbs } from '../../shared/palette';
import type { Stage } from '../layout';

export type Colour = (v: number) => readonly [number, number, number];

/** The colour scale of one stage's values (all its maps together). */
export function stageColour(stage: Stage, values: ArrayLike<number>, raw = false): Colour {
  const m = maxAbs(values);
  if (stage.kind === 'maps' && !stage.signed)
    return raw ? inkRgb : (v) => inkRgb(m > 0 ? v / m : 0);
  return (v) => divergingRgb(v, m);
}

/**
 * Paints `count` values from `offset` as a rows × cols image, each cell `zoom` canvas pixels
 * (the canvas is resized to fit).
 */
export function paintGrid(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  offset: number,
  rows: number,
  cols: number,
  colour: Colour,
  zoom = 1,
): void {
  if (canvas.width !== cols * zoom) canvas.width = cols * zoom;
  if (canvas.height !== rows * zoom) canvas.height = rows * zoom;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(cols * zoom, rows * zoom);
  for (let y = 0; y < rows * zoom; y++)
    for (let x = 0; x < cols * zoom; x++) {
      const v = values[offset + Math.floor(y / zoom) * cols + Math.floor(x / zoom)] ?? 0;
      img.data.set([...colour(v), 255], (y * cols * zoom + x) * 4);
    }
  ctx.putImageData(img, 0, 0);
}

/** Outlines cells (flat indices of a `cols`-wide grid drawn at `zoom`) on a painted canvas. */
export function outlineCells(
  canvas: HTMLCanvasElement,
  cells: readonly number[],
  cols: number,
  zoom: number,
  colour: string,
  width = 2,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx || !cells.length) return;
  const rows = cells.map((c) => Math.floor(c / cols));
  const colsOf = cells.map((c) => c % cols);
  const x0 = Math.min(...colsOf) * zoom;
  const y0 = Math.min(...rows) * zoom;
  const x1 = (Math.max(...colsOf) + 1) * zoom;
  const y1 = (Math.max(...rows) + 1) * zoom;
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.strokeRect(x0 + width / 2, y0 + width / 2, x1 - x0 - width, y1 - y0 - width);
}

/** Which cell of a rows × cols canvas a pointer event is on (0-based, row by row). */
export function cellAt(e: MouseEvent, canvas: HTMLElement, rows: number, cols: number): number {
  const rect = canvas.getBoundingClientRect();
  const col = Math.min(
    cols - 1,
    Math.max(0, Math.floor(((e.clientX - rect.left) / rect.width) * cols)),
  );
  const row = Math.min(
    rows - 1,
    Math.max(0, Math.floor(((e.clientY - rect.top) / rect.height) * rows)),
  );
  return row * cols + col;
}

/** How many canvas pixels a cell gets so a map of `side` cells is about `target` pixels wide. */
export const zoomFor = (side: number, target: number) => Math.max(1, Math.floor(target / side));
