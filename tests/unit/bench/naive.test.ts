import { describe, expect, it } from 'vitest';
import { lossAndGradients, mnistTutorialNet, tensor } from '../../../src/cnn/index.ts';
import type { Params } from '../../../src/cnn/index.ts';
import { naiveGradients, naiveInit } from '../../../bench/browser/naive.ts';

// The bench's textbook implementation must compute the same thing as the engines it is timed
// against, or its speed means nothing.
describe('bench/browser/naive.ts', () => {
  it("gives the reference engine's loss and gradients for the tutorial net", () => {
    const p = naiveInit(5);
    const params: Params = {
      '0.kernel': tensor([8, 1, 5, 5], p.k1),
      '0.bias': tensor(
        [8],
        Float32Array.from({ length: 8 }, (_, i) => 0.01 * i),
      ),
      '3.kernel': tensor([16, 8, 5, 5], p.k2),
      '3.bias': tensor(
        [16],
        Float32Array.from({ length: 16 }, (_, i) => -0.01 * i),
      ),
      '7.weight': tensor([10, 256], p.w),
      '7.bias': tensor(
        [10],
        Float32Array.from({ length: 10 }, (_, i) => 0.02 * i),
      ),
    };
    p.b1 = params['0.bias']!.data;
    p.b2 = params['3.bias']!.data;
    p.b = params['7.bias']!.data;
    let s = 9;
    const images = Float32Array.from({ length: 3 * 784 }, () => {
      s = (s * 16807) % 2147483647;
      return s % 3 === 0 ? s / 2147483647 : 0;
    });
    const labels = [3, 7, 0];
    const mine = naiveGradients(p, images, labels);
    const ref = lossAndGradients(mnistTutorialNet, params, tensor([3, 1, 28, 28], images), labels);
    expect(mine.loss).toBeCloseTo(ref.loss, 5);
    const pairs: [keyof typeof mine.grads, string][] = [
      ['k1', '0.kernel'],
      ['b1', '0.bias'],
      ['k2', '3.kernel'],
      ['b2', '3.bias'],
      ['w', '7.weight'],
      ['b', '7.bias'],
    ];
    for (const [a, b] of pairs) {
      const g = ref.grads[b]!.data;
      const err = Math.max(...mine.grads[a].map((v, i) => Math.abs(v - g[i]!)));
      expect(err, `${a} vs ${b}`).toBeLessThan(1e-5);
      expect(Math.max(...g.map(Math.abs)), `${b} is not all zero`).toBeGreaterThan(1e-4);
    }
  });
});
