import { describe, expect, test } from 'vitest';
import {
  createOptimizerState,
  dropoutLayerSeed,
  dropoutMask,
  initParams,
  lossAndGradients,
  mnistLargeNet,
  mnistTutorialNet,
  optimizerStep,
  residualNet,
  tensor,
} from '../../../src/cnn/index.ts';
import type { NetworkSpec, OptimizerSpec, Params, Tensor } from '../../../src/cnn/index.ts';
import { optimizerScalars } from '../../../src/onnx/optimizer.ts';
import { buildTrainingModel, oneHot } from '../../../src/onnx/train.ts';
import type { TrainingModel } from '../../../src/onnx/train.ts';
import { maxRelDiff } from '../helpers/close.ts';
import { createSession } from '../helpers/ort-node.ts';
import type { Feed, NodeSession } from '../helpers/ort-node.ts';
import { blankBackgroundImages, seededLabels } from './nets.ts';

/**
 * After 20 steps ORT's and the reference engine's parameters differ by at most this, relative to
 * the largest weight of each tensor (float32 sums in different orders drift apart slowly).
 */
const TRAIN_TOLERANCE = 1e-4;
const GRAD_TOLERANCE = 1e-4;

function maxAbsRelToTensor(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / Math.max(scale, 1e-6);
}

async function ortStep(
  s: NodeSession,
  m: TrainingModel,
  opt: OptimizerSpec,
  t: number,
  params: Params,
  slots: Record<string, Tensor>,
  x: Tensor,
  labels: number[],
  masks: Record<string, Tensor> = {},
) {
  const feeds: Record<string, Feed> = {
    images: x,
    labels: { shape: [m.batch, m.classes], data: oneHot(labels, m.classes) },
    ...params,
    ...slots,
    ...masks,
  };
  for (const [k, v] of Object.entries(optimizerScalars(opt, t)))
    feeds[k] = { shape: [], data: Float32Array.of(v) };
  return s.run(feeds);
}

async function trainBoth(spec: NetworkSpec, opt: OptimizerSpec, steps: number, batch: number) {
  const m = buildTrainingModel(spec, opt, { batch });
  const s = await createSession(m.bytes);
  let refParams = initParams(spec, 42);
  let refState = createOptimizerState(opt, refParams);
  let params: Params = { ...refParams };
  let slots: Record<string, Tensor> = { ...refState.slots };
  const losses: [number, number][] = [];
  for (let t = 1; t <= steps; t++) {
    const x = blankBackgroundImages(batch, spec.inputShape, 1000 + t);
    const labels = seededLabels(batch, m.classes, 2000 + t);
    const masks: Record<string, Tensor> = {};
    for (const d of m.dropoutMasks) {
      const rate = (spec.layers[d.layer] as { rate: number }).rate;
      masks[d.name] = dropoutMask(dropoutLayerSeed(t, d.layer), d.shape, rate);
    }
    const ref = lossAndGradients(spec, refParams, x, labels, { training: true, dropoutSeed: t });
    const next = optimizerStep(opt, refParams, ref.grads, refState);
    refParams = next.params;
    refState = next.state;
    const out = await ortStep(s, m, opt, t, params, slots, x, labels, masks);
    losses.push([out['loss']!.data[0]!, ref.loss]);
    params = Object.fromEntries(
      m.params.map((p) => [p.name, tensor(p.shape, out[m.updated[p.name]!]!.data)]),
    );
    slots = Object.fromEntries(
      m.slots.map((p) => [p.name, tensor(p.shape, out[m.updated[p.name]!]!.data)]),
    );
  }
  await s.release();
  return { params, refParams, slots, refSlots: refState.slots, losses };
}

describe('buildTrainingModel(spec, opt, { batch }) vs reference lossAndGradients + optimizerStep', () => {
  const cases: [string, NetworkSpec, OptimizerSpec][] = [
    [
      'SGD momentum 0.9, weight decay 5e-4',
      mnistTutorialNet,
      { type: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 5e-4 },
    ],
    ['Adam', mnistTutorialNet, { type: 'adam', lr: 0.002 }],
  ];
  test.each(cases)(
    '%s: 20 steps of %s, batch 16, give the same params and slots',
    async (_n, spec, opt) => {
      const r = await trainBoth(spec, opt, 20, 16);
      for (const [name, w] of Object.entries(r.refParams)) {
        expect(maxAbsRelToTensor(r.params[name]!.data, w.data), name).toBeLessThan(TRAIN_TOLERANCE);
      }
      for (const [name, v] of Object.entries(r.refSlots)) {
        expect(maxAbsRelToTensor(r.slots[name]!.data, v.data), name).toBeLessThan(
          TRAIN_TOLERANCE * 10,
        );
      }
      for (const [ortLoss, refLoss] of r.losses)
        expect(Math.abs(ortLoss - refLoss)).toBeLessThan(1e-4);
      // It learned something: the loss went down over the 20 steps.
      expect(r.losses.at(-1)![1]).toBeLessThan(r.losses[0]![1]);
    },
  );

  test('residualNet (a residual add): 20 SGD-momentum steps, batch 8, match', async () => {
    const r = await trainBoth(residualNet, { type: 'sgd', lr: 0.05, momentum: 0.9 }, 20, 8);
    let worst = 0;
    for (const [name, w] of Object.entries(r.refParams)) {
      const e = maxAbsRelToTensor(r.params[name]!.data, w.data);
      worst = Math.max(worst, e);
      expect(e, name).toBeLessThan(TRAIN_TOLERANCE);
    }
    const lossGap = Math.max(...r.losses.map(([a, b]) => Math.abs(a - b)));
    console.log(`residualNet: params ${worst.toExponential(2)}, loss ${lossGap.toExponential(2)}`);
    expect(lossGap).toBeLessThan(1e-4);
    expect(r.losses.at(-1)![1]).toBeLessThan(r.losses[0]![1]);
  });

  test("mnistLargeNet ('same' pads, dropout fed from dropoutMask): 3 SGD steps match", async () => {
    const r = await trainBoth(mnistLargeNet, { type: 'sgd', lr: 0.02, momentum: 0.5 }, 3, 4);
    for (const [name, w] of Object.entries(r.refParams)) {
      expect(maxAbsRelToTensor(r.params[name]!.data, w.data), name).toBeLessThan(TRAIN_TOLERANCE);
    }
  });
});

describe('max-pool backward routes ties to the first maximum', () => {
  // Two input channels and a [1, 1] kernel: every output of the 2×2 window is a + b = 3, a 4-way
  // tie, yet the cells differ in a, so dKernel shows which cell got the gradient.
  const spec: NetworkSpec = {
    name: 'tie',
    inputShape: [2, 2, 2],
    layers: [
      { type: 'conv2d', filters: 1, kernelShape: [1, 1] },
      { type: 'maxPool2d', kernelShape: [2, 2] },
      { type: 'flatten' },
      { type: 'dense', units: 2 },
    ],
  };
  const params: Params = {
    '0.kernel': tensor([1, 2, 1, 1], [1, 1]),
    '0.bias': tensor([1], [0]),
    '3.weight': tensor([2, 1], [0.5, -1]),
    '3.bias': tensor([2], [0, 0]),
  };
  const x = tensor([1, 2, 2, 2], [1, 2, 3, 0, 2, 1, 0, 3]);

  test('dKernel = dPool · (a, b) of the first cell, as the reference engine', async () => {
    const opt: OptimizerSpec = { type: 'sgd', lr: 0.1 };
    const m = buildTrainingModel(spec, opt, { batch: 1, gradients: true });
    const s = await createSession(m.bytes);
    const state = createOptimizerState(opt, params);
    const out = await ortStep(s, m, opt, 1, params, state.slots, x, [0]);
    await s.release();
    const ref = lossAndGradients(spec, params, x, [0]);
    const dKernel = out['grad.0.kernel']!.data;
    expect(maxRelDiff(dKernel, ref.grads['0.kernel']!.data)).toBeLessThan(GRAD_TOLERANCE);
    // The first cell has (a, b) = (1, 2): dKernel is dPool · [1, 2], not dPool · [6, 6] (all ties).
    expect(dKernel[1]! / dKernel[0]!).toBeCloseTo(2, 5);
    for (const name of Object.keys(params)) {
      expect(maxRelDiff(out[`grad.${name}`]!.data, ref.grads[name]!.data), name).toBeLessThan(
        GRAD_TOLERANCE,
      );
    }
  });

  test('on blank-background images the tutorial net gradients match the reference', async () => {
    const spec2 = mnistTutorialNet;
    const opt: OptimizerSpec = { type: 'sgd', lr: 0.1 };
    const p = initParams(spec2, 9);
    // Positive biases make the blank background a plateau of equal positive activations.
    p['0.bias'] = tensor([8], new Array<number>(8).fill(0.05));
    p['3.bias'] = tensor([16], new Array<number>(16).fill(0.05));
    const m = buildTrainingModel(spec2, opt, { batch: 8, gradients: true });
    const s = await createSession(m.bytes);
    const xs = blankBackgroundImages(8, spec2.inputShape, 3);
    const labels = seededLabels(8, 10, 4);
    const out = await ortStep(s, m, opt, 1, p, createOptimizerState(opt, p).slots, xs, labels);
    await s.release();
    const ref = lossAndGradients(spec2, p, xs, labels);
    for (const name of Object.keys(p)) {
      expect(
        maxAbsRelToTensor(out[`grad.${name}`]!.data, ref.grads[name]!.data),
        name,
      ).toBeLessThan(GRAD_TOLERANCE);
    }
    expect(out['accuracy']!.data[0]).toBeCloseTo(ref.accuracy, 6);
  });
});
