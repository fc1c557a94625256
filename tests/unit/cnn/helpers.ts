import { expect } from 'vitest';
import { createRng } from '../../../src/cnn/random.ts';
import type { Rng } from '../../../src/cnn/random.ts';
import type { Tensor } from '../../../src/cnn/tensor.ts';

/** Expects a tensor's shape and values (float32 values, compared to `digits` decimals). */
export function expectTensor(t: Tensor, shape: number[], values: number[], digits = 5): void {
  expect(t.shape).toEqual(shape);
  expect(t.data.length).toBe(values.length);
  values.forEach((v, k) => {
    if (Math.abs(t.data[k] - v) > 0.5 * 10 ** -digits) {
      throw new Error(`value ${k}: got ${t.data[k]}, expected ${v} (shape [${shape.join(', ')}])`);
    }
  });
}

export function randomTensor(rng: Rng, shape: number[], scale = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, () => rng.normal() * scale) };
}

/** Distinct values (a shuffled ramp, 0.1 apart): no ties, so max pooling is differentiable. */
export function distinctTensor(rng: Rng, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, k) => (k - n / 2) * 0.1);
  for (let k = n - 1; k > 0; k--) {
    const r = rng.int(k + 1);
    [values[k], values[r]] = [values[r], values[k]];
  }
  return { shape, data: Float32Array.from(values) };
}

export { createRng };
