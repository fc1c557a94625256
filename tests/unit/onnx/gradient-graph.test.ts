import { describe, expect, test } from 'vitest';
import {
  backward,
  initParams,
  mnistTutorialNet,
  residualNet,
  tensor,
  tinyNet,
} from '../../../src/cnn/index.ts';
import type { NetworkSpec, Tensor } from '../../../src/cnn/index.ts';
import { buildGradientModel, layerGradientName } from '../../../src/onnx/index.ts';
import { oneHot } from '../../../src/onnx/train.ts';
import { createSession } from '../helpers/ort-node.ts';
import type { Feed } from '../helpers/ort-node.ts';
import { blankBackgroundImages, seededLabels } from './nets.ts';

/** Max |ORT − reference| relative to the largest reference value of that tensor. */
const TOLERANCE = 1e-4;

function relToScale(got: Float32Array, want: Float32Array): number {
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  return worst / Math.max(scale, 1e-12);
}

async function compare(spec: NetworkSpec, seed: 'labels' | 'dLogits', batch: number) {
  const model = buildGradientModel(spec, { batch, seed, layerGradients: 'all' });
  const params = initParams(spec, 3);
  const x = blankBackgroundImages(batch, spec.inputShape, 4);
  const labels = seededLabels(batch, 10, 5);
  const dLogits: Tensor = tensor([batch, 10], oneHot(labels, 10));
  const feeds: Record<string, Feed> = { images: x, ...params };
  feeds[seed] = { shape: [batch, 10], data: oneHot(labels, 10) };
  const s = await createSession(model.bytes);
  const out = await s.run(feeds);
  await s.release();
  const ref = backward(spec, params, x, seed === 'labels' ? { labels } : { dLogits }, {
    layerGradients: true,
    inputGradient: true,
  });
  expect(Object.keys(out).sort()).toEqual([...model.outputNames].sort());
  const errors: Record<string, number> = {};
  for (let i = 0; i < spec.layers.length - 1; i++) {
    errors[layerGradientName(i)] = relToScale(
      out[layerGradientName(i)]!.data,
      ref.layerGradients![i]!.data,
    );
  }
  errors['dinput'] = relToScale(out['dinput']!.data, ref.dx!.data);
  for (const [name, g] of Object.entries(ref.grads))
    errors[`grad.${name}`] = relToScale(out[`grad.${name}`]!.data, g.data);
  for (const [name, e] of Object.entries(errors)) expect(e, name).toBeLessThan(TOLERANCE);
  if (seed === 'labels') expect(out['loss']!.data[0]).toBeCloseTo(ref.loss!, 5);
}

describe('buildGradientModel(spec, { seed, layerGradients, inputGradient }) vs reference backward()', () => {
  test('tinyNet seeded with labels: every dact.i, dinput and grad.* (the backprop lesson)', () =>
    compare(tinyNet, 'labels', 1));
  test('mnistTutorialNet seeded with a one-hot dLogits (saliency), batch 2', () =>
    compare(mnistTutorialNet, 'dLogits', 2));

  test('residualNet (gradients meet at the add’s skip) seeded with labels, batch 2', () =>
    compare(residualNet, 'labels', 2));

  test('only the outputs asked for', () => {
    const m = buildGradientModel(tinyNet, {
      seed: 'dLogits',
      layerGradients: [2],
      parameterGradients: false,
    });
    expect(m.outputNames).toEqual(['logits', 'dact.2', 'dinput']);
    expect(m.inputNames).toEqual(['images', 'dLogits', '0.kernel', '0.bias', '4.weight', '4.bias']);
    expect(() => buildGradientModel(tinyNet, { layerGradients: [4] })).toThrow(
      /layer 4 is not a layer below the logits/,
    );
  });
});
