/**
 * ORT agreement of the training graph of a fully convolutional net, whose loss is the per-pixel
 * softmax cross-entropy of a logits map (src/onnx/loss-map.ts against
 * src/cnn/ops/pixelCrossEntropy.ts): gradients, loss, pixel accuracy and 10 SGD steps.
 */
import { describe, expect, test } from 'vitest';
import {
  createOptimizerState,
  initParams,
  lossAndGradients,
  optimizerStep,
  pixelSoftmax,
  sceneSegNet,
  tensor,
  tinySegNet,
} from '../../../src/cnn/index.ts';
import type { NetworkSpec, OptimizerSpec, Params, Tensor } from '../../../src/cnn/index.ts';
import { buildForwardModel } from '../../../src/onnx/forward.ts';
import { optimizerScalars } from '../../../src/onnx/optimizer.ts';
import { buildTrainingModel, oneHot } from '../../../src/onnx/train.ts';
import type { TrainingModel } from '../../../src/onnx/train.ts';
import { SCENE_SIZE, downsampleLabels, sceneBatch } from '../../../src/data/scenes.ts';
import { maxRelDiff } from '../helpers/close.ts';
import { createSession } from '../helpers/ort-node.ts';
import type { Feed } from '../helpers/ort-node.ts';
import { blankBackgroundImages, seededLabels } from './nets.ts';

const GRAD_TOLERANCE = 1e-4;

function feeds(
  m: TrainingModel,
  opt: OptimizerSpec,
  t: number,
  params: Params,
  slots: Record<string, Tensor>,
  x: Tensor,
  labels: number[],
): Record<string, Feed> {
  const f: Record<string, Feed> = {
    images: x,
    labels: { shape: m.labelsShape, data: oneHot(labels, m.classes) },
    ...params,
    ...slots,
  };
  for (const [k, v] of Object.entries(optimizerScalars(opt, t)))
    f[k] = { shape: [], data: Float32Array.of(v) };
  return f;
}

async function oneStep(spec: NetworkSpec, x: Tensor, labels: number[]) {
  const opt: OptimizerSpec = { type: 'sgd', lr: 0.1, momentum: 0.9 };
  const params = initParams(spec, 5);
  const m = buildTrainingModel(spec, opt, { batch: x.shape[0]!, gradients: true });
  const s = await createSession(m.bytes);
  const out = await s.run(
    feeds(m, opt, 1, params, createOptimizerState(opt, params).slots, x, labels),
  );
  await s.release();
  return { out, ref: lossAndGradients(spec, params, x, labels), params, m };
}

describe('buildTrainingModel of a net whose output is a map', () => {
  test('tinySegNet: labels are one row per position, [B·h·w, classes]', () => {
    const m = buildTrainingModel(tinySegNet, { type: 'sgd', lr: 0.1 }, { batch: 3 });
    expect(m.labelsShape).toEqual([3 * 4 * 4, 3]);
    expect(m.classes).toBe(3);
  });

  test('tinySegNet: loss, pixel accuracy and every gradient agree with the reference engine', async () => {
    const x = blankBackgroundImages(3, tinySegNet.inputShape, 7);
    const labels = seededLabels(3 * 16, 3, 8);
    const { out, ref, params } = await oneStep(tinySegNet, x, labels);
    expect(Math.abs(out['loss']!.data[0]! - ref.loss)).toBeLessThan(1e-5);
    expect(out['accuracy']!.data[0]).toBeCloseTo(ref.accuracy, 6);
    for (const name of Object.keys(params))
      expect(maxRelDiff(out[`grad.${name}`]!.data, ref.grads[name]!.data), name).toBeLessThan(
        GRAD_TOLERANCE,
      );
  });

  test('sceneSegNet on two real-shaped scenes: one step agrees', async () => {
    // Scenes from a stand-in split (filled squares), labels downsampled as the lab does.
    const images = new Uint8Array(3 * 784);
    for (let k = 0; k < 3; k++)
      for (let r = 6; r < 22; r++)
        for (let c = 8 + k; c < 20; c++) images[k * 784 + r * 28 + c] = 255;
    const split = { images, labels: Uint8Array.of(2, 5, 7), count: 3 };
    const b = sceneBatch(split, 3, [0, 1]);
    const labels = Array.from(downsampleLabels(b.labels, SCENE_SIZE, 4));
    const x = tensor([2, 1, 64, 64], b.images);
    const { out, ref, params } = await oneStep(sceneSegNet, x, labels);
    expect(Math.abs(out['loss']!.data[0]! - ref.loss)).toBeLessThan(1e-5);
    for (const name of Object.keys(params))
      expect(maxRelDiff(out[`grad.${name}`]!.data, ref.grads[name]!.data), name).toBeLessThan(
        GRAD_TOLERANCE,
      );
  });

  test('tinySegNet: 10 SGD-momentum steps give the same weights, and the loss falls', async () => {
    const opt: OptimizerSpec = { type: 'sgd', lr: 0.2, momentum: 0.9 };
    const m = buildTrainingModel(tinySegNet, opt, { batch: 4 });
    const s = await createSession(m.bytes);
    let ref = initParams(tinySegNet, 1);
    let refState = createOptimizerState(opt, ref);
    let params: Params = { ...ref };
    let slots: Record<string, Tensor> = { ...refState.slots };
    const x = blankBackgroundImages(4, tinySegNet.inputShape, 2);
    // A learnable target: a position is class 1 where the image is bright there, else 0.
    const labels: number[] = [];
    for (let n = 0; n < 4; n++)
      for (let r = 0; r < 4; r++)
        for (let c = 0; c < 4; c++) labels.push(x.data[n * 64 + r * 2 * 8 + c * 2]! > 0 ? 1 : 0);
    const losses: number[] = [];
    for (let t = 1; t <= 10; t++) {
      const g = lossAndGradients(tinySegNet, ref, x, labels);
      const next = optimizerStep(opt, ref, g.grads, refState);
      ref = next.params;
      refState = next.state;
      const out = await s.run(feeds(m, opt, t, params, slots, x, labels));
      losses.push(out['loss']!.data[0]!);
      expect(Math.abs(out['loss']!.data[0]! - g.loss)).toBeLessThan(1e-4);
      params = Object.fromEntries(
        m.params.map((p) => [p.name, tensor(p.shape, out[m.updated[p.name]!]!.data)]),
      );
      slots = Object.fromEntries(
        m.slots.map((p) => [p.name, tensor(p.shape, out[m.updated[p.name]!]!.data)]),
      );
    }
    await s.release();
    for (const [name, w] of Object.entries(ref))
      expect(maxRelDiff(params[name]!.data, w.data), name).toBeLessThan(1e-3);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
  });

  test('the forward model gives per-position class probabilities (softmax over axis 1)', async () => {
    const params = initParams(tinySegNet, 3);
    const fm = buildForwardModel(tinySegNet);
    const s = await createSession(fm.bytes);
    const x = blankBackgroundImages(2, tinySegNet.inputShape, 4);
    const out = await s.run({ images: x, ...params }, ['probabilities', 'logits']);
    await s.release();
    const want = pixelSoftmax({ shape: [2, 3, 4, 4], data: out['logits']!.data });
    expect(out['probabilities']!.shape).toEqual([2, 3, 4, 4]);
    expect(maxRelDiff(out['probabilities']!.data, want.data)).toBeLessThan(1e-5);
  });
});
