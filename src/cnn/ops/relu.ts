import { checkSameShape } from '../check.ts';
import type { Tensor } from '../tensor.ts';

/** relu(x) = max(0, x) */
export function relu(x: Tensor): Tensor {
  const y = new Float32Array(x.data.length);
  for (let k = 0; k < y.length; k++) y[k] = x.data[k] > 0 ? x.data[k] : 0;
  return { shape: [...x.shape], data: y };
}

/** dx = dy where x > 0, else 0 — the derivative at exactly 0 is taken as 0 (as PyTorch, TF). */
export function reluBackward(x: Tensor, dy: Tensor): Tensor {
  checkSameShape('reluBackward', 'saved tensor', x, 'output gradient', dy);
  const dx = new Float32Array(dy.data.length);
  for (let k = 0; k < dx.length; k++) dx[k] = x.data[k] > 0 ? dy.data[k] : 0;
  return { shape: [...dy.shape], data: dx };
}
