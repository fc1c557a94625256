/**
 * flatten ([N, C, H, W] → [N, C·H·W], ONNX Flatten axis 1; backward reshapes back) and dropout
 * (eval: identity; training: y = x · mask, dx = dy · mask, where the mask, fed as a graph input,
 * holds 0 for dropped cells and 1 / (1 − rate) for kept ones, so both engines use the same mask).
 */
import type { Value } from '../builder.ts';
import { staticBatch, withBatch, type EmittedLayer, type LayerInput } from './types.ts';

export function emitFlatten({ b, x, batch, shape }: LayerInput): EmittedLayer {
  const features = shape.reduce((a, d) => a * d, 1);
  const y = b.op('Flatten', [x], { axis: 1 }, undefined, withBatch(batch, [features]));
  return {
    y,
    shape: [features],
    backward(dy, needDx) {
      if (!needDx) return { dx: null, grads: {} };
      return { dx: b.reshape(dy, [staticBatch(batch, 'flatten'), ...shape]), grads: {} };
    },
  };
}

export function emitDropout({ b, x, shape }: LayerInput, mask: Value | null): EmittedLayer {
  const y = mask === null ? x : b.mul(x, mask);
  return {
    y,
    shape,
    backward(dy, needDx) {
      if (!needDx) return { dx: null, grads: {} };
      return { dx: mask === null ? dy : b.mul(dy, mask), grads: {} };
    },
  };
}
