import { checkSameShape } from '../check.ts';
import type { Tensor } from '../tensor.ts';

/** y[k] = f(x[k]) for every element, same shape. */
export function map(x: Tensor, f: (v: number) => number): Tensor {
  const y = new Float32Array(x.data.length);
  for (let k = 0; k < y.length; k++) y[k] = f(x.data[k]);
  return { shape: [...x.shape], data: y };
}

/** dx[k] = dy[k] · f'(k), where the local derivative is read from a saved tensor (x or y). */
export function mapBackward(
  op: string,
  saved: Tensor,
  dy: Tensor,
  derivative: (v: number) => number,
): Tensor {
  checkSameShape(op, 'saved tensor', saved, 'output gradient', dy);
  const dx = new Float32Array(dy.data.length);
  for (let k = 0; k < dx.length; k++) dx[k] = dy.data[k] * derivative(saved.data[k]);
  return { shape: [...dy.shape], data: dx };
}
