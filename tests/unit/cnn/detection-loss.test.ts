import { describe, expect, test } from 'vitest';
import { detectionLoss, detectionOutputs } from '../../../src/cnn/ops/detectionLoss.ts';
import type { DetectionHead } from '../../../src/cnn/ops/detectionLoss.ts';
import { lossAndGradients } from '../../../src/cnn/nn/network.ts';
import { initParams } from '../../../src/cnn/nn/params.ts';
import { outputShapes } from '../../../src/cnn/nn/shapes.ts';
import { sceneDetectNet, tinyDetectNet } from '../../../src/cnn/nn/scene-presets.ts';
import { createRng, randomTensor } from './helpers.ts';
import { numericGradient, relativeError } from './reference64.ts';

const HEAD2: DetectionHead = { type: 'detect', classes: 2, centreWeight: 2, boxWeight: 3 };

/** One cell of a K = 2 head: logits (8 channels) and its target row (9 columns). */
const cell = (logits: number[], target: number[]) => ({
  logits: { shape: [1, 8, 1, 1], data: Float32Array.from(logits) },
  targets: { shape: [1, 9], data: Float32Array.from(target) },
});

describe('detectionLoss(logits, targets, head)', () => {
  test('hand-computed: one cell that holds a centre', () => {
    // seg z = (0, 0), label 1 → ln 2; centre z = (ln 3, 0), label 0 → p = (3/4, 1/4), −ln(3/4),
    // weighted 2; box (0.5, 0.5, 0.2, 0.3) against (0.25, 0.5, 0.2, 0.1): squares 0.0625 + 0.04,
    // weighted 3 / N = 3 → 0.3075.
    const { logits, targets } = cell(
      [0, 0, Math.log(3), 0, 0.5, 0.5, 0.2, 0.3],
      [0, 1, 1, 0, 0.25, 0.5, 0.2, 0.1, 1],
    );
    const r = detectionLoss(logits, targets, HEAD2);
    expect(r.parts.segmentation).toBeCloseTo(Math.log(2), 6);
    expect(r.parts.centre).toBeCloseTo(-2 * Math.log(0.75), 6);
    expect(r.parts.box).toBeCloseTo(0.3075, 6);
    expect(r.loss).toBeCloseTo(Math.log(2) - 2 * Math.log(0.75) + 0.3075, 6);
    expect(r.accuracy).toBe(0); // the tie goes to class 0, the label is 1
    // seg p − y = (0.5, −0.5); centre 2·(0.75 − 1, 0.25); box 2·3·(0.25, 0, 0, 0.2)
    expect(Array.from(r.dLogits.data).map((v) => +v.toFixed(6))).toEqual([
      0.5, -0.5, -0.5, 0.5, 1.5, 0, 0, 1.2,
    ]);
  });

  test('a cell without a centre: the box channels get no loss and no gradient', () => {
    const { logits, targets } = cell([1, 0, 0, 2, 9, -9, 5, 5], [1, 0, 0, 1, 0, 0, 0, 0, 0]);
    const r = detectionLoss(logits, targets, HEAD2);
    expect(r.parts.box).toBe(0);
    expect(Array.from(r.dLogits.data.subarray(4), Math.abs)).toEqual([0, 0, 0, 0]);
    expect(r.accuracy).toBe(1);
  });

  test('dLogits matches float64 central differences of the loss, written on the NCHW map', () => {
    const rng = createRng(12);
    const head: DetectionHead = { type: 'detect', classes: 3, centreWeight: 1.5, boxWeight: 2 };
    const [N, K, H, W] = [2, 3, 2, 3];
    const C = 2 * K + 4;
    const logits = randomTensor(rng, [N, C, H, W], 2);
    const T = 2 * K + 5;
    const t = new Float32Array(N * H * W * T);
    for (let r = 0; r < N * H * W; r++) {
      t[r * T + rng.int(K)] = 1;
      const centred = rng.int(3) === 0;
      t[r * T + K + (centred ? rng.int(K - 1) : K - 1)] = 1;
      for (let c = 0; c < 4; c++) t[r * T + 2 * K + c] = rng.int(100) / 100;
      t[r * T + 2 * K + 4] = centred ? 1 : 0;
    }
    const z64 = Float64Array.from(logits.data);
    const at = (n: number, ch: number, p: number) => z64[(n * C + ch) * H * W + p]!;
    const ce = (n: number, p: number, from: number, label: number) => {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(at(n, from + k, p));
      return Math.log(sum) - at(n, from + label, p);
    };
    const loss64 = () => {
      let seg = 0;
      let centre = 0;
      let box = 0;
      for (let n = 0; n < N; n++)
        for (let p = 0; p < H * W; p++) {
          const row = (n * H * W + p) * T;
          const label = (from: number) => [0, 1, 2].find((k) => t[row + from + k] === 1)!;
          seg += ce(n, p, 0, label(0));
          centre += ce(n, p, K, label(K));
          for (let c = 0; c < 4; c++)
            box += t[row + 2 * K + 4]! * (at(n, 2 * K + c, p) - t[row + 2 * K + c]!) ** 2;
        }
      const R = N * H * W;
      return seg / R + (head.centreWeight * centre) / R + (head.boxWeight / N) * box;
    };
    const r = detectionLoss(logits, { shape: [N * H * W, T], data: t }, head);
    expect(r.loss).toBeCloseTo(loss64(), 5);
    expect(relativeError(r.dLogits.data, numericGradient(z64, loss64))).toBeLessThan(1e-4);
  });

  test('refuses a map of the wrong width and targets without a class', () => {
    const { logits, targets } = cell([0, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => detectionLoss(logits, targets, { ...HEAD2, classes: 3 })).toThrow(
      /needs 10 channels, the logits have 8/,
    );
    expect(() => detectionLoss(logits, targets, HEAD2)).toThrow(/row 0 has no centre class/);
  });
});

test('detectionOutputs: a softmax over each block of K, the box numbers as they are', () => {
  const { logits } = cell([0, 0, Math.log(3), 0, 0.5, -1, 0.2, 7], []);
  const out = Array.from(detectionOutputs(logits, HEAD2).data).map((v) => +v.toFixed(6));
  expect(out).toEqual([0.5, 0.5, 0.75, 0.25, 0.5, -1, 0.2, 7]);
});

test('lossAndGradients of a net with a head takes target rows, and refuses plain labels', () => {
  const params = initParams(tinyDetectNet, 1);
  const x = { shape: [1, 1, 8, 8], data: new Float32Array(64).fill(0.5) };
  const T = 11;
  const t = new Float32Array(16 * T);
  for (let r = 0; r < 16; r++) {
    t[r * T + 2] = 1;
    t[r * T + 5] = 1;
  }
  const g = lossAndGradients(tinyDetectNet, params, x, { shape: [16, T], data: t });
  expect(Number.isFinite(g.loss)).toBe(true);
  expect(Object.keys(g.grads).sort()).toEqual(Object.keys(params).sort());
  expect(() => lossAndGradients(tinyDetectNet, params, x, new Array(16).fill(0))).toThrow(
    /has a detection head; it trains on target rows/,
  );
});

test('sceneDetectNet maps a 64×64 scene to 26 channels on a 16×16 grid', () => {
  expect(outputShapes(sceneDetectNet, 2).at(-1)).toEqual([2, 26, 16, 16]);
});
