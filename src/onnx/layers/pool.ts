/**
 * maxPool2d: forward (ONNX MaxPool) and backward, side by side.
 *
 * Max-pool backward routes each window's gradient to the window's FIRST maximum in row-major
 * order (as the reference engine, TensorFlow and PyTorch do), never to every tied cell: ties are
 * common on MNIST, where blank background gives windows of equal zeros.
 *  - 'slices' (tiling windows): one strided Slice per window cell, Max of them for the forward
 *    pass, and a Where chain + ScatterElements for the backward (see firstMaxSlices).
 *  - 'indices': MaxPool's second output `Indices` (ORT keeps the first maximum: it replaces the
 *    running maximum only on a strictly greater value) and ScatterElements with reduction 'add'
 *    (overlapping windows may pick the same cell). Measured at batch 64 on wasm (conv 1 of the
 *    tutorial net, [64, 8, 24, 24]): MaxPool+Indices 1.8 ms + scatter 0.5 ms.
 *  - variant 'argmax' (tiling windows only: kernel = stride, no padding) uses only ArgMax and
 *    elementwise ops on a [N, C, outH, kh, outW, kw] view, no Transpose: ArgMax over kw gives each
 *    window row's first maximum column; ReduceMax over kw then ArgMax over kh gives the first row
 *    holding the window maximum; a Where puts dy at (that row, that row's first-max column).
 *    Correct, but ORT's CPU broadcasting over the size-2 inner axes made it 23 ms on the same
 *    input, so it is kept only for execution providers where it may pay off.
 */
import type { ConvGeometry, MaxPool2dSpec } from '../../cnn/index.ts';
import type { GraphBuilder, Value } from '../builder.ts';
import { importPool, layerPoolGeometry, poolAttrs } from './pool-common.ts';
import type { PoolOptions } from './pool-common.ts';
import { staticBatch, withBatch } from './types.ts';
import type { EmittedLayer, GradientViews, LayerInput, OnnxLayerRecord } from './types.ts';

export type { PoolOptions } from './pool-common.ts';

/** Kernel = stride and no padding: each input cell is in at most one window. */
export function isTiling(g: ConvGeometry): boolean {
  return (
    g.kernelHeight === g.strideHeight &&
    g.kernelWidth === g.strideWidth &&
    g.pads.every((p) => p === 0)
  );
}

export function emitMaxPool2d(input: LayerInput, o: PoolOptions): EmittedLayer {
  const { b, x, batch, shape } = input;
  const g = layerPoolGeometry('maxPool2d', shape, o);
  const outShape = [shape[0]!, g.outHeight, g.outWidth];
  const choice = input.formulations.maxPoolGrad;
  const tiling = isTiling(g) && choice !== 'indices';
  let y: Value;
  let indices: Value | null = null;
  let taps: Value[] = [];
  if (input.training === true && tiling && choice === 'slices') {
    // One strided Slice per window cell: the pooled maximum is their elementwise Max, and the
    // backward pass compares them with it.
    taps = windowTaps(b, x, g);
    y = maxTree(b, taps, withBatch(batch, outShape));
  } else if (input.training === true && !tiling) {
    [y, indices] = b.node(
      'MaxPool',
      [x],
      attrsOf(g),
      2,
      ['float32', 'int64'],
      [withBatch(batch, outShape)],
    ) as [Value, Value];
  } else {
    y = b.maxPool(x, poolAttrs(g), withBatch(batch, outShape));
  }
  return {
    y,
    shape: outShape,
    backward(dy, needDx) {
      if (!needDx) return { dx: null, grads: {} };
      const n = staticBatch(batch, 'maxPool2d');
      const full = [n, ...shape];
      if (tiling && choice === 'slices')
        return { ...firstMaxSlices(b, taps, y, dy, full, g), grads: {} };
      if (tiling && choice === 'argmax')
        return { dx: firstMaxTiling(b, x, dy, full, g), grads: {} };
      if (tiling) return { dx: firstMaxMaskTiling(b, x, y, dy, full, g), grads: {} };
      const idx = indices ?? b.node('MaxPool', [x], attrsOf(g), 2, ['float32', 'int64'])[1]!;
      const size = full.reduce((a, d) => a * d, 1);
      const zeros = b.op('ConstantOfShape', [b.int64s([size])], {}, 'float32', [size]);
      const scattered = b.op(
        'ScatterElements',
        [zeros, b.reshape(idx, [-1]), b.reshape(dy, [-1])],
        { axis: 0, reduction: 'add' },
        'float32',
        [size],
      );
      return { dx: b.reshape(scattered, full), grads: {} };
    },
  };
}

function attrsOf(g: ConvGeometry) {
  return {
    kernel_shape: [g.kernelHeight, g.kernelWidth],
    strides: [g.strideHeight, g.strideWidth],
    pads: [...g.pads],
  };
}

/**
 * A tiling pool's input seen as its windows: x as [N, C, outH, kh, outW, kw] (rows and columns
 * past the last window cropped off), and `unview`, which lays a gradient of that shape back out
 * as [N, C, H, W] with zeros where the crop was. No Transpose is needed either way.
 */
interface WindowView {
  readonly x6: Value;
  /** [N, C, outH, kh, outW, kw]. */
  readonly shape: readonly number[];
  /** [N, C, outH, 1, outW, 1]: one value per window, broadcast over x6. */
  readonly perWindow: readonly number[];
  unview(dx6: Value): Value;
}

function windowView(
  b: GraphBuilder,
  x: Value,
  full: readonly number[],
  g: ConvGeometry,
): WindowView {
  const [n, c, h, w] = full as [number, number, number, number];
  const { kernelHeight: kh, kernelWidth: kw, outHeight: oh, outWidth: ow } = g;
  const hc = oh * kh;
  const wc = ow * kw;
  const cropped = hc !== h || wc !== w;
  const xc = cropped ? b.slice(x, [0, 0], [hc, wc], [2, 3]) : x;
  return {
    x6: b.reshape(xc, [n, c, oh, kh, ow, kw]),
    shape: [n, c, oh, kh, ow, kw],
    perWindow: [n, c, oh, 1, ow, 1],
    unview(dx6) {
      const dx = b.reshape(dx6, [n, c, hc, wc]);
      return cropped ? b.pad(dx, [0, 0, 0, 0, 0, 0, h - hc, w - wc]) : dx;
    },
  };
}

/** dx of a tiling max pool, first maximum of each window (see the file comment). */
export function firstMaxTiling(
  b: GraphBuilder,
  x: Value,
  dy: Value,
  full: readonly number[],
  g: ConvGeometry,
): Value {
  const { kernelHeight: kh, kernelWidth: kw } = g;
  const { x6, shape, perWindow, unview } = windowView(b, x, full, g);
  const colIdx = b.argMax(x6, 5, true); // [n, c, oh, kh, ow, 1]
  const colMask = b.equal(colIdx, b.constant(range(kw), [kw], 'int64')); // [n, c, oh, kh, ow, kw]
  let mask = colMask;
  if (kh > 1) {
    const rowMax = b.reduce('ReduceMax', x6, [5], true); // [n, c, oh, kh, ow, 1]
    const rowIdx = b.argMax(rowMax, 3, true); // [n, c, oh, 1, ow, 1]
    const rowMask = b.equal(rowIdx, b.constant(range(kh), [kh, 1, 1], 'int64')); // [.., kh, ow?, 1]
    mask = b.and(colMask, rowMask);
  }
  return unview(b.where(mask, b.reshape(dy, perWindow), b.scalar(0), shape));
}

/** Elementwise maximum as a tree of two-input Max nodes (every EP implements binary Max). */
function maxTree(
  b: GraphBuilder,
  values: readonly Value[],
  shape: readonly (number | string)[],
): Value {
  let level = [...values];
  while (level.length > 1) {
    const next: Value[] = [];
    for (let k = 0; k + 1 < level.length; k += 2) {
      next.push(b.op('Max', [level[k]!, level[k + 1]!], {}, undefined, shape));
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** Window cell (i, j) of every window, [N, C, outH, outW], in row-major cell order. */
function windowTaps(b: GraphBuilder, x: Value, g: ConvGeometry): Value[] {
  const taps: Value[] = [];
  for (let i = 0; i < g.kernelHeight; i++) {
    for (let j = 0; j < g.kernelWidth; j++) {
      taps.push(
        b.slice(
          x,
          [i, j],
          [i + (g.outHeight - 1) * g.kernelHeight + 1, j + (g.outWidth - 1) * g.kernelWidth + 1],
          [2, 3],
          [g.kernelHeight, g.kernelWidth],
        ),
      );
    }
  }
  return taps;
}

/**
 * dx of a tiling max pool from the window cells (windowTaps) and the pooled maximum: a Where
 * chain over the cells, last to first, picks the first cell equal to the maximum (its offset
 * i·W + j in the window), plus the window's start gives its place in the H·W plane, and
 * ScatterElements along the flattened planes [N·C, H·W] puts dy there.
 */
export function firstMaxSlices(
  b: GraphBuilder,
  taps: readonly Value[],
  pooled: Value,
  dy: Value,
  full: readonly number[],
  g: ConvGeometry,
): { dx: Value; views: GradientViews } {
  const [n, c, h, w] = full as [number, number, number, number];
  const kh = g.kernelHeight;
  const kw = g.kernelWidth;
  const oh = g.outHeight;
  const ow = g.outWidth;
  const planes = n * c;
  const offset = (t: number) => b.constant([Math.floor(t / kw) * w + (t % kw)], [], 'int64');
  let pick: Value = offset(taps.length - 1);
  for (let t = taps.length - 2; t >= 0; t--) {
    pick = b.where(b.equal(taps[t]!, pooled), offset(t), pick);
  }
  // Where each window starts in its H·W plane.
  const windowStart: number[] = [];
  for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) windowStart.push(i * kh * w + j * kw);
  const starts = b.constant(windowStart, [oh * ow], 'int64');
  // Scatters dy into zero planes laid out [a, b, H, W] ([N, C, …] or, transposed, [C, N, …]).
  // Rows and columns past the last window simply stay zero (no Pad: ORT's Pad+Conv fusion
  // mishandles a Pad that feeds a Conv's weight input, as the channel-major view does).
  const scatter = (picks: Value, grads: Value, a: number, bb: number): Value => {
    const index = b.add(b.reshape(picks, [planes, oh * ow]), starts);
    const zeros = b.op('ConstantOfShape', [b.int64s([planes, h * w])], {}, 'float32', [
      planes,
      h * w,
    ]);
    const scattered = b.op(
      'ScatterElements',
      [zeros, index, b.reshape(grads, [planes, oh * ow])],
      { axis: 1 },
      'float32',
      [planes, h * w],
    );
    return b.reshape(scattered, [a, bb, h, w]);
  };
  return {
    dx: scatter(pick, dy, n, c),
    views: {
      // The scatter only moves values: dx sums to what dy sums to.
      channelSums: () => b.reduce('ReduceSum', dy, [0, 2, 3], false, [c]),
      // Transposing the pooled-size values is cheaper than transposing dx.
      channelMajor: () =>
        scatter(b.transpose(pick, [1, 0, 2, 3]), b.transpose(dy, [1, 0, 2, 3]), c, n),
    },
  };
}

/**
 * dx of a tiling max pool with float ops only: a cell gets dy when it equals the window maximum
 * and no earlier cell (row-major) does. Earlier tied cells = exclusive CumSum along kw within the
 * row + exclusive CumSum along kh of the rows' tie counts.
 */
export function firstMaxMaskTiling(
  b: GraphBuilder,
  x: Value,
  pooled: Value,
  dy: Value,
  full: readonly number[],
  g: ConvGeometry,
): Value {
  const { x6, perWindow, unview } = windowView(b, x, full, g);
  const ties = b.cast(b.equal(x6, b.reshape(pooled, perWindow)), 'float32');
  const cumsum = (v: Value, axis: number) =>
    b.op('CumSum', [v, b.constant([axis], [], 'int64')], { exclusive: 1 });
  const rowTies = b.reduce('ReduceSum', ties, [5], true);
  const before = b.add(cumsum(ties, 5), cumsum(rowTies, 3));
  const first = b.where(b.equal(before, b.scalar(0)), ties, b.scalar(0));
  return unview(b.mul(first, b.reshape(dy, perWindow)));
}

function range(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i);
}

export const maxPool2dOnnx: OnnxLayerRecord<MaxPool2dSpec> = {
  ops: {
    forward: ['MaxPool'],
    backward: ['Slice', 'Max', 'Where', 'Equal', 'Add', 'ScatterElements', 'Reshape', 'Transpose'],
  },
  emit: (input, layer) => emitMaxPool2d(input, layer),
  importers: { MaxPool: importPool },
};
