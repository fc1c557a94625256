/**
 * Every op against an independent float64 oracle (reference64.ts), forward and backward:
 * the loss L = Σ w·op(x) with random weights w has dL/d(op output) = w, so op's backward with
 * dy = w must equal float64 central differences of L. Shapes and attributes are drawn from seeded
 * random cases (strides, asymmetric pads, dilations, groups).
 */
import { describe, expect, test } from 'vitest';
import { avgPool2d, avgPool2dBackward } from '../../../src/cnn/ops/avgPool2d.ts';
import * as equation from '../../../src/cnn/ops/conv2d.ts';
import { conv2dFast, conv2dFastBackward } from '../../../src/cnn/ops/conv2dFast.ts';
import { convTranspose2d, convTranspose2dBackward } from '../../../src/cnn/ops/convTranspose2d.ts';
import {
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
} from '../../../src/cnn/ops/crossEntropy.ts';
import { leakyRelu, leakyReluBackward } from '../../../src/cnn/ops/leakyRelu.ts';
import { linear, linearBackward } from '../../../src/cnn/ops/linear.ts';
import { maxPool2dBackward, maxPool2dWithArgmax } from '../../../src/cnn/ops/maxPool2d.ts';
import { relu, reluBackward } from '../../../src/cnn/ops/relu.ts';
import { sigmoid, sigmoidBackward } from '../../../src/cnn/ops/sigmoid.ts';
import { softmax, softmaxBackward } from '../../../src/cnn/ops/softmax.ts';
import { tanh, tanhBackward } from '../../../src/cnn/ops/tanh.ts';
import { convGeometry } from '../../../src/cnn/geometry.ts';
import type { Tensor } from '../../../src/cnn/tensor.ts';
import { createRng, distinctTensor, randomTensor } from './helpers.ts';
import {
  conv64,
  convTranspose64,
  crossEntropy64,
  dot64,
  linear64,
  map64,
  numericGradient,
  pool64,
  relativeError,
  t64,
} from './reference64.ts';
import type { Pads4, T64 } from './reference64.ts';

const CASES = 40;
const to64 = (t: Tensor): T64 => t64([...t.shape], t.data);
/** Forward float32 vs float64 and gradient vs finite differences: relative error bounds. */
const FORWARD_TOL = 1e-5;
const GRAD_TOL = 1e-4;

function expectClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: number) {
  const err = relativeError(got, want);
  if (!(err < tol)) throw new Error(`${what}: relative error ${err.toExponential(2)} ≥ ${tol}`);
}

function randomConvCase(seed: number) {
  const rng = createRng(seed);
  const pick = <T>(xs: T[]): T => xs[rng.int(xs.length)];
  const group = pick([1, 1, 2, 3]);
  const channelsPerGroup = 1 + rng.int(2);
  const filtersPerGroup = 1 + rng.int(6); // up to 6: exercises the 4-filter blocks and leftovers
  const kernel: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
  const strides: [number, number] = [1 + rng.int(2), 1 + rng.int(2)];
  const dilations: [number, number] = [1 + rng.int(2), 1 + rng.int(2)];
  const pads: Pads4 = [rng.int(3), rng.int(3), rng.int(3), rng.int(3)];
  const H = 2 + rng.int(6);
  const W = 2 + rng.int(6);
  return {
    x: randomTensor(rng, [1 + rng.int(2), channelsPerGroup * group, H, W]),
    kernel: randomTensor(rng, [filtersPerGroup * group, channelsPerGroup, ...kernel]),
    attrs: { strides, dilations, pads, group },
    rng,
  };
}

function fits(
  x: Tensor,
  kernel: Tensor,
  attrs: { strides: [number, number]; dilations: [number, number]; pads: Pads4 },
) {
  try {
    convGeometry({
      inputShape: x.shape,
      kernelShape: [kernel.shape[2], kernel.shape[3]],
      ...attrs,
    });
    return true;
  } catch {
    return false;
  }
}

describe.each([
  { name: 'conv2d.ts', ...equation },
  { name: 'conv2dFast.ts', conv2d: conv2dFast, conv2dBackward: conv2dFastBackward },
])(
  '$name against float64 (forward, and backward by finite differences)',
  ({ conv2d, conv2dBackward }) => {
    let checked = 0;
    for (let seed = 1; checked < CASES && seed < 500; seed++) {
      const { x, kernel, attrs, rng } = randomConvCase(seed);
      if (!fits(x, kernel, attrs)) continue;
      checked++;
      const name = `conv2d(x ${JSON.stringify(x.shape)}, kernel ${JSON.stringify(kernel.shape)}, ${JSON.stringify(attrs)}) seed ${seed}`;
      test(name, () => {
        const bias = randomTensor(rng, [kernel.shape[0]]);
        const y = conv2d(x, kernel, { ...attrs, bias });
        const x64 = to64(x);
        const k64 = to64(kernel);
        const b64 = to64(bias);
        const run = () =>
          conv64(x64, k64, b64, attrs.strides, attrs.pads, attrs.dilations, attrs.group);
        expect(y.shape).toEqual(run().shape);
        expectClose('forward', y.data, run().data, FORWARD_TOL);

        const w = randomTensor(rng, [...y.shape]);
        const loss = () => dot64(w.data, run());
        const { dx, dKernel, dBias } = conv2dBackward(x, kernel, w, attrs);
        expectClose('dx', dx!.data, numericGradient(x64.data, loss), GRAD_TOL);
        expectClose('dKernel', dKernel.data, numericGradient(k64.data, loss), GRAD_TOL);
        expectClose('dBias', dBias.data, numericGradient(b64.data, loss), GRAD_TOL);
      });
    }
    test('enough random conv2d cases were generated', () => expect(checked).toBe(CASES));
  },
);

describe('convTranspose2d against float64', () => {
  let checked = 0;
  for (let seed = 1000; checked < 20 && seed < 1500; seed++) {
    const rng = createRng(seed);
    const group = 1 + rng.int(2);
    const C = group * (1 + rng.int(2));
    const weight = randomTensor(rng, [C, 1 + rng.int(2), 1 + rng.int(3), 1 + rng.int(3)]);
    const strides: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
    const dilations: [number, number] = [1 + rng.int(2), 1 + rng.int(2)];
    const pads: Pads4 = [rng.int(2), rng.int(2), rng.int(2), rng.int(2)];
    const outputPadding: [number, number] = [rng.int(strides[0]), rng.int(strides[1])];
    const x = randomTensor(rng, [1 + rng.int(2), C, 1 + rng.int(4), 1 + rng.int(4)]);
    const attrs = { strides, dilations, pads, group, outputPadding };
    let y: Tensor;
    try {
      y = convTranspose2d(x, weight, attrs);
    } catch {
      continue; // pads larger than the output
    }
    checked++;
    test(`convTranspose2d(x ${JSON.stringify(x.shape)}, w ${JSON.stringify(weight.shape)}, ${JSON.stringify(attrs)})`, () => {
      const x64 = to64(x);
      const w64 = to64(weight);
      const run = () => convTranspose64(x64, w64, strides, pads, dilations, group, outputPadding);
      expect(y.shape).toEqual(run().shape);
      expectClose('forward', y.data, run().data, FORWARD_TOL);
      const w = randomTensor(rng, [...y.shape]);
      const loss = () => dot64(w.data, run());
      const g = convTranspose2dBackward(x, weight, w, attrs);
      expectClose('dx', g.dx.data, numericGradient(x64.data, loss), GRAD_TOL);
      expectClose('dWeight', g.dWeight.data, numericGradient(w64.data, loss), GRAD_TOL);
    });
  }
  test('enough random convTranspose2d cases were generated', () => expect(checked).toBe(20));
});

describe('pooling against float64', () => {
  for (let seed = 2000; seed < 2000 + CASES; seed++) {
    const rng = createRng(seed);
    const kernelShape: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
    const strides: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
    const pads: Pads4 = [
      rng.int(kernelShape[0]),
      rng.int(kernelShape[1]),
      rng.int(kernelShape[0]),
      rng.int(kernelShape[1]),
    ];
    const shape = [1 + rng.int(2), 1 + rng.int(2), 3 + rng.int(5), 3 + rng.int(5)];
    const countIncludePad = rng.uniform() < 0.5;
    const attrs = { kernelShape, strides, pads };
    test(`maxPool2d and avgPool2d(x ${JSON.stringify(shape)}, ${JSON.stringify({ ...attrs, countIncludePad })})`, () => {
      // distinct values 0.1 apart: no ties, and eps 1e-6 never changes a window's winner
      const x = distinctTensor(rng, shape);
      const x64 = to64(x);
      const w = randomTensor(rng, [shape[0] * shape[1] * 64]);

      const { y, argmax } = maxPool2dWithArgmax(x, attrs);
      const runMax = () => pool64('max', x64, kernelShape, strides, pads);
      expect(y.shape).toEqual(runMax().shape);
      expectClose('max forward', y.data, runMax().data, FORWARD_TOL);
      const dyMax = { shape: y.shape, data: w.data.slice(0, y.data.length) };
      const dxMax = maxPool2dBackward(x.shape, argmax, dyMax);
      expectClose(
        'max dx',
        dxMax.data,
        numericGradient(x64.data, () => dot64(dyMax.data, runMax())),
        GRAD_TOL,
      );

      const avgAttrs = { ...attrs, countIncludePad };
      const avg = avgPool2d(x, avgAttrs);
      const runAvg = () => pool64('avg', x64, kernelShape, strides, pads, countIncludePad);
      expectClose('avg forward', avg.data, runAvg().data, FORWARD_TOL);
      const dyAvg = { shape: avg.shape, data: w.data.slice(0, avg.data.length) };
      const dxAvg = avgPool2dBackward(x.shape, dyAvg, avgAttrs);
      expectClose(
        'avg dx',
        dxAvg.data,
        numericGradient(x64.data, () => dot64(dyAvg.data, runAvg())),
        GRAD_TOL,
      );
    });
  }
});

describe('element-wise ops, linear, softmax and cross-entropy against float64', () => {
  const elementwise = [
    {
      name: 'relu',
      f: relu,
      back: (x: Tensor, _y: Tensor, dy: Tensor) => reluBackward(x, dy),
      f64: (v: number) => Math.max(0, v),
    },
    {
      name: 'leakyRelu',
      f: (x: Tensor) => leakyRelu(x, 0.2),
      back: (x: Tensor, _y: Tensor, dy: Tensor) => leakyReluBackward(x, dy, 0.2),
      f64: (v: number) => (v > 0 ? v : 0.2 * v),
    },
    {
      name: 'sigmoid',
      f: sigmoid,
      back: (_x: Tensor, y: Tensor, dy: Tensor) => sigmoidBackward(y, dy),
      f64: (v: number) => 1 / (1 + Math.exp(-v)),
    },
    {
      name: 'tanh',
      f: tanh,
      back: (_x: Tensor, y: Tensor, dy: Tensor) => tanhBackward(y, dy),
      f64: Math.tanh,
    },
  ];
  for (const op of elementwise) {
    for (let seed = 0; seed < 5; seed++) {
      test(`${op.name}(x) and its backward, seed ${seed}`, () => {
        const rng = createRng(3000 + seed);
        // keep away from the kink at 0 so central differences are exact there
        const x = randomTensor(rng, [2, 3, 4]);
        x.data.forEach((v, k) => (x.data[k] = Math.abs(v) < 0.01 ? 0.5 : v));
        const x64 = to64(x);
        const y = op.f(x);
        expectClose('forward', y.data, map64(x64, op.f64).data, FORWARD_TOL);
        const w = randomTensor(rng, [2, 3, 4]);
        const dx = op.back(x, y, w);
        expectClose(
          'dx',
          dx.data,
          numericGradient(x64.data, () => dot64(w.data, map64(x64, op.f64))),
          GRAD_TOL,
        );
      });
    }
  }

  for (let seed = 0; seed < 10; seed++) {
    test(`linear(x, weight, bias) and linearBackward, seed ${seed}`, () => {
      const rng = createRng(4000 + seed);
      const [N, F, U] = [1 + rng.int(4), 1 + rng.int(6), 1 + rng.int(5)];
      const x = randomTensor(rng, [N, F]);
      const weight = randomTensor(rng, [U, F]);
      const bias = randomTensor(rng, [U]);
      const [x64, w64, b64] = [to64(x), to64(weight), to64(bias)];
      const run = () => linear64(x64, w64, b64);
      expectClose('forward', linear(x, weight, bias).data, run().data, FORWARD_TOL);
      const w = randomTensor(rng, [N, U]);
      const loss = () => dot64(w.data, run());
      const g = linearBackward(x, weight, w);
      expectClose('dx', g.dx!.data, numericGradient(x64.data, loss), GRAD_TOL);
      expectClose('dWeight', g.dWeight.data, numericGradient(w64.data, loss), GRAD_TOL);
      expectClose('dBias', g.dBias.data, numericGradient(b64.data, loss), GRAD_TOL);
    });
  }

  for (let seed = 0; seed < 10; seed++) {
    test(`softmax and softmaxCrossEntropy with their backward passes, seed ${seed}`, () => {
      const rng = createRng(5000 + seed);
      const [N, K] = [1 + rng.int(4), 2 + rng.int(8)];
      const logits = randomTensor(rng, [N, K], 3);
      const labels = Array.from({ length: N }, () => rng.int(K));
      const z64 = to64(logits);
      const softmax64 = (): T64 => {
        const out = new Float64Array(N * K);
        for (let n = 0; n < N; n++) {
          const row = z64.data.subarray(n * K, (n + 1) * K);
          const total = row.reduce((a, v) => a + Math.exp(v), 0);
          row.forEach((v, k) => (out[n * K + k] = Math.exp(v) / total));
        }
        return { shape: [N, K], data: out };
      };
      const y = softmax(logits);
      expectClose('softmax forward', y.data, softmax64().data, FORWARD_TOL);
      const w = randomTensor(rng, [N, K]);
      expectClose(
        'softmax dx',
        softmaxBackward(y, w).data,
        numericGradient(z64.data, () => dot64(w.data, softmax64())),
        GRAD_TOL,
      );

      const { loss, probs } = softmaxCrossEntropy(logits, labels);
      expect(loss).toBeCloseTo(crossEntropy64(z64, labels), 6);
      const dz = softmaxCrossEntropyBackward(probs, labels);
      expectClose(
        'cross-entropy dz',
        dz.data,
        numericGradient(z64.data, () => crossEntropy64(z64, labels)),
        GRAD_TOL,
      );
    });
  }
});

describe('conv2d.ts and conv2dFast.ts add the same products in the same order', () => {
  test('forward outputs and kernel gradients are bit-identical on 40 random cases', () => {
    let compared = 0;
    for (let seed = 1; compared < CASES && seed < 500; seed++) {
      const { x, kernel, attrs, rng } = randomConvCase(seed);
      if (!fits(x, kernel, attrs)) continue;
      compared++;
      const bias = randomTensor(rng, [kernel.shape[0]]);
      const y = equation.conv2d(x, kernel, { ...attrs, bias });
      expect(conv2dFast(x, kernel, { ...attrs, bias }).data, `seed ${seed}`).toEqual(y.data);
      const dy = randomTensor(rng, [...y.shape]);
      const a = equation.conv2dBackward(x, kernel, dy, attrs);
      const b = conv2dFastBackward(x, kernel, dy, attrs);
      expect(b.dKernel.data, `seed ${seed}`).toEqual(a.dKernel.data);
      expect(b.dBias.data, `seed ${seed}`).toEqual(a.dBias.data);
      // dx sums the same products, but the fast path groups them per patch first
      expectClose(`dx, seed ${seed}`, b.dx!.data, a.dx!.data, 1e-6);
    }
    expect(compared).toBe(CASES);
  });
});
