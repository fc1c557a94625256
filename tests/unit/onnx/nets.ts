/** Seeded inputs for the network tests (no Node-only imports). */
import { createRng, tensor } from '../../../src/cnn/index.ts';
import type { Tensor } from '../../../src/cnn/index.ts';

/**
 * A batch of MNIST-like images [n, C, H, W] in [0, 1]: a random blob on a blank (zero)
 * background, so max-pool windows hold ties, as on real digits.
 */
export function blankBackgroundImages(n: number, shape: readonly number[], seed: number): Tensor {
  const rng = createRng(seed);
  const [c, h, w] = shape as [number, number, number];
  const data = new Float32Array(n * c * h * w);
  for (let i = 0; i < n; i++) {
    const top = Math.floor(rng.uniform() * (h / 2));
    const left = Math.floor(rng.uniform() * (w / 2));
    for (let ch = 0; ch < c; ch++) {
      for (let y = top; y < top + h / 2; y++) {
        for (let x = left; x < left + w / 2; x++) {
          data[((i * c + ch) * h + y) * w + x] = Math.round(rng.uniform() * 255) / 255;
        }
      }
    }
  }
  return tensor([n, c, h, w], data);
}

export function seededLabels(n: number, classes: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Math.floor(rng.uniform() * classes));
}
