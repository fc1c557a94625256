import { describe, expect, test } from 'vitest';
import {
  forward,
  initParams,
  mnistLargeNet,
  mnistTutorialNet,
  softmax,
  tinyNet,
} from '../../../src/cnn/index.ts';
import type { NetworkSpec } from '../../../src/cnn/index.ts';
import { buildForwardModel } from '../../../src/onnx/forward.ts';
import { maxRelDiff } from '../helpers/close.ts';
import { runModel } from '../helpers/ort-node.ts';
import type { Feed } from '../helpers/ort-node.ts';
import { blankBackgroundImages } from './nets.ts';

const TOLERANCE = 1e-4;

describe('buildForwardModel(spec) vs reference forward(spec, params, x)', () => {
  const nets: NetworkSpec[] = [mnistTutorialNet, tinyNet, mnistLargeNet];
  test.each(nets.map((n) => [n.name, n] as const))(
    '%s: every activation and probabilities',
    async (_n, spec) => {
      const params = initParams(spec, 7);
      const x = blankBackgroundImages(3, spec.inputShape, 11);
      const ref = forward(spec, params, x);
      const model = buildForwardModel(spec);
      const feeds: Record<string, Feed> = { images: x };
      for (const p of model.paramInputs) feeds[p.name] = params[p.name]!;
      const out = await runModel(model.bytes, feeds);
      expect(model.activationOutputs).toHaveLength(spec.layers.length);
      model.activationOutputs.forEach((name, i) => {
        expect(out[name]!.shape, name).toEqual(ref.activations[i]!.shape);
        expect(maxRelDiff(out[name]!.data, ref.activations[i]!.data), name).toBeLessThan(TOLERANCE);
      });
      expect(maxRelDiff(out['probabilities']!.data, softmax(ref.logits).data)).toBeLessThan(
        TOLERANCE,
      );
    },
  );

  test('params as initializers give the same logits and take only images', async () => {
    const spec = mnistTutorialNet;
    const params = initParams(spec, 3);
    const x = blankBackgroundImages(2, spec.inputShape, 5);
    const model = buildForwardModel(spec, { params, activations: false });
    expect(model.paramInputs).toEqual([]);
    expect(model.activationOutputs).toEqual(['logits']);
    const out = await runModel(model.bytes, { images: x });
    expect(maxRelDiff(out['logits']!.data, forward(spec, params, x).logits.data)).toBeLessThan(
      TOLERANCE,
    );
  });
});
