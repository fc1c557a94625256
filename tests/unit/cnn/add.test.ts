import { describe, expect, test } from 'vitest';
import {
  backward,
  CnnError,
  createRng,
  forward,
  initParams,
  outputShapes,
  paramNames,
  residualNet,
  tensor,
} from '../../../src/cnn/index.ts';
import type { NetworkSpec } from '../../../src/cnn/index.ts';
import { add, addBackward } from '../../../src/cnn/ops/add.ts';
import { randomTensor } from './helpers.ts';

describe('add(a, b) / addBackward(dy)', () => {
  test('add([1, 2, 3], [10, 20, 30]) = [11, 22, 33]; both inputs get dy unchanged', () => {
    const y = add(tensor([1, 3], [1, 2, 3]), tensor([1, 3], [10, 20, 30]));
    expect(Array.from(y.data)).toEqual([11, 22, 33]);
    const dy = tensor([1, 3], [0.5, -1, 2]);
    const { da, db } = addBackward(dy);
    expect(Array.from(da.data)).toEqual([0.5, -1, 2]);
    expect(Array.from(db.data)).toEqual([0.5, -1, 2]);
  });

  test('different shapes: a CnnError quoting both', () => {
    expect(() => add(tensor([1, 2], [1, 2]), tensor([2, 1], [1, 2]))).toThrow(
      'add: second input shape [2, 1] does not match first input shape [1, 2]',
    );
    expect(() => add(tensor([1, 2], [1, 2]), tensor([2, 1], [1, 2]))).toThrow(CnnError);
  });
});

describe("layer { type: 'add', from }", () => {
  test('residualNet: shapes and parameters (add has none)', () => {
    expect(outputShapes(residualNet, 2)[5]).toEqual([2, 8, 28, 28]);
    expect(paramNames(residualNet)).toEqual([
      '0.kernel',
      '0.bias',
      '2.kernel',
      '2.bias',
      '4.kernel',
      '4.bias',
      '9.weight',
      '9.bias',
    ]);
  });

  test('forward: the add layer outputs its input plus the earlier output', () => {
    const params = initParams(residualNet, 1);
    const x = randomTensor(createRng(2), [1, 1, 28, 28]);
    const { activations } = forward(residualNet, params, x);
    const k = 1234;
    expect(activations[5].data[k]).toBeCloseTo(activations[4].data[k] + activations[1].data[k], 6);
  });

  test('shape rules name the layer: a later layer, a different shape', () => {
    const bad = (from: number): NetworkSpec => ({
      name: 'bad',
      inputShape: [1, 4, 4],
      layers: [
        { type: 'conv2d', filters: 2, kernelShape: [3, 3] },
        { type: 'add', from },
        { type: 'flatten' },
        { type: 'dense', units: 2 },
      ],
    });
    expect(() => outputShapes(bad(1))).toThrow(
      'layer 1 (add): can read the output of an earlier layer (−1 for the input, up to 0), got 1',
    );
    expect(() => outputShapes(bad(-1))).toThrow(
      'layer 1 (add): the output of layer -1 has shape [1, 1, 4, 4] but the input has [1, 2, 2, 2]; a residual Add needs the same shape',
    );
  });
});

describe('backward(spec, params, x, seed, { layerGradients, inputGradient })', () => {
  // Smooth layers and a residual join whose skip starts at the image.
  const spec: NetworkSpec = {
    name: 'smooth residual',
    inputShape: [1, 5, 5],
    layers: [
      { type: 'conv2d', filters: 1, kernelShape: [3, 3], pads: 'same' },
      { type: 'tanh' },
      { type: 'add', from: -1 },
      { type: 'conv2d', filters: 1, kernelShape: [3, 3], pads: 'same' },
      { type: 'sigmoid' },
      { type: 'add', from: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 3 },
    ],
  };
  const params = initParams(spec, 4);
  const x = randomTensor(createRng(5), [1, 1, 5, 5]);
  const dLogits = tensor([1, 3], [0.3, -1, 0.7]);
  // L = Σ dLogits · logits, in float64 on top of the float32 forward pass
  const L = (input = x) =>
    forward(spec, params, input).logits.data.reduce((s, v, k) => s + v * dLogits.data[k], 0);

  test('keeps dL/d(output) of every layer (the last is dLogits) and dL/dx', () => {
    const r = backward(spec, params, x, { dLogits }, { layerGradients: true, inputGradient: true });
    expect(r.layerGradients!.map((g) => g.shape)).toEqual(r.activations.map((a) => a.shape));
    expect(r.layerGradients!.at(-1)).toBe(dLogits);
    expect(r.loss).toBeNull();
    const eps = 1e-2;
    let worst = 0;
    for (let i = 0; i < x.data.length; i++) {
      const up = Float32Array.from(x.data);
      const down = Float32Array.from(x.data);
      up[i] += eps;
      down[i] -= eps;
      const numeric = (L(tensor(x.shape, up)) - L(tensor(x.shape, down))) / (2 * eps);
      worst = Math.max(worst, Math.abs(numeric - r.dx!.data[i]));
    }
    expect(worst).toBeLessThan(2e-3);
  });

  test('without options: parameter gradients only (the same as with them)', () => {
    const plain = backward(spec, params, x, { labels: [1] });
    const full = backward(
      spec,
      params,
      x,
      { labels: [1] },
      { layerGradients: true, inputGradient: true },
    );
    expect(plain.layerGradients).toBeNull();
    expect(plain.dx).toBeNull();
    expect(plain.loss).toBeGreaterThan(0);
    for (const name of Object.keys(params))
      expect(Array.from(plain.grads[name].data)).toEqual(Array.from(full.grads[name].data));
  });
});
