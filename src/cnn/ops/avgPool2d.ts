import type { ConvGeometry } from '../geometry.ts';
import type { Tensor } from '../tensor.ts';
import { checkGradShape } from '../check.ts';
import * as pool from './pool.ts';
import type { Pool2dAttributes, PoolCell, PoolWindowCell } from './pool.ts';

export interface AvgPool2dAttributes extends Pool2dAttributes {
  /** ONNX count_include_pad: divide by kh·kw (true) or by the real cells in the window (false, default). */
  readonly countIncludePad?: boolean;
}

/**
 * Sum and divisor of window (i, j) in the plane starting at `plane`; the one per-cell function
 * used by forward, backward and the trace.
 */
export function avgPoolCell(
  g: ConvGeometry,
  x: Float32Array | null,
  plane: number,
  i: number,
  j: number,
  countIncludePad: boolean,
): { sum: number; count: number } {
  const [row0, row1, col0, col1] = pool.windowSpan(g, i, j);
  let sum = 0;
  if (x) {
    for (let row = row0; row < row1; row++) {
      const start = plane + row * g.inWidth;
      for (let index = start + col0; index < start + col1; index++) sum += x[index];
    }
  }
  const count = countIncludePad ? g.kernelHeight * g.kernelWidth : (row1 - row0) * (col1 - col0);
  return { sum, count };
}

/** out[n,c,i,j] = (Σ over the window's real cells of x) / divisor; padded cells add 0. */
export function avgPool2d(x: Tensor, attrs: AvgPool2dAttributes): Tensor {
  const g = pool.poolGeometry('avgPool2d', x.shape, attrs);
  const shape = pool.pooledShape(g);
  const y = new Float32Array(shape.reduce((a, d) => a * d, 1));
  pool.forEachWindow(g, (plane, i, j, o) => {
    const { sum, count } = avgPoolCell(g, x.data, plane, i, j, attrs.countIncludePad ?? false);
    y[o] = sum / count;
  });
  return { shape, data: y };
}

/** dx[n,c,row,col] += dy[n,c,i,j] / divisor for every real cell of window (i, j). */
export function avgPool2dBackward(
  xShape: readonly number[],
  dy: Tensor,
  attrs: AvgPool2dAttributes,
): Tensor {
  const g = pool.poolGeometry('avgPool2dBackward', xShape, attrs);
  checkGradShape('avgPool2dBackward', dy, pool.pooledShape(g));
  const dx = new Float32Array(g.batch * g.inChannels * g.inHeight * g.inWidth);
  pool.forEachWindow(g, (plane, i, j, o) => {
    const { count } = avgPoolCell(g, null, plane, i, j, attrs.countIncludePad ?? false);
    const share = dy.data[o] / count;
    const [row0, row1, col0, col1] = pool.windowSpan(g, i, j);
    for (let row = row0; row < row1; row++) {
      const start = plane + row * g.inWidth;
      for (let index = start + col0; index < start + col1; index++) dx[index] += share;
    }
  });
  return { shape: [...xShape], data: dx };
}

/** The window of output cell [n, channel, row, col], its sum, divisor and mean. */
export function avgPool2dTrace(
  x: Tensor,
  attrs: AvgPool2dAttributes,
  cell: PoolCell,
): { cells: readonly PoolWindowCell[]; sum: number; count: number; mean: number } {
  const { g, plane, i, j } = pool.traceWindow('avgPool2dTrace', x, attrs, cell);
  const { sum, count } = avgPoolCell(g, x.data, plane, i, j, attrs.countIncludePad ?? false);
  return {
    cells: pool.windowCells(g, x.data, plane, i, j),
    sum,
    count,
    mean: Math.fround(sum / count),
  };
}
