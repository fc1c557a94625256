import type { Tensor } from '../tensor.ts';
import { map, mapBackward } from './elementwise.ts';

/** relu(x) = max(0, x) */
export function relu(x: Tensor): Tensor {
  return map(x, (v) => (v > 0 ? v : 0));
}

/** dx = dy where x > 0, else 0 — the derivative at exactly 0 is taken as 0 (as PyTorch, TF). */
export function reluBackward(x: Tensor, dy: Tensor): Tensor {
  return mapBackward('reluBackward', x, dy, (v) => (v > 0 ? 1 : 0));
}
