/**
 * The pooling graph: the input and its 1-px shift, each through MaxPool or AveragePool.
 *   x, xs [1, 1, H, W]  →  y, ys [1, 1, H', W']
 */
import type { ConvGeometry } from '../../cnn/index.ts';
import { GraphBuilder } from '../../onnx/index.ts';
import type { PoolSettings } from './state';

export function poolModel(s: PoolSettings, g: ConvGeometry): Uint8Array {
  const b = new GraphBuilder();
  const shape = [1, 1, g.inHeight, g.inWidth];
  const out = [1, 1, g.outHeight, g.outWidth];
  const attrs = {
    kernelShape: [g.kernelHeight, g.kernelWidth],
    strides: [g.strideHeight, g.strideWidth],
    pads: [...g.pads],
    countIncludePad: s.countIncludePad,
  };
  for (const [input, output] of [
    ['x', 'y'],
    ['xs', 'ys'],
  ] as const) {
    const v = b.input(input, 'float32', shape);
    b.output(s.mode === 'max' ? b.maxPool(v, attrs, out) : b.averagePool(v, attrs, out), output);
  }
  return b.toModelBytes({ opset: 17 });
}

export function poolModelKey(s: PoolSettings, g: ConvGeometry): string {
  return `pool/${s.mode}/${g.inHeight}x${g.inWidth}/k${s.k}/s${s.s}/p${s.p}/${s.countIncludePad ? 'inc' : 'exc'}`;
}
