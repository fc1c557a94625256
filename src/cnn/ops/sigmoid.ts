import type { Tensor } from '../tensor.ts';
import { map, mapBackward } from './elementwise.ts';

/** σ(x) = 1 / (1 + e^−x), written so neither branch overflows. */
export function sigmoid(x: Tensor): Tensor {
  return map(x, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))));
}

/** dx = dy · y · (1 − y), from the saved output y = σ(x). */
export function sigmoidBackward(y: Tensor, dy: Tensor): Tensor {
  return mapBackward('sigmoidBackward', y, dy, (s) => s * (1 - s));
}
