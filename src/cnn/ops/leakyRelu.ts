import type { Tensor } from '../tensor.ts';
import { map, mapBackward } from './elementwise.ts';

/** leakyRelu(x) = x for x > 0, alpha·x otherwise (ONNX LeakyRelu, alpha default 0.01). */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  return map(x, (v) => (v > 0 ? v : alpha * v));
}

/** dx = dy for x > 0, alpha·dy otherwise (at exactly 0 the slope is alpha, as PyTorch). */
export function leakyReluBackward(x: Tensor, dy: Tensor, alpha = 0.01): Tensor {
  return mapBackward('leakyReluBackward', x, dy, (v) => (v > 0 ? 1 : alpha));
}
