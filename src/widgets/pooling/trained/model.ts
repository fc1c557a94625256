/**
 * The pool-shift graph: the trained net's first layer on the digits and their shifts, as the net
 * computes it — every feature map before pooling and after, so the badge covers both.
 *   maps   = Relu(Conv(x [2N,1,28,28], kernel [F,1,k,k], bias [F]))
 *   pooled = MaxPool(maps)
 */
import { GraphBuilder } from '../../../onnx/index.ts';
import type { ShiftResult } from './state';

export const shiftModelKey = (r: ShiftResult, pool: readonly number[]): string =>
  `pool-shift:${r.x.shape.join('x')}:${r.maps.shape.join('x')}:p${pool.join('x')}`;

export function shiftModel(
  r: ShiftResult,
  kernelShape: readonly number[],
  pool: { readonly kernelShape: readonly number[]; readonly strides: readonly number[] },
): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', r.x.shape);
  const kernel = b.input('kernel', 'float32', kernelShape);
  const bias = b.input('bias', 'float32', [kernelShape[0]!]);
  const maps = b.relu(b.conv(x, kernel, bias, { kernelShape: kernelShape.slice(2) }));
  b.output(maps, 'maps');
  b.output(
    b.maxPool(maps, { kernelShape: [...pool.kernelShape], strides: [...pool.strides] }),
    'pooled',
  );
  return b.toModelBytes({ opset: 17 });
}
