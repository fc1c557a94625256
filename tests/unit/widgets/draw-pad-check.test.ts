import { describe, expect, it } from 'vitest';
import { initParams, mnistTutorialNet } from '../../../src/cnn/index.ts';
import type { Params } from '../../../src/cnn/index.ts';
import { referenceProbabilities } from '../../../src/widgets/draw-pad/check';

describe('referenceProbabilities(spec, params, pixels): the pad’s check', () => {
  it('gives softmax of the logits: zero weights and biases (0, ln 3, 0, …) → 3/12 and 1/12', () => {
    const params: Params = {};
    const init = initParams(mnistTutorialNet, 1);
    const names = Object.keys(init);
    for (const name of names)
      params[name] = { shape: init[name].shape, data: new Float32Array(init[name].data.length) };
    const lastBias = names.filter((n) => n.endsWith('.bias')).at(-1)!;
    params[lastBias].data[1] = Math.log(3);
    const p = referenceProbabilities(mnistTutorialNet, params, new Float32Array(784).fill(0.5));
    expect(p).toHaveLength(10);
    expect(p[1]).toBeCloseTo(3 / 12, 6);
    expect(p[0]).toBeCloseTo(1 / 12, 6);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });
});
