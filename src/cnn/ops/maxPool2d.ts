import { shapeToString } from '../tensor.ts';
import type { Tensor } from '../tensor.ts';
import * as pool from './pool.ts';
import type { Pool2dAttributes, PoolCell, PoolWindowCell } from './pool.ts';
import type { ConvGeometry } from '../geometry.ts';

/**
 * The flat index (into the plane starting at `plane`) of the FIRST maximum of window (i, j), in
 * row-major window order; padded cells never win. Forward, backward and the trace all call this
 * one function, so the tie rule is the same everywhere: on a blank MNIST background every cell of
 * a window ties, and the whole gradient goes to the top-left one (as TensorFlow and PyTorch do).
 */
export function maxPoolCell(
  g: ConvGeometry,
  x: Float32Array,
  plane: number,
  i: number,
  j: number,
): number {
  let best = -1;
  let max = -Infinity;
  const [row0, row1, col0, col1] = pool.windowSpan(g, i, j);
  for (let row = row0; row < row1; row++) {
    const start = plane + row * g.inWidth;
    for (let index = start + col0; index < start + col1; index++) {
      if (x[index] > max || best < 0) {
        max = x[index];
        best = index;
      }
    }
  }
  return best;
}

/**
 * For each output cell [n, c, i, j], the flat index into x.data of its window's first maximum
 * (the same numbers as ONNX MaxPool's `Indices` output with storage_order 0).
 */
export function maxPool2dArgmax(x: Tensor, attrs: Pool2dAttributes): Int32Array {
  const g = pool.poolGeometry('maxPool2d', x.shape, attrs);
  const argmax = new Int32Array(g.batch * g.inChannels * g.outHeight * g.outWidth);
  pool.forEachWindow(g, (plane, i, j, o) => {
    argmax[o] = maxPoolCell(g, x.data, plane, i, j);
  });
  return argmax;
}

/** out[n,c,i,j] = max over the window of x[n,c, i·s−pad+p, j·s−pad+q]; padding counts as −∞. */
export function maxPool2d(x: Tensor, attrs: Pool2dAttributes): Tensor {
  return maxPool2dWithArgmax(x, attrs).y;
}

export function maxPool2dWithArgmax(
  x: Tensor,
  attrs: Pool2dAttributes,
): { y: Tensor; argmax: Int32Array } {
  const g = pool.poolGeometry('maxPool2d', x.shape, attrs);
  const argmax = maxPool2dArgmax(x, attrs);
  const y = new Float32Array(argmax.length);
  for (let o = 0; o < argmax.length; o++) y[o] = x.data[argmax[o]];
  return { y: { shape: pool.pooledShape(g), data: y }, argmax };
}

/**
 * dx[argmax[o]] += dy[o]: each window's gradient goes to its first maximum only; where windows
 * overlap (stride < kernel) a cell that wins several windows collects all their gradients.
 */
export function maxPool2dBackward(
  xShape: readonly number[],
  argmax: Int32Array,
  dy: Tensor,
): Tensor {
  if (dy.data.length !== argmax.length) {
    throw new RangeError(
      `maxPool2dBackward: output gradient ${shapeToString(dy.shape)} has ${dy.data.length} values but there are ${argmax.length} windows`,
    );
  }
  const dx = new Float32Array(xShape.reduce((a, b) => a * b, 1));
  for (let o = 0; o < argmax.length; o++) dx[argmax[o]] += dy.data[o];
  return { shape: [...xShape], data: dx };
}

/** The window of output cell [n, channel, row, col]: its cells, which one won, and the max. */
export function maxPool2dTrace(
  x: Tensor,
  attrs: Pool2dAttributes,
  cell: PoolCell,
): { cells: readonly PoolWindowCell[]; winner: { row: number; col: number }; max: number } {
  const { g, plane, i, j } = pool.traceWindow('maxPool2dTrace', x, attrs, cell);
  const best = maxPoolCell(g, x.data, plane, i, j);
  return {
    cells: pool.windowCells(g, x.data, plane, i, j),
    winner: { row: Math.floor((best - plane) / g.inWidth), col: (best - plane) % g.inWidth },
    max: x.data[best],
  };
}
