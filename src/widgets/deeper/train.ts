/**
 * Trains the plain and the skip network on the same batches from the same weights with the
 * reference engine, recording what the figure draws: each step's loss, and the size of every
 * convolution's kernel gradient (its root mean square) at that step. Pure: runs in the widget's
 * worker, in the unit tests and in the bench. A network whose loss or gradients stop being finite
 * stops there, and the result says at which step.
 */
import {
  backward,
  createOptimizerState,
  forward,
  optimizerStep,
  createRng,
} from '../../cnn/index.ts';
import type { NetworkSpec, OptimizerSpec, Params } from '../../cnn/index.ts';
import { toFloatBatch } from '../../data/mnist.ts';
import { convIndices, deepNet, initDeep } from './nets.ts';
import type { Activation } from './nets.ts';

export interface Digits {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface RunSettings {
  readonly depth: number;
  readonly activation: Activation;
  /** The second network's skips (off: both networks are the same, a control). */
  readonly skips: boolean;
  /** He-normal times this for the convolutions. */
  readonly scale: number;
  readonly steps: number;
  readonly lr: number;
  readonly batch: number;
  readonly seed: number;
}

export interface NetRun {
  readonly spec: NetworkSpec;
  /** Loss at each step taken (length = steps taken). */
  readonly losses: Float32Array;
  /** RMS of dL/dkernel, step-major: grads[step · convs + c] for convolution c (first = 0). */
  readonly grads: Float32Array;
  /** The step at which the loss or a gradient stopped being finite; null when it never did. */
  readonly divergedAt: number | null;
  /** The last finite step's parameters before its update, and that step's batch. */
  readonly last: {
    readonly step: number;
    readonly params: Params;
    readonly batch: number[];
    /** That batch's pixels [B·784] in [0, 1] and labels, for the ORT check in the page. */
    readonly images: Float32Array;
    readonly labels: number[];
    readonly loss: number;
    /** dL/dkernel of every convolution at that step, by layer index. */
    readonly grads: Readonly<Record<number, Float32Array>>;
  };
  /** Accuracy on the held-out digits after training; null when it diverged. */
  readonly testAccuracy: number | null;
}

export interface PairRun {
  readonly plain: NetRun;
  readonly skip: NetRun;
  /** How many convolutions each network has (rows of the gradient figure). */
  readonly convs: number;
}

/** The batches of the whole run: the same for both networks. */
export function batchPlan(count: number, steps: number, batch: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: steps }, () => Array.from({ length: batch }, () => rng.int(count)));
}

const rms = (d: Float32Array): number => {
  let s = 0;
  for (const v of d) s += v * v;
  return Math.sqrt(s / d.length);
};

export function accuracyOn(spec: NetworkSpec, params: Params, test: Digits, n: number): number {
  let right = 0;
  const chunk = 50;
  for (let at = 0; at < n; at += chunk) {
    const idx = Array.from({ length: Math.min(chunk, n - at) }, (_, k) => at + k);
    const x = { shape: [idx.length, 1, 28, 28], data: toFloatBatch(test.images, idx) };
    const { logits } = forward(spec, params, x);
    for (let k = 0; k < idx.length; k++) {
      const row = logits.data.subarray(k * 10, k * 10 + 10);
      let best = 0;
      for (let c = 1; c < 10; c++) if (row[c]! > row[best]!) best = c;
      if (best === test.labels[idx[k]!]) right++;
    }
  }
  return n ? right / n : 0;
}

/** The engine's refusal of NaN or ±∞ (checkFinite), not any other error. */
const notFinite = (error: unknown): boolean =>
  error instanceof RangeError && error.message.includes('must be finite numbers');

/** How many held-out digits the accuracy is measured on. */
export const TEST_DIGITS = 500;

export function trainNet(
  spec: NetworkSpec,
  s: RunSettings,
  plan: readonly number[][],
  train: Digits,
  test: Digits,
  limits: { readonly budgetMs?: number; readonly testDigits?: number } = {},
): NetRun {
  const convs = convIndices(spec);
  const t0 = performance.now();
  const opt: OptimizerSpec = { type: 'sgd', lr: s.lr, momentum: 0.9 };
  let params = initDeep(spec, s.seed, s.scale);
  let state = createOptimizerState(opt, params);
  const losses: number[] = [];
  const grads: number[] = [];
  let divergedAt: number | null = null;
  let last: NetRun['last'] = {
    step: 0,
    params,
    batch: [],
    images: new Float32Array(0),
    labels: [],
    loss: NaN,
    grads: {},
  };
  for (let step = 0; step < plan.length; step++) {
    // the bench's race: as many steps as fit in the same time for each network
    if (limits.budgetMs !== undefined && performance.now() - t0 > limits.budgetMs) break;
    const idx = plan[step]!;
    const x = { shape: [idx.length, 1, 28, 28], data: toFloatBatch(train.images, idx) };
    const labels = idx.map((i) => train.labels[i]!);
    let r;
    try {
      r = backward(spec, params, x, { labels }, { training: true });
    } catch (error) {
      if (!notFinite(error)) throw error;
      divergedAt = step; // the weights themselves stopped being finite
      break;
    }
    const sizes = convs.map((i) => rms(r.grads[`${i}.kernel`]!.data));
    if (!Number.isFinite(r.loss) || sizes.some((v) => !Number.isFinite(v))) {
      divergedAt = step;
      break;
    }
    losses.push(r.loss!);
    grads.push(...sizes);
    const kernels: Record<number, Float32Array> = {};
    for (const i of convs) kernels[i] = r.grads[`${i}.kernel`]!.data;
    last = { step, params, batch: idx, images: x.data, labels, loss: r.loss!, grads: kernels };
    try {
      ({ params, state } = optimizerStep(opt, params, r.grads, state));
    } catch (error) {
      if (!notFinite(error)) throw error;
      divergedAt = step + 1;
      break;
    }
  }
  const testAccuracy =
    divergedAt === null
      ? accuracyOn(spec, params, test, Math.min(limits.testDigits ?? TEST_DIGITS, test.count))
      : null;
  return {
    spec,
    losses: Float32Array.from(losses),
    grads: Float32Array.from(grads),
    divergedAt,
    last,
    testAccuracy,
  };
}

/** Both networks, the same batches, the same starting weights. */
export function trainPair(s: RunSettings, train: Digits, test: Digits): PairRun {
  const plan = batchPlan(train.count, s.steps, s.batch, s.seed);
  const plainSpec = deepNet({ depth: s.depth, activation: s.activation, skips: false });
  const skipSpec = deepNet({ depth: s.depth, activation: s.activation, skips: s.skips });
  return {
    plain: trainNet(plainSpec, s, plan, train, test),
    skip: trainNet(skipSpec, s, plan, train, test),
    convs: convIndices(plainSpec).length,
  };
}
