import { describe, expect, test } from 'vitest';
import {
  createOptimizerState,
  dropoutLayerSeed,
  dropoutMask,
  initParams,
  lossAndGradients,
  mnistTutorialNet,
} from '../../../src/cnn/index.ts';
import type { NetworkSpec, OptimizerSpec, Tensor } from '../../../src/cnn/index.ts';
import { optimizerScalars } from '../../../src/onnx/optimizer.ts';
import { buildTrainingModel, oneHot } from '../../../src/onnx/train.ts';
import { setVariant, variants } from '../../../src/onnx/variants.ts';
import { DEFAULT_FORMULATIONS } from '../../../src/onnx/formulations.ts';
import type { Formulations } from '../../../src/onnx/formulations.ts';
import { createSession } from '../helpers/ort-node.ts';
import type { Feed } from '../helpers/ort-node.ts';
import { blankBackgroundImages, seededLabels } from './nets.ts';

/** Max |ORT − reference| relative to the largest reference gradient of that parameter. */
const GRAD_TOLERANCE = 1e-4;

/** Networks that between them take every backward path of the emitters. */
const nets: NetworkSpec[] = [
  {
    name: 'strided, asymmetric pads, dilation, no-bias conv, overlapping padded max pool',
    inputShape: [2, 13, 12],
    layers: [
      { type: 'conv2d', filters: 4, kernelShape: [3, 3], strides: [2, 2], pads: [1, 0, 2, 1] },
      { type: 'relu' },
      {
        type: 'conv2d',
        filters: 6,
        kernelShape: [3, 2],
        dilations: [2, 1],
        pads: 'same',
        bias: false,
      },
      { type: 'tanh' },
      { type: 'maxPool2d', kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
      { type: 'flatten' },
      { type: 'dense', units: 5 },
    ],
  },
  {
    name: 'grouped and depthwise convs, avg pools (count_include_pad both ways), leakyRelu, sigmoid',
    inputShape: [4, 10, 10],
    layers: [
      { type: 'conv2d', filters: 8, kernelShape: [3, 3], group: 2, pads: [1, 1, 1, 1] },
      { type: 'leakyRelu', alpha: 0.1 },
      { type: 'avgPool2d', kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
      { type: 'conv2d', filters: 8, kernelShape: [3, 3], group: 8, strides: [2, 1] },
      { type: 'sigmoid' },
      {
        type: 'avgPool2d',
        kernelShape: [2, 2],
        strides: [1, 1],
        pads: [0, 0, 1, 1],
        countIncludePad: true,
      },
      { type: 'flatten' },
      { type: 'dropout', rate: 0.3 },
      { type: 'dense', units: 10, bias: false },
    ],
  },
  {
    name: 'stride 3 with remainder rows, max pool on an odd size, two dense layers',
    inputShape: [1, 17, 16],
    layers: [
      { type: 'conv2d', filters: 3, kernelShape: [4, 4], strides: [3, 3] },
      { type: 'relu' },
      { type: 'maxPool2d', kernelShape: [2, 2] },
      { type: 'flatten' },
      { type: 'dense', units: 7 },
      { type: 'relu' },
      { type: 'dense', units: 3 },
    ],
  },
  {
    name: 'residual adds: from a relu before a max pool, from the images, from a dense layer',
    inputShape: [1, 8, 8],
    layers: [
      { type: 'conv2d', filters: 1, kernelShape: [3, 3], pads: 'same' },
      { type: 'add', from: -1 },
      { type: 'relu' },
      { type: 'conv2d', filters: 1, kernelShape: [3, 3], pads: [1, 1, 1, 1] },
      { type: 'add', from: 2 },
      { type: 'relu' },
      { type: 'maxPool2d', kernelShape: [2, 2] },
      { type: 'flatten' },
      { type: 'dense', units: 16 },
      { type: 'tanh' },
      { type: 'add', from: 7 },
      { type: 'dense', units: 4 },
    ],
  },
];

describe('training graph gradients (grad.* outputs) vs reference lossAndGradients', () => {
  test.each(nets.map((n) => [n.name, n] as const))('%s', (_n, spec) => checkGradients(spec));

  test.each(nets.map((n) => [n.name, n] as const))(
    'kernelGrad im2col, inputGrad flippedConv: %s',
    (_n, spec) => checkGradients(spec, { kernelGrad: 'im2col', inputGrad: 'flippedConv' }),
  );

  const others: Partial<Formulations>[] = [
    { maxPoolGrad: 'slices' },
    { maxPoolGrad: 'indices' },
    { maxPoolGrad: 'argmax' },
    { maxPoolGrad: 'mask' },
    { maxPoolGrad: 'mask', reluPool: 'full' },
    { kernelGrad: 'im2col', inputGrad: 'flippedConv' },
  ];
  test.each(others.map((f) => [JSON.stringify(f), f] as const))(
    'formulations %s on mnistTutorialNet and an odd-size pool',
    async (_n, formulations) => {
      await checkGradients(mnistTutorialNet, formulations);
      await checkGradients(nets[2]!, formulations); // odd size: the tiling path crops and pads
    },
  );

  test('setVariant changes the defaults of buildTrainingModel', async () => {
    setVariant('maxPoolGrad=mask');
    try {
      expect(variants().maxPoolGrad).toBe('mask');
      await checkGradients(mnistTutorialNet);
    } finally {
      setVariant('reset');
    }
    expect(variants()).toEqual(DEFAULT_FORMULATIONS);
  });
});

async function checkGradients(
  spec: NetworkSpec,
  formulations: Partial<Formulations> = {},
): Promise<void> {
  {
    const batch = 3;
    const opt: OptimizerSpec = { type: 'sgd', lr: 0.1, momentum: 0.9 };
    const m = buildTrainingModel(spec, opt, { batch, gradients: true, formulations });
    const params = initParams(spec, 5);
    const x = blankBackgroundImages(batch, spec.inputShape, 6);
    const labels = seededLabels(batch, m.classes, 7);
    const seed = 99;
    const feeds: Record<string, Feed> = {
      images: x,
      labels: { shape: [batch, m.classes], data: oneHot(labels, m.classes) },
      ...params,
      ...createOptimizerState(opt, params).slots,
    };
    for (const d of m.dropoutMasks) {
      const rate = (spec.layers[d.layer] as { rate: number }).rate;
      feeds[d.name] = dropoutMask(dropoutLayerSeed(seed, d.layer), d.shape, rate);
    }
    for (const [k, v] of Object.entries(optimizerScalars(opt, 1)))
      feeds[k] = { shape: [], data: Float32Array.of(v) };
    const s = await createSession(m.bytes);
    const out = await s.run(feeds);
    await s.release();
    const ref = lossAndGradients(spec, params, x, labels, { training: true, dropoutSeed: seed });
    expect(out['loss']!.data[0]).toBeCloseTo(ref.loss, 5);
    for (const [name, g] of Object.entries(ref.grads) as [string, Tensor][]) {
      let scale = 0;
      for (const v of g.data) scale = Math.max(scale, Math.abs(v));
      const mine = out[`grad.${name}`]!.data;
      let worst = 0;
      for (let i = 0; i < mine.length; i++)
        worst = Math.max(worst, Math.abs(mine[i]! - g.data[i]!));
      expect(scale, `${name} has a non-zero gradient`).toBeGreaterThan(0);
      expect(worst / scale, name).toBeLessThan(GRAD_TOLERANCE);
    }
  }
}
