/**
 * The ONNX graphs of the convolution-arithmetic widget: one Conv or one ConvTranspose node with
 * the reader's attributes (pads already resolved by the reference engine's geometry, so 'same'
 * means exactly what the reference computed); input and kernel are graph inputs.
 */
import { GraphBuilder } from '../../onnx/index.ts';
import type { ArithOk as Ok } from './arith';

export function arithModelKey(r: Ok): string {
  const { g, settings: s } = r;
  return `arith:${s.mode}:${r.x.shape.join('x')}:${g.kernelHeight}:${g.strideHeight}x${g.strideWidth}:${g.pads.join(',')}:${g.dilationHeight}`;
}

export function arithModel(r: Ok): Uint8Array {
  const { g, settings: s } = r;
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', r.x.shape);
  const w = b.input('kernel', 'float32', r.kernel.shape);
  const attrs = {
    kernelShape: [g.kernelHeight, g.kernelWidth],
    strides: [g.strideHeight, g.strideWidth],
    pads: [...g.pads],
    dilations: [g.dilationHeight, g.dilationWidth],
  };
  const y = s.mode === 'conv' ? b.conv(x, w, null, attrs) : b.convTranspose(x, w, null, attrs);
  b.output(y, 'y');
  return b.toModelBytes({ opset: 17 });
}
