import { createRng } from './random.ts';
import type { Rng } from './random.ts';
import { sizeOf } from './tensor.ts';
import type { Tensor } from './tensor.ts';

/**
 * He (Kaiming) normal initialisation: N(0, 2 / fanIn), as PyTorch's `kaiming_normal_` with
 * mode fan_in. It keeps the variance of ReLU activations roughly constant from layer to layer.
 */
export function heNormal(shape: readonly number[], fanIn: number, rng: Rng | number): Tensor {
  const r = typeof rng === 'number' ? createRng(rng) : rng;
  const std = Math.sqrt(2 / fanIn);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = r.normal() * std;
  return { shape: [...shape], data };
}

/** Glorot (Xavier) uniform: U(−a, a) with a = sqrt(6 / (fanIn + fanOut)), for tanh/sigmoid nets. */
export function glorotUniform(
  shape: readonly number[],
  fanIn: number,
  fanOut: number,
  rng: Rng | number,
): Tensor {
  const r = typeof rng === 'number' ? createRng(rng) : rng;
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = (2 * r.uniform() - 1) * limit;
  return { shape: [...shape], data };
}
