/**
 * "Build it yourself", backward half: random cases for ReLU's and max pooling's backward, and
 * the finite-difference gradient that checks the engine's (and so the reader's) answer by
 * calculus alone. Pure: the unit tests and the cell's worker use it.
 *
 * Inputs are drawn away from the places where these ops have no derivative: ReLU's x is never 0
 * (values ±0.25, ±0.75, …), and a max-pool input holds distinct values a quarter apart, so no
 * window has a tie and a step of 1e-3 never changes which cell wins.
 */
import { conv2dSetup, createRng } from '../../cnn/index.ts';
import type { Rng, Tensor } from '../../cnn/index.ts';
import { between, conv2dCases, poolCaseShape, randomHalves } from './checker';
import type { CheckCase } from './checker';

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Values ±0.25 … ±1.75: never 0, where ReLU has no derivative. */
function awayFromZero(rng: Rng, shape: readonly number[]): Tensor {
  const data = new Float32Array(sizeOf(shape));
  for (let k = 0; k < data.length; k++) data[k] = (rng.int(8) - 3.5) / 2;
  return { shape: [...shape], data };
}

/** Distinct values a quarter apart, shuffled: no window ties. */
function distinct(rng: Rng, shape: readonly number[]): Tensor {
  const n = sizeOf(shape);
  const data = new Float32Array(n);
  for (let k = 0; k < n; k++) data[k] = (k - n / 2) / 4;
  for (let k = n - 1; k > 0; k--) {
    const r = rng.int(k + 1);
    [data[k], data[r]] = [data[r]!, data[k]!];
  }
  return { shape: [...shape], data };
}

const randomShape = (rng: Rng) => [
  between(rng, 1, 2),
  between(rng, 1, 3),
  between(rng, 2, 5),
  between(rng, 2, 5),
];

/** relu(x) cases: x only. */
export function reluCases(count = 12, seed = 5): CheckCase[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => ({
    inputs: [awayFromZero(rng, randomShape(rng))],
    options: {},
  }));
}

/** reluBackward(x, dy) cases: x away from 0, dy in halves. */
export function reluBackwardCases(count = 12, seed = 7): CheckCase[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const shape = randomShape(rng);
    return { inputs: [awayFromZero(rng, shape), randomHalves(rng, shape)], options: {} };
  });
}

/**
 * maxPool2dBackward(x, dy, { kernelShape, strides }) cases: tiling windows first, then
 * overlapping ones (stride < kernel: a cell may win several windows and collect every dy) and
 * gapped ones (stride > kernel: some cells are in no window).
 */
export function maxPoolBackwardCases(count = 12, seed = 8): CheckCase[] {
  const rng = createRng(seed);
  const cases: CheckCase[] = [];
  for (let i = 0; i < count; i++) {
    const { kernelShape, strides, shape } = poolCaseShape(rng, i);
    const x = distinct(rng, shape);
    const [, , H, W] = shape as [number, number, number, number];
    const oh = Math.floor((H - kernelShape[0]!) / strides[0]!) + 1;
    const ow = Math.floor((W - kernelShape[1]!) / strides[1]!) + 1;
    const dy = randomHalves(rng, [x.shape[0]!, x.shape[1]!, oh, ow]);
    cases.push({ inputs: [x, dy], options: { kernelShape, strides } });
  }
  return cases;
}

/**
 * conv2d's input gradient cases: conv2dCases' x, kernel, strides and pads (so strides that leave
 * rows unread, and padding), and a dy of the output's shape. The op is linear in x: no kinks.
 */
export function conv2dBackwardCases(count = 12, seed = 9): CheckCase[] {
  const rng = createRng(seed);
  return conv2dCases(count, seed).map(({ inputs: [x, kernel], options }) => {
    const { g, filters } = conv2dSetup('conv2d', x!.shape, kernel!.shape, options);
    const dy = randomHalves(rng, [g.batch, filters, g.outHeight, g.outWidth]);
    return { inputs: [x!, kernel!, dy], options };
  });
}

/**
 * dL/dx for L = Σ dy · f(x), by central differences: each x cell nudged by ±h, the change of
 * every output weighed by its dy (in float64). The step is divided by the nudge float32 really
 * made, so for piecewise-linear ops away from their kinks the answer is exact up to rounding.
 */
export function numericGradient(f: (x: Tensor) => Tensor, x: Tensor, dy: Tensor, h = 1e-3): Tensor {
  const dx = new Float32Array(x.data.length);
  const probe = { shape: [...x.shape], data: x.data.slice() };
  for (let k = 0; k < x.data.length; k++) {
    const v = x.data[k]!;
    probe.data[k] = v + h;
    const up = probe.data[k]!;
    const yUp = f(probe).data;
    probe.data[k] = v - h;
    const down = probe.data[k]!;
    const yDown = f(probe).data;
    probe.data[k] = v;
    let sum = 0;
    for (let j = 0; j < yUp.length; j++) sum += dy.data[j]! * (yUp[j]! - yDown[j]!);
    dx[k] = sum / (up - down);
  }
  return { shape: [...x.shape], data: dx };
}
