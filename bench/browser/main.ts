/**
 * The bench's peers, in the page's own thread, each timed on the same tutorial net at the same
 * batch on real MNIST training digits:
 *  - plain onnxruntime-web sessions (no ConvBook worker, no messages): the forward graph, whose
 *    rate sets the ceiling a training step could reach, and training graphs — ConvBook's own and
 *    the textbook formulation a hand-written ORT training graph would use;
 *  - a textbook JavaScript implementation (naive.ts);
 *  - ConvNetJS 0.3 and TensorFlow.js 4.22 (its CPU backend: the wasm backend has no gradients
 *    for conv2d).
 * One configuration per page: ORT's thread count is fixed once it has loaded.
 */
import * as ort from 'onnxruntime-web/wasm';
import { initParams, mnistTutorialNet } from '../../src/cnn/index.ts';
import { parseMnistBin } from '../../src/data/mnist.ts';
import {
  DEFAULT_FORMULATIONS,
  buildForwardModel,
  buildTrainingModel,
  oneHot,
  optimizerScalars,
} from '../../src/onnx/index.ts';
import type { Formulations } from '../../src/onnx/index.ts';
import { formulationsFor } from '../../src/runtime/lab/ort-engine.ts';
import { costTable } from '../../src/widgets/cost/counts.ts';
import { runConvnetjs, runTfjs } from './others.ts';
import type { Batch } from './others.ts';
import { naiveGradients, naiveInit, naiveStep, naiveVelocity } from './naive.ts';

const SPEC = mnistTutorialNet;
const OPT = { type: 'sgd', lr: 0.05, momentum: 0.9 } as const;
/** What a hand-written ORT training graph would do: ReLU and max pool each with its own backward. */
const TEXTBOOK: Formulations = {
  maxPoolGrad: 'indices',
  reluPool: 'full',
  kernelGrad: 'conv',
  inputGrad: 'convTranspose',
};

/** `count` batches of real training digits, in order. */
async function batches(batch: number, count: number): Promise<Batch[]> {
  const { train } = parseMnistBin(await (await fetch('/data/mnist.bin')).arrayBuffer());
  return Array.from({ length: count }, (_, b) => {
    const images = new Float32Array(batch * 784);
    for (let k = 0; k < images.length; k++) images[k] = train.images[b * batch * 784 + k]! / 255;
    return { images, labels: train.labels.slice(b * batch, (b + 1) * batch) };
  });
}

/** Images per second over `steps` calls of `step` after `warmup` calls. */
async function rate(batch: number, steps: number, warmup: number, step: (i: number) => unknown) {
  for (let i = 0; i < warmup; i++) await step(i);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step(warmup + i);
  const seconds = (performance.now() - t0) / 1000;
  return { imagesPerSecond: (steps * batch) / seconds, msPerStep: (1000 * seconds) / steps };
}

function useThreads(threads: number): number {
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  return threads;
}

/** `spin`: ORT's default, its pool threads spin between runs (false turns that off). */
const session = (bytes: Uint8Array, spin = true) =>
  ort.InferenceSession.create(bytes, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    ...(spin ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
  });

/** A plain ORT session of the forward graph (weights as initializers): logits and probabilities. */
async function plainInfer(
  threads: number,
  batch: number,
  runs: number,
  warmup: number,
  spin = true,
) {
  useThreads(threads);
  const model = buildForwardModel(SPEC, { params: initParams(SPEC, 3), batch, activations: false });
  const s = await session(model.bytes, spin);
  const data = await batches(batch, 4);
  const feeds = data.map((b) => ({
    images: new ort.Tensor('float32', b.images, [batch, 1, 28, 28]),
  }));
  return rate(batch, runs, warmup, async (i) => {
    const out = await s.run(feeds[i % feeds.length]!, ['probabilities']);
    for (const t of Object.values(out)) t.dispose();
  });
}

/** A plain ORT loop over a training graph: the updated weights and slots fed back each step. */
async function plainTrain(
  threads: number,
  batch: number,
  steps: number,
  warmup: number,
  formulation: 'convbook' | 'textbook' | Partial<Formulations>,
  spin = true,
) {
  useThreads(threads);
  const formulations =
    formulation === 'convbook'
      ? { ...DEFAULT_FORMULATIONS, ...formulationsFor('wasm') }
      : formulation === 'textbook'
        ? TEXTBOOK
        : { ...DEFAULT_FORMULATIONS, ...formulation };
  const m = buildTrainingModel(SPEC, OPT, { batch, formulations });
  const s = await session(m.bytes, spin);
  const params = initParams(SPEC, 3);
  const state: Record<string, ort.Tensor> = {};
  for (const p of m.params)
    state[p.name] = new ort.Tensor('float32', params[p.name]!.data, [...p.shape]);
  for (const slot of m.slots) {
    const n = slot.shape.reduce((a, d) => a * d, 1);
    state[slot.name] = new ort.Tensor('float32', new Float32Array(n), [...slot.shape]);
  }
  const scalars: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(optimizerScalars(OPT, 1)))
    scalars[k] = new ort.Tensor('float32', Float32Array.of(v), []);
  const data = (await batches(batch, 8)).map((b) => ({
    images: new ort.Tensor('float32', b.images, [batch, 1, 28, 28]),
    labels: new ort.Tensor('float32', oneHot(Array.from(b.labels), 10), [batch, 10]),
  }));
  return rate(batch, steps, warmup, async (i) => {
    const out = await s.run({ ...data[i % data.length]!, ...state, ...scalars });
    for (const [input, output] of Object.entries(m.updated)) {
      state[input]!.dispose();
      state[input] = out[output]!;
    }
    for (const [name, t] of Object.entries(out))
      if (!Object.values(m.updated).includes(name)) t.dispose();
  });
}

async function naiveTrain(batch: number, steps: number, warmup: number) {
  const data = await batches(batch, 4);
  const p = naiveInit(3);
  const v = naiveVelocity(p);
  return rate(batch, steps, warmup, (i) => {
    const b = data[i % data.length]!;
    naiveStep(p, v, naiveGradients(p, b.images, b.labels).grads);
  });
}

async function convnetjsTrain(batch: number, steps: number, warmup: number) {
  return runConvnetjs(await batches(batch, 4), batch, (step) => rate(batch, steps, warmup, step));
}

async function tfjsTrain(batch: number, steps: number, warmup: number) {
  return runTfjs(await batches(batch, 4), batch, (step) => rate(batch, steps, warmup, step));
}

/**
 * Multiply-adds of one image's forward pass and of its training step: the forward pass, each
 * weighted layer's weight gradient (as many as its forward) and the input gradient of every
 * weighted layer but the first (nothing needs the image's own gradient).
 */
function stepMacs() {
  const t = costTable(SPEC);
  const first = t.rows.find((r) => r.macs > 0)!.macs;
  return { forward: t.macs, training: 3 * t.macs - first };
}

const bench = { stepMacs, plainInfer, plainTrain, naiveTrain, convnetjsTrain, tfjsTrain };
declare global {
  interface Window {
    bench: typeof bench;
  }
}
// ORT's wasm threads load this very bundle as their worker script (Vite inlines ORT's module):
// there, no page exists and nothing here may run.
if (typeof document !== 'undefined') {
  window.bench = bench;
  document.body.dataset.ready = 'true';
}
