/**
 * ORT agreement of the training graph of a net with a detection head (src/onnx/loss-detect.ts
 * against src/cnn/ops/detectionLoss.ts): gradients, loss, pixel accuracy, SGD steps, and the
 * forward model's head outputs.
 */
import { describe, expect, test } from 'vitest';
import {
  createOptimizerState,
  detectionOutputs,
  initParams,
  lossAndGradients,
  optimizerStep,
  sceneDetectNet,
  tensor,
  tinyDetectNet,
} from '../../../src/cnn/index.ts';
import type { NetworkSpec, OptimizerSpec, Params, Tensor } from '../../../src/cnn/index.ts';
import { buildForwardModel } from '../../../src/onnx/forward.ts';
import { optimizerScalars } from '../../../src/onnx/optimizer.ts';
import { buildTrainingModel } from '../../../src/onnx/train.ts';
import { SCENE_SIZE, downsampleLabels, sceneBatch } from '../../../src/data/scenes.ts';
import { detectionTargets } from '../../../src/data/detect-head.ts';
import { createRng } from '../../../src/cnn/random.ts';
import { maxRelDiff } from '../helpers/close.ts';
import { createSession } from '../helpers/ort-node.ts';
import type { Feed } from '../helpers/ort-node.ts';
import { blankBackgroundImages } from './nets.ts';

const GRAD_TOLERANCE = 1e-4;

/** Random target rows [R, 2K + 5]: a class per block, a centre in about one cell of three. */
function randomTargets(rows: number, K: number, seed: number): Tensor {
  const rng = createRng(seed);
  const T = 2 * K + 5;
  const t = new Float32Array(rows * T);
  for (let r = 0; r < rows; r++) {
    t[r * T + rng.int(K)] = 1;
    const centred = rng.int(3) === 0;
    t[r * T + K + (centred ? rng.int(K - 1) : K - 1)] = 1;
    for (let c = 0; c < 4; c++) t[r * T + 2 * K + c] = rng.int(100) / 100;
    t[r * T + 2 * K + 4] = centred ? 1 : 0;
  }
  return { shape: [rows, T], data: t };
}

function feeds(
  opt: OptimizerSpec,
  t: number,
  params: Params,
  slots: Record<string, Tensor>,
  x: Tensor,
  targets: Tensor,
): Record<string, Feed> {
  const f: Record<string, Feed> = { images: x, labels: targets, ...params, ...slots };
  for (const [k, v] of Object.entries(optimizerScalars(opt, t)))
    f[k] = { shape: [], data: Float32Array.of(v) };
  return f;
}

async function oneStep(spec: NetworkSpec, x: Tensor, targets: Tensor) {
  const opt: OptimizerSpec = { type: 'sgd', lr: 0.1, momentum: 0.9 };
  const params = initParams(spec, 5);
  const m = buildTrainingModel(spec, opt, { batch: x.shape[0]!, gradients: true });
  const s = await createSession(m.bytes);
  const out = await s.run(
    feeds(opt, 1, params, createOptimizerState(opt, params).slots, x, targets),
  );
  await s.release();
  return { out, ref: lossAndGradients(spec, params, x, targets), params };
}

describe('buildTrainingModel of a net with a detection head', () => {
  test('tinyDetectNet: the labels input is its target rows, [B·h·w, 2K + 5]', () => {
    const m = buildTrainingModel(tinyDetectNet, { type: 'sgd', lr: 0.1 }, { batch: 3 });
    expect(m.labelsShape).toEqual([3 * 4 * 4, 11]);
  });

  test('tinyDetectNet: loss, pixel accuracy and every gradient agree with the reference engine', async () => {
    const x = blankBackgroundImages(3, tinyDetectNet.inputShape, 7);
    const { out, ref, params } = await oneStep(tinyDetectNet, x, randomTargets(48, 3, 8));
    expect(Math.abs(out['loss']!.data[0]! - ref.loss)).toBeLessThan(1e-5);
    expect(out['accuracy']!.data[0]).toBeCloseTo(ref.accuracy, 6);
    for (const name of Object.keys(params))
      expect(maxRelDiff(out[`grad.${name}`]!.data, ref.grads[name]!.data), name).toBeLessThan(
        GRAD_TOLERANCE,
      );
  });

  test('sceneDetectNet on two scenes, targets encoded from their boxes: one step agrees', async () => {
    const images = new Uint8Array(3 * 784);
    for (let k = 0; k < 3; k++)
      for (let r = 6; r < 22; r++)
        for (let c = 8 + k; c < 20; c++) images[k * 784 + r * 28 + c] = 255;
    const split = { images, labels: Uint8Array.of(2, 5, 7), count: 3 };
    const b = sceneBatch(split, 3, [0, 1]);
    const cells = downsampleLabels(b.labels, SCENE_SIZE, 4);
    const digits = b.scenes.map((s) => s.digits);
    const targets = tensor(
      [2 * 256, 27],
      detectionTargets(cells, digits, { classes: 11, grid: 16, size: SCENE_SIZE }),
    );
    const x = tensor([2, 1, 64, 64], b.images);
    const { out, ref, params } = await oneStep(sceneDetectNet, x, targets);
    expect(Math.abs(out['loss']!.data[0]! - ref.loss)).toBeLessThan(1e-5);
    for (const name of Object.keys(params))
      expect(maxRelDiff(out[`grad.${name}`]!.data, ref.grads[name]!.data), name).toBeLessThan(
        GRAD_TOLERANCE,
      );
  });

  test('tinyDetectNet: 10 SGD-momentum steps give the same weights, and the loss falls', async () => {
    const opt: OptimizerSpec = { type: 'sgd', lr: 0.05, momentum: 0.9 };
    const m = buildTrainingModel(tinyDetectNet, opt, { batch: 4 });
    const s = await createSession(m.bytes);
    let ref = initParams(tinyDetectNet, 1);
    let refState = createOptimizerState(opt, ref);
    let params: Params = { ...ref };
    let slots: Record<string, Tensor> = { ...refState.slots };
    const x = blankBackgroundImages(4, tinyDetectNet.inputShape, 2);
    const targets = randomTargets(64, 3, 3);
    const losses: number[] = [];
    for (let t = 1; t <= 10; t++) {
      const g = lossAndGradients(tinyDetectNet, ref, x, targets);
      const next = optimizerStep(opt, ref, g.grads, refState);
      ref = next.params;
      refState = next.state;
      const out = await s.run(feeds(opt, t, params, slots, x, targets));
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

  test('the forward model gives the head outputs: two softmaxes and the raw box numbers', async () => {
    const params = initParams(tinyDetectNet, 3);
    const fm = buildForwardModel(tinyDetectNet);
    const s = await createSession(fm.bytes);
    const x = blankBackgroundImages(2, tinyDetectNet.inputShape, 4);
    const out = await s.run({ images: x, ...params }, ['probabilities', 'logits']);
    await s.release();
    const logits = { shape: [2, 10, 4, 4], data: out['logits']!.data };
    const want = detectionOutputs(logits, tinyDetectNet.head!);
    expect(out['probabilities']!.shape).toEqual([2, 10, 4, 4]);
    expect(maxRelDiff(out['probabilities']!.data, want.data)).toBeLessThan(1e-5);
  });
});
