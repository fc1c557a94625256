/**
 * dense: y = x·Wᵀ + b with W [units, inFeatures] (ONNX Gemm, transB = 1); backward side by side:
 *   dW = dyᵀ·x   (Gemm transA = 1)      db = Σ_n dy      dx = dy·W   (MatMul)
 */
import type { Value } from '../builder.ts';
import { withBatch, type EmittedLayer, type LayerInput } from './types.ts';

export function emitDense(
  { b, x, batch, shape }: LayerInput,
  units: number,
  weight: Value,
  bias: Value | null,
): EmittedLayer {
  if (shape.length !== 1) {
    throw new RangeError(
      `dense: input must be [N, features] (add a flatten layer), got [N, ${shape.join(', ')}]`,
    );
  }
  const y = b.gemm(x, weight, bias, { transB: true }, withBatch(batch, [units]));
  return {
    y,
    shape: [units],
    backward(dy, needDx) {
      const grads: Record<string, Value> = {
        weight: b.gemm(dy, x, null, { transA: true }, [units, shape[0]!]),
      };
      if (bias !== null) grads['bias'] = b.reduce('ReduceSum', dy, [0], false, [units]);
      const dx = needDx ? b.matMul(dy, weight, withBatch(batch, shape)) : null;
      return { dx, grads };
    },
  };
}
