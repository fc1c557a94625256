import { checkSameShape } from '../check.ts';
import type { Tensor } from '../tensor.ts';

/**
 * y[k] = a[k] + b[k], the element-wise sum of two tensors of one shape: the Add of a residual
 * connection, y = x + F(x), where the block's input skips ahead and joins its output.
 */
export function add(a: Tensor, b: Tensor): Tensor {
  checkSameShape('add', 'first input', a, 'second input', b);
  const y = new Float32Array(a.data.length);
  for (let k = 0; k < y.length; k++) y[k] = a.data[k] + b.data[k];
  return { shape: [...a.shape], data: y };
}

/** ∂y/∂a = ∂y/∂b = 1: each input receives the output gradient unchanged, da = db = dy. */
export function addBackward(dy: Tensor): { da: Tensor; db: Tensor } {
  return { da: dy, db: dy };
}
