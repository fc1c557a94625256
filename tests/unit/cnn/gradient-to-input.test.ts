import { describe, expect, test } from 'vitest';
import { forward, gradientToInput } from '../../../src/cnn/nn/network.ts';
import { initParams } from '../../../src/cnn/nn/params.ts';
import type { NetworkSpec } from '../../../src/cnn/nn/spec.ts';
import { createRng } from '../../../src/cnn/random.ts';
import { tensor } from '../../../src/cnn/tensor.ts';
import type { Tensor } from '../../../src/cnn/tensor.ts';

// Smooth layers only (tanh, avg pool), so central differences are not spoiled by kinks.
const smooth: NetworkSpec = {
  name: 'smooth',
  inputShape: [2, 7, 7],
  layers: [
    { type: 'conv2d', filters: 3, kernelShape: [3, 3], strides: [2, 1], pads: [1, 0, 0, 1] },
    { type: 'tanh' },
    { type: 'avgPool2d', kernelShape: [2, 2] },
    { type: 'flatten' },
    { type: 'dense', units: 4 },
  ],
};

describe('gradientToInput(spec, params, x, dLogits)', () => {
  const params = initParams(smooth, 5);
  const rng = createRng(9);
  const x = tensor(
    [1, 2, 7, 7],
    Array.from({ length: 98 }, () => rng.uniform() * 2 - 1),
  );
  const seed: Tensor = tensor([1, 4], [0, 0, 1, 0]);

  test('matches central differences of the class-2 logit, pixel by pixel', () => {
    const { dx, logits } = gradientToInput(smooth, params, x, seed);
    expect(dx.shape).toEqual([1, 2, 7, 7]);
    expect(logits.data).toEqual(forward(smooth, params, x).logits.data);
    const eps = 1e-2;
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < x.data.length; i++) {
      const up = Float32Array.from(x.data);
      const down = Float32Array.from(x.data);
      up[i] += eps;
      down[i] -= eps;
      const fUp = forward(smooth, params, tensor(x.shape, up)).logits.data[2];
      const fDown = forward(smooth, params, tensor(x.shape, down)).logits.data[2];
      const numeric = (fUp - fDown) / (2 * eps);
      worst = Math.max(worst, Math.abs(numeric - dx.data[i]));
      scale = Math.max(scale, Math.abs(dx.data[i]));
    }
    expect(scale).toBeGreaterThan(0.01);
    expect(worst).toBeLessThan(2e-3 * Math.max(1, scale));
  });

  test('rejects a dLogits of the wrong shape, quoting both shapes', () => {
    expect(() => gradientToInput(smooth, params, x, tensor([1, 3], [0, 0, 1]))).toThrow(
      /dLogits has shape \[1, 3\] but the logits have \[1, 4\]/,
    );
  });
});
