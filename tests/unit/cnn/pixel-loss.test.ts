import { describe, expect, test } from 'vitest';
import {
  fromPixelRows,
  pixelSoftmax,
  pixelSoftmaxCrossEntropy,
  toPixelRows,
} from '../../../src/cnn/ops/pixelCrossEntropy.ts';
import { outputShapes } from '../../../src/cnn/nn/shapes.ts';
import { sceneSegNet } from '../../../src/cnn/nn/scene-presets.ts';
import { createRng, randomTensor } from './helpers.ts';
import { numericGradient, relativeError } from './reference64.ts';

describe('toPixelRows(x) and fromPixelRows(rows, shape)', () => {
  test('[1, 2, 1, 2] → rows are the two classes at each position, and back', () => {
    // class 0 map [1, 2], class 1 map [3, 4] → rows (1, 3), (2, 4)
    const x = { shape: [1, 2, 1, 2], data: Float32Array.of(1, 2, 3, 4) };
    const rows = toPixelRows(x);
    expect(rows.shape).toEqual([2, 2]);
    expect(Array.from(rows.data)).toEqual([1, 3, 2, 4]);
    expect(fromPixelRows(rows, x.shape)).toEqual(x);
    expect(() => fromPixelRows(rows, [1, 2, 2, 2])).toThrow(/do not fit a map \[1, 2, 2, 2\]/);
  });
});

describe('pixelSoftmaxCrossEntropy(logits, labels)', () => {
  test('hand-computed: two positions, two classes', () => {
    // position 0: z = (0, 0), label 1 → loss ln 2; position 1: z = (ln 3, 0), label 0 →
    // p = (3/4, 1/4), loss −ln(3/4). Mean (ln 2 − ln 0.75) / 2; accuracy: position 0's tie goes
    // to class 0 (wrong), position 1 right → 1/2.
    const logits = { shape: [1, 2, 1, 2], data: Float32Array.of(0, Math.log(3), 0, 0) };
    const r = pixelSoftmaxCrossEntropy(logits, [1, 0]);
    expect(r.loss).toBeCloseTo((Math.log(2) - Math.log(0.75)) / 2, 6);
    expect(r.accuracy).toBe(0.5);
    // dz = (p − onehot) / 2, laid out as the map: class 0 (0.5 − 0, 0.75 − 1)/2, class 1 (0.5 − 1, 0.25)/2
    expect(Array.from(r.dLogits.data).map((v) => +v.toFixed(6))).toEqual([
      0.25, -0.125, -0.25, 0.125,
    ]);
    expect(Array.from(pixelSoftmax(logits).data).map((v) => +v.toFixed(6))).toEqual([
      0.5, 0.75, 0.5, 0.25,
    ]);
  });

  test('dLogits matches float64 central differences of the loss', () => {
    const rng = createRng(41);
    const logits = randomTensor(rng, [2, 4, 3, 2], 3);
    const labels = Array.from({ length: 2 * 3 * 2 }, () => rng.int(4));
    const z64 = Float64Array.from(logits.data);
    const loss64 = () => {
      let total = 0;
      const [N, K, H, W] = logits.shape;
      for (let n = 0; n < N; n++)
        for (let p = 0; p < H * W; p++) {
          let sum = 0;
          for (let k = 0; k < K; k++) sum += Math.exp(z64[(n * K + k) * H * W + p]!);
          total += Math.log(sum) - z64[(n * K + labels[n * H * W + p]!) * H * W + p]!;
        }
      return total / (N * H * W);
    };
    const r = pixelSoftmaxCrossEntropy(logits, labels);
    expect(r.loss).toBeCloseTo(loss64(), 5);
    const err = relativeError(r.dLogits.data, numericGradient(z64, loss64));
    expect(err).toBeLessThan(1e-4);
  });

  test('refuses labels that do not cover every position', () => {
    const logits = { shape: [1, 2, 1, 2], data: new Float32Array(4) };
    expect(() => pixelSoftmaxCrossEntropy(logits, [0])).toThrow(/got 1 labels for 2 positions/);
  });
});

test('sceneSegNet maps a 64×64 scene to 11 scores on a 16×16 grid', () => {
  expect(outputShapes(sceneSegNet, 2).at(-1)).toEqual([2, 11, 16, 16]);
});
