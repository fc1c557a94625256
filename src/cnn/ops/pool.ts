import { checkRank, toPair } from '../check.ts';
import type { PairLike } from '../check.ts';
import { CnnError } from '../errors.ts';
import { convGeometry } from '../geometry.ts';
import type { ConvGeometry, PaddingLike } from '../geometry.ts';
import type { Tensor } from '../tensor.ts';
import { checkCell } from './conv2dTrace.ts';

/** ONNX MaxPool / AveragePool attributes (no ceil_mode, no dilations). */
export interface Pool2dAttributes {
  readonly kernelShape: PairLike;
  /** Default: kernelShape (non-overlapping windows), as in the network spec. */
  readonly strides?: PairLike;
  readonly pads?: PaddingLike;
}

/**
 * Geometry of a pooling window. Padding must be smaller than the window so that every window
 * holds at least one real cell (ONNX and PyTorch require the same).
 */
export function poolGeometry(
  op: string,
  xShape: readonly number[],
  attrs: Pool2dAttributes,
): ConvGeometry {
  checkRank(op, 'input', { shape: xShape, data: new Float32Array(0) }, 4, 'N, C, H, W');
  const g = convGeometry({
    op,
    inputShape: xShape,
    kernelShape: attrs.kernelShape,
    strides: attrs.strides ?? attrs.kernelShape,
    pads: attrs.pads ?? 'valid',
  });
  const [top, left, bottom, right] = g.pads;
  const [kh, kw] = toPair(op, 'kernelShape', attrs.kernelShape);
  if (Math.max(top, bottom) >= kh || Math.max(left, right) >= kw) {
    throw new CnnError(
      `${op}: padding must be smaller than the ${kh}×${kw} window, got pads [${g.pads.join(', ')}]`,
      { op, argument: 'pads', value: attrs.pads },
    );
  }
  return g;
}

/** Window row for output row i and window offset p: i·stride − padTop + p. */
export function windowRow(g: ConvGeometry, i: number, p: number): number {
  return i * g.strideHeight - g.pads[0] + p;
}
export function windowCol(g: ConvGeometry, j: number, q: number): number {
  return j * g.strideWidth - g.pads[1] + q;
}

/**
 * The real cells of window (i, j), padding left out: input rows row0 ≤ row < row1 and columns
 * col0 ≤ col < col1. Both pooling ops' forward, backward and per-cell functions walk these row by
 * row (the window's own order), so their sums add in one order.
 */
export function windowSpan(
  g: ConvGeometry,
  i: number,
  j: number,
): [row0: number, row1: number, col0: number, col1: number] {
  const top = windowRow(g, i, 0);
  const left = windowCol(g, j, 0);
  return [
    Math.max(0, top),
    Math.min(g.inHeight, top + g.kernelHeight),
    Math.max(0, left),
    Math.min(g.inWidth, left + g.kernelWidth),
  ];
}

/** The pooled shape [N, C, outH, outW]. */
export function pooledShape(g: ConvGeometry): number[] {
  return [g.batch, g.inChannels, g.outHeight, g.outWidth];
}

/**
 * Visits every window in output order: `o` counts the cells of the [N, C, outH, outW] output,
 * `plane` is where the window's [n, c] input plane starts in x, (i, j) is its output cell.
 */
export function forEachWindow(
  g: ConvGeometry,
  visit: (plane: number, i: number, j: number, o: number) => void,
): void {
  let o = 0;
  for (let nc = 0; nc < g.batch * g.inChannels; nc++) {
    const plane = nc * g.inHeight * g.inWidth;
    for (let i = 0; i < g.outHeight; i++) {
      for (let j = 0; j < g.outWidth; j++) visit(plane, i, j, o++);
    }
  }
}

export interface PoolWindowCell {
  readonly row: number;
  readonly col: number;
  readonly inPadding: boolean;
  readonly value: number; // x, or NaN in the padding (it takes no part)
}

/** The cells of window (i, j) in row-major order, padding included (for the traces). */
export function windowCells(
  g: ConvGeometry,
  x: Float32Array,
  plane: number,
  i: number,
  j: number,
): PoolWindowCell[] {
  const cells: PoolWindowCell[] = [];
  for (let p = 0; p < g.kernelHeight; p++) {
    for (let q = 0; q < g.kernelWidth; q++) {
      const row = windowRow(g, i, p);
      const col = windowCol(g, j, q);
      const inPadding = row < 0 || row >= g.inHeight || col < 0 || col >= g.inWidth;
      cells.push({
        row,
        col,
        inPadding,
        value: inPadding ? NaN : x[plane + row * g.inWidth + col],
      });
    }
  }
  return cells;
}

/** One output cell [n, channel, row, col] of a pooling op, as the traces take it. */
export interface PoolCell {
  readonly n: number;
  readonly channel: number;
  readonly row: number;
  readonly col: number;
}

/** What a trace of `cell` needs: the geometry, the cell checked, its plane's start in x. */
export function traceWindow(
  op: string,
  x: Tensor,
  attrs: Pool2dAttributes,
  cell: PoolCell,
): { g: ConvGeometry; plane: number; i: number; j: number } {
  const g = poolGeometry(op, x.shape, attrs);
  const { n, channel, row: i, col: j } = cell;
  checkCell(op, [n, channel, i, j], pooledShape(g));
  return { g, plane: (n * g.inChannels + channel) * g.inHeight * g.inWidth, i, j };
}
