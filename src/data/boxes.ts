/**
 * Boxes for detection: intersection over union, non-maximum suppression, and the CenterNet-style
 * grid encoding (the cell holding a box's centre says "a digit is centred here", which digit, where
 * in the cell the centre lies and how big the box is). Pure; boxes are in pixels, x0 ≤ x < x1.
 */
import type { Box } from './scenes.ts';

export type { Box } from './scenes.ts';

export interface Detection {
  readonly box: Box;
  /** 0–9. */
  readonly label: number;
  /** In [0, 1]: how sure the detector is. */
  readonly score: number;
}

export function area(b: Box): number {
  return Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0);
}

/** The overlap of two boxes, or null when they do not overlap. */
export function intersection(a: Box, b: Box): Box | null {
  const x0 = Math.max(a.x0, b.x0);
  const y0 = Math.max(a.y0, b.y0);
  const x1 = Math.min(a.x1, b.x1);
  const y1 = Math.min(a.y1, b.y1);
  return x1 > x0 && y1 > y0 ? { x0, y0, x1, y1 } : null;
}

/** Intersection over union: |A ∩ B| / |A ∪ B|, 0 when they do not touch (or both are empty). */
export function iou(a: Box, b: Box): number {
  const i = intersection(a, b);
  if (!i) return 0;
  const inter = area(i);
  return inter / (area(a) + area(b) - inter);
}

/**
 * Greedy non-maximum suppression: keep the highest-scoring detection, drop every other of the
 * same class whose IoU with it exceeds `threshold`, repeat. Ties in score keep the earlier one.
 * With `perClass` false, boxes of different classes suppress each other too.
 */
export function nms(
  detections: readonly Detection[],
  threshold = 0.5,
  perClass = true,
): Detection[] {
  if (!(threshold >= 0 && threshold <= 1))
    throw new RangeError(`nms: threshold must be in [0, 1], got ${threshold}`);
  const order = detections
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.score - a.d.score || a.i - b.i);
  const kept: Detection[] = [];
  for (const { d } of order) {
    const clash = kept.some(
      (k) => (!perClass || k.label === d.label) && iou(k.box, d.box) > threshold,
    );
    if (!clash) kept.push(d);
  }
  return kept;
}

/** One grid cell's target or prediction (CenterNet-style, one digit per cell). */
export interface CellCode {
  /** Row and column of the cell (0-based). */
  readonly row: number;
  readonly col: number;
  /** The centre's offset inside the cell, in cells: [0, 1). */
  readonly dx: number;
  readonly dy: number;
  /** Width and height in pixels divided by the canvas size: (0, 1]. */
  readonly w: number;
  readonly h: number;
  readonly label: number;
}

/**
 * Encodes a box on a `size`-pixel canvas for a grid of `grid` × `grid` cells: the cell that
 * holds its centre, the centre's place in that cell, and its size relative to the canvas.
 */
export function encodeBox(box: Box, label: number, size: number, grid: number): CellCode {
  if (!Number.isInteger(grid) || grid < 1 || size % grid !== 0)
    throw new RangeError(`encodeBox: the grid (${grid}) must divide the canvas (${size} px)`);
  if (area(box) <= 0) throw new RangeError('encodeBox: the box is empty');
  const cell = size / grid;
  const cx = (box.x0 + box.x1) / 2 / cell;
  const cy = (box.y0 + box.y1) / 2 / cell;
  const col = Math.min(grid - 1, Math.floor(cx));
  const row = Math.min(grid - 1, Math.floor(cy));
  return {
    row,
    col,
    dx: cx - col,
    dy: cy - row,
    w: (box.x1 - box.x0) / size,
    h: (box.y1 - box.y0) / size,
    label,
  };
}

/** The inverse of encodeBox: the box a cell's code describes, in pixels. */
export function decodeBox(code: CellCode, size: number, grid: number): Box {
  const cell = size / grid;
  const cx = (code.col + code.dx) * cell;
  const cy = (code.row + code.dy) * cell;
  const w = code.w * size;
  const h = code.h * size;
  return { x0: cx - w / 2, y0: cy - h / 2, x1: cx + w / 2, y1: cy + h / 2 };
}
