import { createRng } from '../random.ts';
import { sizeOf } from '../tensor.ts';
import type { Tensor } from '../tensor.ts';
import { checkGradShape } from '../check.ts';
import { CnnError } from '../errors.ts';

function checkRate(op: string, rate: number): void {
  if (!(rate >= 0 && rate < 1)) {
    throw new CnnError(`${op}: rate must be in [0, 1) (the probability of dropping), got ${rate}`, {
      op,
      argument: 'rate',
      value: rate,
    });
  }
}

/**
 * The dropout mask, already scaled ("inverted dropout"): element k draws u = createRng(seed)'s
 * k-th uniform in row-major order and is kept, with value 1 / (1 − rate), when u ≥ rate, else 0.
 * The ONNX training graph takes this very tensor as an input, so both engines drop the same units.
 */
export function dropoutMask(seed: number, shape: readonly number[], rate: number): Tensor {
  checkRate('dropoutMask', rate);
  const rng = createRng(seed);
  const keep = Math.fround(1 / (1 - rate));
  const mask = new Float32Array(sizeOf(shape));
  for (let k = 0; k < mask.length; k++) mask[k] = rng.uniform() >= rate ? keep : 0;
  return { shape: [...shape], data: mask };
}

/**
 * Training: y = x · mask (mask from dropoutMask(seed, x.shape, rate)); evaluation: y = x, so the
 * expected activation is the same in both modes.
 */
export function dropout(
  x: Tensor,
  { rate, training, seed }: { rate: number; training: boolean; seed?: number },
): { y: Tensor; mask: Tensor | null } {
  checkRate('dropout', rate);
  if (!training || rate === 0) return { y: x, mask: null };
  if (seed === undefined)
    throw new RangeError('dropout: training mode needs a seed, got undefined');
  const mask = dropoutMask(seed, x.shape, rate);
  const y = new Float32Array(x.data.length);
  for (let k = 0; k < y.length; k++) y[k] = x.data[k] * mask.data[k];
  return { y: { shape: [...x.shape], data: y }, mask };
}

/** dx = dy · mask (or dy when no mask was used). */
export function dropoutBackward(dy: Tensor, mask: Tensor | null): Tensor {
  if (!mask) return dy;
  checkGradShape('dropoutBackward', dy, mask.shape);
  const dx = new Float32Array(dy.data.length);
  for (let k = 0; k < dx.length; k++) dx[k] = dy.data[k] * mask.data[k];
  return { shape: [...dy.shape], data: dx };
}
