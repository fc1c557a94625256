import { describe, expect, test } from 'vitest';
import {
  accuracy,
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
} from '../../../src/cnn/ops/crossEntropy.ts';
import { dropout, dropoutBackward, dropoutMask } from '../../../src/cnn/ops/dropout.ts';
import { flatten, flattenBackward } from '../../../src/cnn/ops/flatten.ts';
import { leakyRelu, leakyReluBackward } from '../../../src/cnn/ops/leakyRelu.ts';
import { linear, linearBackward } from '../../../src/cnn/ops/linear.ts';
import { relu, reluBackward } from '../../../src/cnn/ops/relu.ts';
import { sigmoid, sigmoidBackward } from '../../../src/cnn/ops/sigmoid.ts';
import { softmax, softmaxBackward } from '../../../src/cnn/ops/softmax.ts';
import { tanh, tanhBackward } from '../../../src/cnn/ops/tanh.ts';
import { createRng } from '../../../src/cnn/random.ts';
import { fromNested, tensor } from '../../../src/cnn/tensor.ts';
import { expectTensor } from './helpers.ts';

const v = fromNested([-1, 0, 2]); // [3]
const ones3 = fromNested([1, 1, 1]);

describe('activations', () => {
  test('relu(x) and reluBackward(x, dy): the derivative at exactly 0 is 0', () => {
    expectTensor(relu(v), [3], [0, 0, 2]);
    expectTensor(reluBackward(v, ones3), [3], [0, 0, 1]);
  });
  test('leakyRelu(x, 0.1) and leakyReluBackward(x, dy, 0.1): slope alpha at and below 0', () => {
    expectTensor(leakyRelu(v, 0.1), [3], [-0.1, 0, 2]);
    expectTensor(leakyReluBackward(v, ones3, 0.1), [3], [0.1, 0.1, 1]);
    expectTensor(leakyRelu(fromNested([-100])), [1], [-1]); // ONNX default alpha 0.01
  });
  test('sigmoid(x): σ(0) = 1/2, σ(ln 3) = 3/4, no overflow at ±1000', () => {
    expectTensor(sigmoid(fromNested([0, Math.log(3), 1000, -1000])), [4], [0.5, 0.75, 1, 0]);
    const y = fromNested([0.5, 0.75]);
    expectTensor(sigmoidBackward(y, fromNested([1, 2])), [2], [0.25, 2 * 0.1875]);
  });
  test('tanh(x) and tanhBackward(y, dy) = dy·(1 − y²)', () => {
    expectTensor(tanh(fromNested([0, Math.atanh(0.5)])), [2], [0, 0.5]);
    expectTensor(tanhBackward(fromNested([0, 0.5]), fromNested([2, 2])), [2], [2, 1.5]);
  });
  test('reluBackward refuses an output gradient of another shape', () => {
    expect(() => reluBackward(v, fromNested([1, 1]))).toThrow(
      'reluBackward: output gradient shape [2] does not match saved tensor shape [3]',
    );
  });
});

describe('flatten', () => {
  test('flatten(x) turns [N, C, H, W] into [N, C·H·W] in NCHW order; flattenBackward undoes it', () => {
    const x = tensor([2, 2, 1, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    expectTensor(flatten(x), [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(flattenBackward(flatten(x), [2, 2, 1, 2]).shape).toEqual([2, 2, 1, 2]);
  });
});

describe('linear (Gemm, y = x·Wᵀ + b)', () => {
  const x = fromNested([[1, 2]]); // [1, 2]
  const w = fromNested([
    [1, 0],
    [0, 1],
    [1, 1],
  ]); // [3 units, 2 features]
  test('linear(x, weight, bias) matches hand-computed rows', () => {
    expectTensor(linear(x, w, fromNested([0, 0, 1])), [1, 3], [1, 2, 4]);
  });
  test('linearBackward(x, weight, dy): dx = dy·W, dW = dyᵀ·x, db = Σ dy', () => {
    const { dx, dWeight, dBias } = linearBackward(x, w, fromNested([[1, 2, 3]]));
    expectTensor(dx!, [1, 2], [1 + 3, 2 + 3]);
    expectTensor(dWeight, [3, 2], [1, 2, 2, 4, 3, 6]);
    expectTensor(dBias, [3], [1, 2, 3]);
  });
  test('linear refuses a weight whose features do not match the input, quoting both shapes', () => {
    expect(() => linear(tensor([4, 256]), tensor([10, 255]))).toThrow(
      'linear: weight expects 255 input features but input has 256 (input [4, 256], weight [10, 255])',
    );
  });
});

describe('softmax and cross-entropy', () => {
  test('softmax([[ln 1, ln 2, ln 3]]) = [1/6, 2/6, 3/6]; it is shift-invariant', () => {
    const logs = fromNested([
      [0, Math.log(2), Math.log(3)],
      [1000, 1000 + Math.log(2), 1000 + Math.log(3)],
    ]);
    expectTensor(softmax(logs), [2, 3], [1 / 6, 2 / 6, 3 / 6, 1 / 6, 2 / 6, 3 / 6]);
  });
  test('softmaxBackward(y, dy) = y·(dy − Σ dy·y)', () => {
    const y = fromNested([[0.5, 0.5]]);
    // Σ dy·y = 0.5; dx = [0.5·(1 − 0.5), 0.5·(0 − 0.5)]
    expectTensor(softmaxBackward(y, fromNested([[1, 0]])), [1, 2], [0.25, -0.25]);
  });
  test('softmaxCrossEntropy(logits, labels) is the batch mean of −log p[label]', () => {
    const logits = fromNested([
      [0, 0],
      [Math.log(3), 0],
    ]);
    const { loss, probs } = softmaxCrossEntropy(logits, [0, 0]);
    expect(loss).toBeCloseTo((Math.log(2) - Math.log(0.75)) / 2, 6);
    expectTensor(probs, [2, 2], [0.5, 0.5, 0.75, 0.25]);
    // (p − onehot) / N
    expectTensor(softmaxCrossEntropyBackward(probs, [0, 0]), [2, 2], [-0.25, 0.25, -0.125, 0.125]);
  });
  test('softmaxCrossEntropy stays finite for huge logits (logsumexp with the max subtracted)', () => {
    const { loss } = softmaxCrossEntropy(fromNested([[1000, 0]]), [1]);
    expect(loss).toBeCloseTo(1000, 3);
    expect(softmaxCrossEntropy(fromNested([[1000, 0]]), [0]).loss).toBeCloseTo(0, 6);
  });
  test('accuracy(logits, labels) counts rows whose largest logit is the label', () => {
    expect(
      accuracy(
        fromNested([
          [0, 1],
          [2, 1],
          [0, 0],
        ]),
        [1, 1, 0],
      ),
    ).toBeCloseTo(2 / 3);
  });
  test('softmaxCrossEntropy refuses labels outside [0, classes) and a wrong label count', () => {
    expect(() => softmaxCrossEntropy(fromNested([[0, 0]]), [2])).toThrow(
      'softmaxCrossEntropy: label 0 must be an integer class in [0, 2), got 2',
    );
    expect(() => softmaxCrossEntropy(fromNested([[0, 0]]), [0, 1])).toThrow(
      'softmaxCrossEntropy: got 2 labels for a batch of 1 logit rows',
    );
  });
});

describe('dropout', () => {
  test('dropoutMask(seed, shape, rate) keeps element k (as 1/(1 − rate)) iff the k-th uniform ≥ rate', () => {
    const mask = dropoutMask(7, [2, 5], 0.5);
    const rng = createRng(7);
    const expected = Array.from({ length: 10 }, () => (rng.uniform() >= 0.5 ? 2 : 0));
    expectTensor(mask, [2, 5], expected);
  });
  test('dropoutMask is reproducible from its seed and drops about `rate` of the units', () => {
    const a = dropoutMask(42, [100, 100], 0.25);
    expect(dropoutMask(42, [100, 100], 0.25).data).toEqual(a.data);
    expect(dropoutMask(43, [100, 100], 0.25).data).not.toEqual(a.data);
    const dropped = a.data.filter((m) => m === 0).length / a.data.length;
    expect(dropped).toBeGreaterThan(0.23);
    expect(dropped).toBeLessThan(0.27);
    expect(new Set(a.data)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
  });
  test('dropout(x, {training: true}) multiplies by the mask; dropoutBackward does the same to dy', () => {
    const x = tensor(
      [1, 10],
      Array.from({ length: 10 }, (_, k) => k + 1),
    );
    const { y, mask } = dropout(x, { rate: 0.5, training: true, seed: 7 });
    expect(Array.from(y.data)).toEqual(Array.from(x.data).map((val, k) => val * mask!.data[k]));
    const dx = dropoutBackward(tensor([1, 10], new Array(10).fill(1)), mask);
    expect(dx.data).toEqual(mask!.data);
  });
  test('dropout(x, {training: false}) is the identity', () => {
    const x = fromNested([[1, 2, 3]]);
    const { y, mask } = dropout(x, { rate: 0.5, training: false });
    expect(y.data).toEqual(x.data);
    expect(mask).toBeNull();
  });
  test('dropout refuses rate 1 and training without a seed', () => {
    expect(() => dropoutMask(1, [2], 1)).toThrow(
      'dropoutMask: rate must be in [0, 1) (the probability of dropping), got 1',
    );
    expect(() => dropout(v, { rate: 0.5, training: true })).toThrow(
      'dropout: training mode needs a seed, got undefined',
    );
  });
});
