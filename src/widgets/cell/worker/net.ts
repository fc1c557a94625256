/**
 * Networks in a cell: the MNIST digits (the site's own asset, read from the Cache API once the
 * lab has fetched it), `predict` (the reference forward pass, recorded so the page recomputes it
 * on ORT from the same weights) and `train`, the trainer: SGD or Adam on the reference engine,
 * in the cell's own worker and within its time budget, ending with a recorded `predict` on held-out
 * digits — so a trained net is checked like everything else.
 */
import * as cnn from '../../../cnn/index.ts';
import type { NetworkSpec, OptimizerSpec, Params, Tensor } from '../../../cnn/index.ts';
import { loadMnist } from '../../../data/load.ts';
import { IMAGE_PIXELS, toFloatBatch } from '../../../data/mnist.ts';
import type { MnistDataset } from '../../../data/mnist.ts';
import type { OpRecorder } from './record';

export interface DigitSet {
  /** [n, 1, 28, 28] in [0, 1]. */
  readonly images: Tensor;
  readonly labels: number[];
}

type Load = () => Promise<MnistDataset>;
/** The site's asset, fetched from the worker (same origin: the page's CSP allows it). */
const fromSite: Load = () =>
  loadMnist({ url: new URL('/data/mnist.bin', self.location.origin).href });

function take(split: MnistDataset['train'], from: number, count: number): DigitSet {
  const n = Math.max(0, Math.min(count, split.count - from));
  const indices = Array.from({ length: n }, (_, k) => from + k);
  return {
    images: cnn.tensor([n, 1, 28, 28], toFloatBatch(split.images, indices)),
    labels: indices.map((i) => split.labels[i]!),
  };
}

export interface TrainOptions {
  readonly steps?: number;
  readonly batchSize?: number;
  readonly optimizer?: OptimizerSpec;
  readonly seed?: number;
  /** Train on only the first n training digits (lesson 10: a small set overfits). */
  readonly trainCount?: number;
  /** Held-out digits to measure at the end (recorded: checked on ORT). */
  readonly testCount?: number;
  /** Starting weights (default: initParams(spec, seed)). */
  readonly params?: Params;
}

export interface TrainStep {
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number;
}

export interface TrainResult {
  readonly params: Params;
  /** Loss and batch accuracy at every step. */
  readonly history: TrainStep[];
  /** Accuracy on the training digits used (at most the first 500) and on held-out ones. */
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly seconds: number;
}

const positive = (name: string, v: number, max: number) => {
  if (!Number.isInteger(v) || v < 1 || v > max)
    throw new RangeError(`train: ${name} must be a whole number from 1 to ${max}, got ${v}`);
  return v;
};

const finite = (params: Params) =>
  Object.values(params).every((t) => t.data.every((v) => Number.isFinite(v)));

export function createNetApi(rec: OpRecorder, say: (text: string) => void, load = fromSite) {
  let loaded: Promise<MnistDataset> | undefined;
  const dataset = () => (loaded ??= load());
  /** The network's logits for images [n, 1, 28, 28]: recorded, recomputed on ORT. */
  function predict(spec: NetworkSpec, params: Params, images: Tensor): Tensor {
    const { logits } = cnn.forward(spec, params, images);
    rec.recordNet(spec, params, images, logits);
    return logits;
  }
  const accuracyOf = (logits: Tensor, labels: readonly number[]) =>
    labels.length ? cnn.accuracy(logits, labels) : 0;

  return {
    /** `count` digits from the training split (from index `from`) or the held-out test split. */
    async digits(split: 'train' | 'test' = 'test', count = 100, from = 0): Promise<DigitSet> {
      const d = await dataset();
      return take(d[split], from, count);
    },
    predict,
    /** Trains `spec` on MNIST with the reference engine: see TrainOptions. */
    async train(spec: NetworkSpec, options: TrainOptions = {}): Promise<TrainResult> {
      const started = performance.now();
      const steps = positive('steps', options.steps ?? 200, 100_000);
      const batchSize = positive('batchSize', options.batchSize ?? 32, 1024);
      const testCount = positive('testCount', options.testCount ?? 500, 2000);
      const seed = options.seed ?? 1;
      const opt = options.optimizer ?? { type: 'sgd', lr: 0.05, momentum: 0.9 };
      const d = await dataset();
      const count = positive('trainCount', options.trainCount ?? d.train.count, d.train.count);
      let params = options.params ?? cnn.initParams(spec, seed);
      let state = cnn.createOptimizerState(opt, params);
      const rng = cnn.createRng(seed + 1);
      const history: TrainStep[] = [];
      const batch = new Float32Array(batchSize * IMAGE_PIXELS);
      for (let step = 0; step < steps; step++) {
        const indices = Array.from({ length: batchSize }, () => rng.int(count));
        const x = cnn.tensor([batchSize, 1, 28, 28], toFloatBatch(d.train.images, indices, batch));
        const labels = indices.map((i) => d.train.labels[i]!);
        const r = cnn.lossAndGradients(spec, params, x, labels);
        ({ params, state } = cnn.optimizerStep(opt, params, r.grads, state));
        if (!Number.isFinite(r.loss) || !finite(params))
          throw new RangeError(
            `train: the loss or the weights stopped being finite at step ${step} (lr too high?)`,
          );
        history.push({ step, loss: r.loss, accuracy: r.accuracy });
        if ((step + 1) % Math.max(1, Math.round(steps / 4)) === 0 && step + 1 < steps)
          say(`step ${step + 1} of ${steps}: loss ${r.loss.toFixed(3)}`);
      }
      const seen = take(d.train, 0, Math.min(count, 500));
      const trainAccuracy = accuracyOf(cnn.forward(spec, params, seen.images).logits, seen.labels);
      const test = take(d.test, 0, testCount);
      const testAccuracy = accuracyOf(predict(spec, params, test.images), test.labels);
      return {
        params,
        history,
        trainAccuracy,
        testAccuracy,
        seconds: (performance.now() - started) / 1000,
      };
    },
  };
}
