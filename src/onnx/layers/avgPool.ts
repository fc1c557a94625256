/**
 * avgPool2d: forward (ONNX AveragePool) and backward, side by side.
 *
 * Average-pool backward spreads dy / count over each window: a depthwise ConvTranspose with a
 * kernel of ones, after dividing by the per-window count (which varies at the borders when
 * count_include_pad is 0).
 */
import type { AvgPool2dSpec, ConvGeometry } from '../../cnn/index.ts';
import { importPool, layerPoolGeometry, poolAttrs } from './pool-common.ts';
import type { PoolOptions } from './pool-common.ts';
import { staticBatch, withBatch } from './types.ts';
import type { EmittedLayer, LayerInput, OnnxLayerRecord } from './types.ts';

export interface AvgPoolOptions extends PoolOptions {
  readonly countIncludePad?: boolean;
}

export function emitAvgPool2d({ b, x, batch, shape }: LayerInput, o: AvgPoolOptions): EmittedLayer {
  const g = layerPoolGeometry('avgPool2d', shape, o);
  const outShape = [shape[0]!, g.outHeight, g.outWidth];
  const includePad = o.countIncludePad === true;
  const y = b.averagePool(
    x,
    { ...poolAttrs(g), countIncludePad: includePad },
    withBatch(batch, outShape),
  );
  return {
    y,
    shape: outShape,
    backward(dy, needDx) {
      if (!needDx) return { dx: null, grads: {} };
      const n = staticBatch(batch, 'avgPool2d');
      const channels = shape[0]!;
      const counts = windowCounts(g, includePad);
      const uniform = counts.every((v) => v === counts[0]);
      const scaled = uniform
        ? b.mul(dy, b.scalar(1 / counts[0]!))
        : b.mul(
            dy,
            b.constant(
              Array.from(counts, (v) => 1 / v),
              [g.outHeight, g.outWidth],
            ),
          );
      const ones = b.constant(
        new Array<number>(channels * g.kernelHeight * g.kernelWidth).fill(1),
        [channels, 1, g.kernelHeight, g.kernelWidth],
      );
      const remH = (g.inHeight + g.pads[0] + g.pads[2] - g.kernelHeight) % g.strideHeight;
      const remW = (g.inWidth + g.pads[1] + g.pads[3] - g.kernelWidth) % g.strideWidth;
      const dx = b.convTranspose(
        scaled,
        ones,
        null,
        {
          ...poolAttrs(g),
          group: channels,
          outputPadding: remH === 0 && remW === 0 ? undefined : [remH, remW],
        },
        [n, ...shape],
      );
      return { dx, grads: {} };
    },
  };
}

/** Number of cells each output averages: the full window, or only its unpadded part. */
export function windowCounts(g: ConvGeometry, includePad: boolean): number[] {
  const counts: number[] = [];
  const span = (o: number, s: number, pad: number, k: number, size: number) => {
    const start = o * s - pad;
    return Math.min(start + k, size) - Math.max(start, 0);
  };
  for (let i = 0; i < g.outHeight; i++) {
    for (let j = 0; j < g.outWidth; j++) {
      counts.push(
        includePad
          ? g.kernelHeight * g.kernelWidth
          : span(i, g.strideHeight, g.pads[0], g.kernelHeight, g.inHeight) *
              span(j, g.strideWidth, g.pads[1], g.kernelWidth, g.inWidth),
      );
    }
  }
  return counts;
}

export const avgPool2dOnnx: OnnxLayerRecord<AvgPool2dSpec> = {
  ops: { forward: ['AveragePool'], backward: ['Mul', 'ConvTranspose', 'Slice'] },
  emit: (input, layer) => emitAvgPool2d(input, layer),
  importers: { AveragePool: importPool },
};
