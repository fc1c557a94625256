import { describe, expect, test } from 'vitest';
import { convGeometry } from '../../../src/cnn/geometry.ts';
import { dropoutLayerSeed, forward, lossAndGradients } from '../../../src/cnn/nn/network.ts';
import { initParams, paramShapes } from '../../../src/cnn/nn/params.ts';
import type { Params } from '../../../src/cnn/nn/params.ts';
import { mnistLargeNet, mnistTutorialNet, tinyNet } from '../../../src/cnn/nn/presets.ts';
import { tinySegNet } from '../../../src/cnn/nn/scene-presets.ts';
import { outputShapes } from '../../../src/cnn/nn/shapes.ts';
import type { NetworkSpec } from '../../../src/cnn/nn/spec.ts';
import { dropoutMask } from '../../../src/cnn/ops/dropout.ts';
import { createOptimizerState, optimizerStep } from '../../../src/cnn/optim/optimizer.ts';
import { tensor } from '../../../src/cnn/tensor.ts';
import type { Tensor } from '../../../src/cnn/tensor.ts';
import { deepNet } from '../../../src/widgets/deeper/nets.ts';
import { createRng, randomTensor } from './helpers.ts';
import {
  conv64,
  crossEntropy64,
  linear64,
  map64,
  numericGradient,
  pool64,
  relativeError,
  t64,
} from './reference64.ts';
import type { Pads4, T64 } from './reference64.ts';

describe('shapes and parameters', () => {
  test('outputShapes(mnistTutorialNet) follows the tutorial: 24 → 12 → 8 → 4 → 256 → 10', () => {
    expect(outputShapes(mnistTutorialNet)).toEqual([
      [1, 8, 24, 24],
      [1, 8, 24, 24],
      [1, 8, 12, 12],
      [1, 16, 8, 8],
      [1, 16, 8, 8],
      [1, 16, 4, 4],
      [1, 256],
      [1, 10],
    ]);
    expect(outputShapes(tinyNet, 64).at(-2)).toEqual([64, 676]);
    expect(outputShapes(mnistLargeNet).slice(5)).toEqual([
      [1, 32, 7, 7],
      [1, 1568],
      [1, 1568],
      [1, 10],
    ]);
  });

  test('paramShapes(mnistTutorialNet) lists ${i}.kernel, ${i}.bias, ${i}.weight in layer order', () => {
    expect(paramShapes(mnistTutorialNet)).toEqual([
      { name: '0.kernel', shape: [8, 1, 5, 5] },
      { name: '0.bias', shape: [8] },
      { name: '3.kernel', shape: [16, 8, 5, 5] },
      { name: '3.bias', shape: [16] },
      { name: '7.weight', shape: [10, 256] },
      { name: '7.bias', shape: [10] },
    ]);
  });

  test('initParams(spec, seed) is reproducible, He-scaled, with zero biases', () => {
    const a = initParams(mnistTutorialNet, 5);
    const b = initParams(mnistTutorialNet, 5);
    expect(a['3.kernel'].data).toEqual(b['3.kernel'].data);
    expect(initParams(mnistTutorialNet, 6)['3.kernel'].data).not.toEqual(a['3.kernel'].data);
    expect(a['0.bias'].data.every((v) => v === 0)).toBe(true);
    const k = a['3.kernel'].data;
    const std = Math.sqrt(k.reduce((s, v) => s + v * v, 0) / k.length);
    expect(std).toBeGreaterThan(0.9 * Math.sqrt(2 / 200));
    expect(std).toBeLessThan(1.1 * Math.sqrt(2 / 200));
  });

  test('outputShapes names the layer that does not fit', () => {
    const noFlatten: NetworkSpec = {
      name: 'bad',
      inputShape: [1, 8, 8],
      layers: [{ type: 'dense', units: 3 }],
    };
    expect(() => outputShapes(noFlatten)).toThrow(
      'layer 0 (dense): input must be [N, features], got [1, 1, 8, 8]; add a flatten layer before it',
    );
    const tooSmall: NetworkSpec = { ...mnistTutorialNet, inputShape: [1, 12, 12] };
    expect(() => outputShapes(tooSmall)).toThrow(
      'layer 3 (conv2d): kernel 5×5 with dilation 1 spans 5 px but the padded input is 4 px (height: input 4 + pads 0 + 0, kernel 5)',
    );
    const badGroup: NetworkSpec = {
      name: 'g',
      inputShape: [3, 8, 8],
      layers: [{ type: 'conv2d', filters: 4, kernelShape: [3, 3], group: 2 }, { type: 'flatten' }],
    };
    expect(() => outputShapes(badGroup)).toThrow(
      'layer 0 (conv2d): group must be a positive integer dividing the 3 input channels, got 2',
    );
  });

  test('forward refuses wrong input shapes, missing or misshapen params, and NaN pixels', () => {
    const params = initParams(tinyNet, 1);
    expect(() => forward(tinyNet, params, tensor([2, 1, 28, 27]))).toThrow(
      'forward: input must have shape [N, 1, 28, 28] for tinyNet, got [2, 1, 28, 27]',
    );
    const { ['4.weight']: _, ...missing } = params;
    expect(() => forward(tinyNet, missing, tensor([1, 1, 28, 28]))).toThrow(
      'forward: params: missing 4.weight (shape [10, 676]) for tinyNet',
    );
    expect(() =>
      forward(tinyNet, { ...params, '0.kernel': tensor([4, 1, 5, 5]) }, tensor([1, 1, 28, 28])),
    ).toThrow('forward: params: 0.kernel has shape [4, 1, 5, 5] but tinyNet needs [4, 1, 3, 3]');
    const x = tensor([1, 1, 28, 28]);
    x.data[30] = NaN;
    expect(() => forward(tinyNet, params, x)).toThrow(
      'forward: input x contains NaN at flat index 30 (shape [1, 1, 28, 28]); inputs must be finite numbers',
    );
    expect(() => lossAndGradients(tinyNet, params, x, [0])).toThrow(
      /lossAndGradients: input x contains NaN/,
    );
  });

  test('forward returns every activation, the last being the logits; dropout is off unless training', () => {
    const rng = createRng(1);
    const params = initParams(mnistLargeNet, 2);
    const x = randomTensor(rng, [2, 1, 28, 28]);
    const evalRun = forward(mnistLargeNet, params, x);
    expect(evalRun.activations.map((a) => a.shape)).toEqual(outputShapes(mnistLargeNet, 2));
    expect(evalRun.logits).toBe(evalRun.activations.at(-1));
    expect(evalRun.activations[7].data).toEqual(evalRun.activations[6].data); // dropout = identity
    const trainRun = forward(mnistLargeNet, params, x, { training: true, dropoutSeed: 9 });
    const mask = dropoutMask(dropoutLayerSeed(9, 7), [2, 1568], 0.25);
    expect(trainRun.activations[7].data).toEqual(
      trainRun.activations[6].data.map((v, k) => v * mask.data[k]),
    );
    expect(() => forward(mnistLargeNet, params, x, { training: true })).toThrow(
      'layer 7 (dropout): training mode needs options.dropoutSeed, got undefined',
    );
  });
});

/** The same network in float64, by the independent oracles. */
function loss64(
  spec: NetworkSpec,
  p: Record<string, T64>,
  x: T64,
  labels: number[],
  masks: Record<number, Tensor>,
) {
  let h = x;
  const outs: T64[] = [];
  spec.layers.forEach((layer, i) => {
    switch (layer.type) {
      case 'add': {
        const skip = layer.from === -1 ? x : outs[layer.from];
        h = { shape: h.shape, data: h.data.map((v, k) => v + skip.data[k]) };
        break;
      }
      case 'conv2d': {
        const k = p[`${i}.kernel`];
        const g = convGeometry({
          ...layer,
          inputShape: h.shape,
          kernelShape: [k.shape[2], k.shape[3]],
        });
        const s: [number, number] = [g.strideHeight, g.strideWidth];
        const d: [number, number] = [g.dilationHeight, g.dilationWidth];
        h = conv64(h, k, p[`${i}.bias`] ?? null, s, [...g.pads] as Pads4, d, layer.group ?? 1);
        break;
      }
      case 'maxPool2d':
      case 'avgPool2d': {
        const g = convGeometry({
          inputShape: h.shape,
          ...layer,
          strides: layer.strides ?? layer.kernelShape,
        });
        const kind = layer.type === 'maxPool2d' ? 'max' : 'avg';
        const include = layer.type === 'avgPool2d' && (layer.countIncludePad ?? false);
        h = pool64(
          kind,
          h,
          [g.kernelHeight, g.kernelWidth],
          [g.strideHeight, g.strideWidth],
          [...g.pads] as Pads4,
          include,
        );
        break;
      }
      case 'relu':
        h = map64(h, (v) => Math.max(v, 0));
        break;
      case 'leakyRelu':
        h = map64(h, (v) => (v > 0 ? v : (layer.alpha ?? 0.01) * v));
        break;
      case 'sigmoid':
        h = map64(h, (v) => 1 / (1 + Math.exp(-v)));
        break;
      case 'tanh':
        h = map64(h, Math.tanh);
        break;
      case 'flatten':
        h = { shape: [h.shape[0], h.data.length / h.shape[0]], data: h.data };
        break;
      case 'dense':
        h = linear64(h, p[`${i}.weight`], p[`${i}.bias`] ?? null);
        break;
      case 'dropout':
        h = masks[i] ? { shape: h.shape, data: h.data.map((v, k) => v * masks[i].data[k]) } : h;
        break;
    }
    outs.push(h);
  });
  return h.shape.length === 4 ? pixelCrossEntropy64(h, labels) : crossEntropy64(h, labels);
}

/** Mean cross-entropy over every position of a logits map [N, K, H, W], read in NCHW order. */
function pixelCrossEntropy64(z: T64, labels: number[]): number {
  const [N, K, H, W] = z.shape;
  const plane = H * W;
  let total = 0;
  for (let n = 0; n < N; n++)
    for (let p = 0; p < plane; p++) {
      const at = (k: number) => z.data[(n * K + k) * plane + p];
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, at(k));
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(at(k) - max);
      total += max + Math.log(sum) - at(labels[n * plane + p]);
    }
  return total / (N * plane);
}

const gradcheckNets: { spec: NetworkSpec; batch: number; coords: number }[] = [
  {
    batch: 3,
    coords: 1000,
    spec: {
      name: 'tiny 8×8',
      inputShape: [1, 8, 8],
      layers: [
        { type: 'conv2d', filters: 3, kernelShape: [3, 3] },
        { type: 'relu' },
        { type: 'maxPool2d', kernelShape: [2, 2] },
        { type: 'flatten' },
        { type: 'dense', units: 4 },
      ],
    },
  },
  {
    batch: 2,
    coords: 1000,
    spec: {
      name: 'strided, padded, grouped, dropout',
      inputShape: [2, 9, 8],
      layers: [
        {
          type: 'conv2d',
          filters: 4,
          kernelShape: [3, 2],
          strides: [2, 1],
          pads: [1, 0, 2, 1],
          dilations: [1, 2],
        },
        { type: 'leakyRelu', alpha: 0.1 },
        { type: 'avgPool2d', kernelShape: [2, 2], pads: [1, 1, 0, 0] },
        { type: 'conv2d', filters: 4, kernelShape: [2, 2], group: 2, pads: 'same' },
        { type: 'tanh' },
        { type: 'flatten' },
        { type: 'dropout', rate: 0.3 },
        { type: 'dense', units: 3 },
      ],
    },
  },
  {
    batch: 2,
    coords: 1000,
    spec: {
      name: 'dilated same, sigmoid, overlapping max pool, no biases',
      inputShape: [1, 7, 7],
      layers: [
        {
          type: 'conv2d',
          filters: 2,
          kernelShape: [3, 3],
          pads: 'same',
          dilations: [2, 2],
          bias: false,
        },
        { type: 'sigmoid' },
        { type: 'maxPool2d', kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
        { type: 'conv2d', filters: 2, kernelShape: [1, 1], group: 2, strides: [2, 2] },
        { type: 'flatten' },
        { type: 'dense', units: 3, bias: false },
      ],
    },
  },
  {
    batch: 2,
    coords: 1000,
    spec: {
      name: 'residual: add from a relu, and from the input',
      inputShape: [2, 6, 6],
      layers: [
        { type: 'conv2d', filters: 2, kernelShape: [3, 3], pads: 'same' },
        { type: 'add', from: -1 }, // x + conv(x)
        { type: 'tanh' },
        { type: 'conv2d', filters: 2, kernelShape: [3, 3], pads: [1, 1, 1, 1] },
        { type: 'sigmoid' },
        { type: 'add', from: 2 }, // tanh(…) + sigmoid(conv(tanh(…)))
        { type: 'avgPool2d', kernelShape: [2, 2] },
        { type: 'flatten' },
        { type: 'dense', units: 3 },
      ],
    },
  },
  { batch: 2, coords: 12, spec: mnistTutorialNet },
  // lesson 14's skip network: stride-2 'same' stem (pads [0, 0, 1, 1]), pre-activation blocks
  // whose Add reads the previous block's output, dense head
  { batch: 2, coords: 6, spec: deepNet({ depth: 4, activation: 'tanh', skips: true }) },
  { batch: 2, coords: 1000, spec: tinySegNet }, // fully convolutional: a loss on a 3×4×4 map
];

describe('lossAndGradients against float64 finite differences of the whole network', () => {
  for (const { spec, batch, coords } of gradcheckNets) {
    test(`lossAndGradients(${spec.name}) matches central differences for every parameter`, () => {
      const rng = createRng(11);
      const params = initParams(spec, 3);
      // non-zero biases, so that bias gradients are not trivially checked at 0
      for (const [name, t] of Object.entries(params)) {
        if (name.endsWith('.bias')) t.data.forEach((_, k) => (t.data[k] = 0.1 * rng.normal()));
      }
      const x = randomTensor(rng, [batch, ...spec.inputShape]);
      // One label per logit row, or per position of a logits map [N, K, h, w].
      const out = outputShapes(spec, batch).at(-1)!;
      const rows = out.length === 4 ? batch * out[2] * out[3] : batch;
      const labels = Array.from({ length: rows }, () => rng.int(3));
      const result = lossAndGradients(spec, params, x, labels, { dropoutSeed: 5 });

      const masks: Record<number, Tensor> = {};
      spec.layers.forEach((layer, i) => {
        if (layer.type === 'dropout')
          masks[i] = dropoutMask(dropoutLayerSeed(5, i), result.activations[i].shape, layer.rate);
      });
      const p64: Record<string, T64> = {};
      for (const [name, t] of Object.entries(params)) p64[name] = t64([...t.shape], t.data);
      const x64 = t64([...x.shape], x.data);
      const loss = () => loss64(spec, p64, x64, labels, masks);
      expect(result.loss).toBeCloseTo(loss(), 5);

      expect(Object.keys(result.grads).sort()).toEqual(Object.keys(params).sort());
      for (const name of Object.keys(params)) {
        const n = p64[name].data.length;
        const only = Array.from({ length: Math.min(n, coords) }, (_, k) =>
          n <= coords ? k : rng.int(n),
        );
        const numeric = numericGradient(p64[name].data, loss, 1e-6, only);
        const err = relativeError(result.grads[name].data, numeric, 1e-3, only);
        if (!(err < 1e-4)) throw new Error(`${name}: relative error ${err.toExponential(2)}`);
      }
    });
  }
});

describe('training', () => {
  test('lossAndGradients + optimizerStep (SGD momentum) learn a 4-class toy task', () => {
    // class k: a bright horizontal bar on row 2 + 3k of a noisy 12×12 image
    const spec: NetworkSpec = {
      name: 'toy',
      inputShape: [1, 12, 12],
      layers: [
        { type: 'conv2d', filters: 4, kernelShape: [3, 3] },
        { type: 'relu' },
        { type: 'maxPool2d', kernelShape: [2, 2] },
        { type: 'flatten' },
        { type: 'dense', units: 4 },
      ],
    };
    const rng = createRng(2);
    const batchOf = (n: number) => {
      const labels = Array.from({ length: n }, () => rng.int(4));
      const x = randomTensor(rng, [n, 1, 12, 12], 0.1);
      labels.forEach((label, i) => {
        for (let c = 1; c < 11; c++) x.data[i * 144 + (2 + 3 * label) * 12 + c] += 1;
      });
      return { x, labels };
    };
    let params: Params = initParams(spec, 1);
    const opt = { type: 'sgd', lr: 0.05, momentum: 0.9 } as const;
    let state = createOptimizerState(opt, params);
    const test = batchOf(64);
    const before = lossAndGradients(spec, params, test.x, test.labels);
    for (let step = 0; step < 40; step++) {
      const { x, labels } = batchOf(16);
      const { grads } = lossAndGradients(spec, params, x, labels);
      ({ params, state } = optimizerStep(opt, params, grads, state));
    }
    const after = lossAndGradients(spec, params, test.x, test.labels);
    expect(after.loss).toBeLessThan(0.2 * before.loss);
    expect(after.accuracy).toBe(1);
    expect(state.step).toBe(40);
  });
});
