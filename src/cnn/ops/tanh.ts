import type { Tensor } from '../tensor.ts';
import { map, mapBackward } from './elementwise.ts';

export function tanh(x: Tensor): Tensor {
  return map(x, Math.tanh);
}

/** dx = dy · (1 − y²), from the saved output y = tanh(x). */
export function tanhBackward(y: Tensor, dy: Tensor): Tensor {
  return mapBackward('tanhBackward', y, dy, (t) => 1 - t * t);
}
