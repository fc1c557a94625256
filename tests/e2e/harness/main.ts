/**
 * Browser-test harness: the runtime, the ONNX emitters and the reference engine, callable from
 * Playwright through `window.harness`. Every check computes both engines here, in the page, so
 * tests compare real numbers from the real worker on the real execution provider.
 */
import {
  createOptimizerState,
  forward,
  initParams,
  lossAndGradients,
  mnistLargeNet,
  residualNet,
  sceneDetectNet,
  sceneSegNet,
  mnistTutorialNet,
  optimizerStep,
  tensor,
  tinyNet,
} from '../../../src/cnn/index.ts';
import { parseMnistBin } from '../../../src/data/mnist.ts';
import { buildForwardModel } from '../../../src/onnx/forward.ts';
import { exportInferenceModel, importInferenceModel } from '../../../src/onnx/interchange.ts';
import { buildOpModel } from '../../../src/onnx/single-op.ts';
import { buildTrainingModel, oneHot } from '../../../src/onnx/train.ts';
import {
  configureEngine,
  float32,
  probeBackends,
  nodePlacement,
  runModel,
} from '../../../src/runtime/client.ts';
import { crossCheck } from '../../../src/runtime/crosscheck.ts';
import { checkModel } from '../../../src/widgets/deeper/model.ts';
import { deepNet } from '../../../src/widgets/deeper/nets.ts';
import { formulationsFor } from '../../../src/runtime/lab/ort-engine.ts';
import type { TensorMsg } from '../../../src/runtime/protocol.ts';
import { opCases } from '../../unit/onnx/cases.ts';
import type { OpCase } from '../../unit/onnx/cases.ts';
import { blankBackgroundImages, seededLabels } from '../../unit/onnx/nets.ts';
import { referenceOp } from '../../unit/onnx/reference-ops.ts';
import { labConfig, labEventCount, labEvents, labOpen, labRun, labSend, labWait } from './lab.ts';
import { defaultConfig as sceneLabConfig } from '../../../src/widgets/finding-things/state.ts';
import { DEFAULT_SETTINGS, toLabConfig } from '../../../src/widgets/training-lab/config.ts';
import { benchTrain, OPTIMIZERS, trainCheck } from './lab-train.ts';

type Backend = 'webgpu' | 'wasm';

async function runOpCases(backend: Backend, cases: readonly OpCase[] = opCases) {
  const results = [];
  for (const c of cases) {
    const model = buildOpModel(
      c.op,
      c.attributes,
      c.inputs.map((i) => i.shape),
    );
    const feeds: Record<string, TensorMsg> = {};
    c.inputs.forEach((input, k) => {
      feeds[model.inputNames[k]!] = float32(input.shape, Float32Array.from(input.data));
    });
    const reply = await runModel({ key: `case:${c.name}`, model: model.bytes, backend, feeds });
    const got = reply.outputs.y!.data as Float32Array;
    const ref = referenceOp(c);
    const vsReference = crossCheck(backend, got, ref.data);
    const vsHand = c.expected ? crossCheck(backend, got, Float32Array.from(c.expected.data)) : null;
    results.push({
      name: c.name,
      shape: reply.outputs.y!.dims,
      referenceShape: ref.shape,
      maxAbsError: vsReference.maxAbsError,
      agree: vsReference.agree,
      handError: vsHand?.maxAbsError ?? null,
      handAgree: vsHand?.agree ?? null,
    });
  }
  return results;
}

const NETS = {
  tutorial: mnistTutorialNet,
  tiny: tinyNet,
  large: mnistLargeNet,
  residual: residualNet,
  // lesson 14's networks: pre-activation blocks whose Adds chain from block to block
  deepSkip: deepNet({ depth: 4, activation: 'relu', skips: true }),
  deepSigmoid: deepNet({ depth: 4, activation: 'sigmoid', skips: true }),
  scenes: sceneSegNet,
  detect: sceneDetectNet,
};

/** ORT's placement log for the training-step graph of a preset network (the tutorial net by default). */
async function placement(
  backend: Backend,
  optimizer: 'sgd' | 'adam' = 'sgd',
  batch = 8,
  net: keyof typeof NETS = 'tutorial',
) {
  const model = buildTrainingModel(NETS[net], OPTIMIZERS[optimizer]!, {
    batch,
    formulations: formulationsFor(backend),
  });
  return nodePlacement(model.bytes, backend);
}

/** ORT's placement log for lesson 14's check graph: both networks' forward and backward passes. */
async function deeperPlacement(backend: Backend, activation: 'relu' | 'tanh' | 'sigmoid' = 'relu') {
  const net = (skips: boolean) => deepNet({ depth: 4, activation, skips });
  return nodePlacement(checkModel({ plain: net(false), skip: net(true) }, 16), backend);
}

/** Random MNIST-like batches for timing (content does not matter for speed). */
function timingBatch(batch: number, seed: number) {
  const x = blankBackgroundImages(batch, mnistTutorialNet.inputShape, seed);
  const labels = oneHot(seededLabels(batch, 10, seed + 1), 10);
  return { x, labels };
}

/** Inference images/s (logits and probabilities only) on ORT, weights as initializers. */
async function benchInfer(backend: Backend, batch = 64, runs = 30, warmup = 3) {
  const spec = mnistTutorialNet;
  const params = initParams(spec, 3);
  const model = buildForwardModel(spec, { params, batch, activations: false });
  const b = timingBatch(batch, 7);
  let t0 = 0;
  for (let r = 0; r < warmup + runs; r++) {
    if (r === warmup) t0 = performance.now();
    await runModel({
      key: `bench-infer-${batch}`,
      model: model.bytes,
      backend,
      feeds: { images: float32(b.x.shape, b.x.data) },
      fetches: ['probabilities'],
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  return { imagesPerSecond: (runs * batch) / seconds, msPerRun: (seconds * 1000) / runs };
}

/** The reference engine in this page's main thread (one thread, as it always runs). */
/**
 * Reference-engine training (SGD momentum) and inference images/s of the tutorial net, in the
 * page's main thread, on real MNIST training digits: the backward pass skips zero gradients and
 * the forward pass skips empty receptive fields, so the data's sparsity matters.
 */
async function benchReference(batch = 64, steps = 10, warmup = 3) {
  const { train } = parseMnistBin(await (await fetch('/data/mnist.bin')).arrayBuffer());
  const batches = [0, 1, 2, 3].map((b) => {
    const x = new Float32Array(batch * 784);
    for (let k = 0; k < x.length; k++) x[k] = train.images[b * batch * 784 + k]! / 255;
    const labels = Array.from(train.labels.subarray(b * batch, (b + 1) * batch));
    return { x: { shape: [batch, 1, 28, 28], data: x }, labels };
  });
  const spec = mnistTutorialNet;
  const opt = OPTIMIZERS.sgd!;
  let params = initParams(spec, 3);
  let state = createOptimizerState(opt, params);
  let t0 = 0;
  for (let s = 0; s < warmup + steps; s++) {
    if (s === warmup) t0 = performance.now();
    const b = batches[s % batches.length]!;
    const g = lossAndGradients(spec, params, b.x, b.labels);
    ({ params, state } = optimizerStep(opt, params, g.grads, state));
  }
  const trainRate = (steps * batch) / ((performance.now() - t0) / 1000);
  for (let s = 0; s < warmup + steps; s++) {
    if (s === warmup) t0 = performance.now();
    forward(spec, params, batches[s % batches.length]!.x, { training: false });
  }
  const infer = (steps * batch) / ((performance.now() - t0) / 1000);
  return { trainImagesPerSecond: trainRate, inferImagesPerSecond: infer };
}

/**
 * Export → reload round trip: weights after a few reference SGD steps are exported as a standalone
 * .onnx, run on ORT, imported back into a network spec, and run on the reference engine.
 */
async function exportRoundTrip(backend: Backend) {
  const spec = mnistTutorialNet;
  const opt = OPTIMIZERS.sgd!;
  let params = initParams(spec, 11);
  let state = createOptimizerState(opt, params);
  for (let s = 0; s < 3; s++) {
    const b = timingBatch(8, 100 + s);
    const g = lossAndGradients(spec, params, b.x, seededLabels(8, 10, 101 + s));
    ({ params, state } = optimizerStep(opt, params, g.grads, state));
  }
  const bytes = exportInferenceModel(spec, params);
  const test = timingBatch(5, 300);
  const original = forward(spec, params, test.x, { training: false }).logits;
  const reply = await runModel({
    key: 'export-roundtrip',
    model: bytes,
    backend,
    feeds: { images: float32(test.x.shape, test.x.data) },
    fetches: ['logits'],
  });
  const ortCheck = crossCheck(backend, reply.outputs.logits!.data as Float32Array, original.data);
  const imported = importInferenceModel(bytes);
  const again = forward(imported.spec, imported.params, test.x, { training: false }).logits;
  const importCheck = crossCheck('reference', again.data, original.data);
  const argmax = (d: ArrayLike<number>) =>
    Array.from({ length: 5 }, (_, i) => {
      let best = 0;
      for (let k = 1; k < 10; k++) if (d[i * 10 + k]! > d[i * 10 + best]!) best = k;
      return best;
    });
  return {
    bytes: bytes.length,
    ort: ortCheck,
    imported: importCheck,
    predictions: {
      original: argmax(original.data),
      ort: argmax(reply.outputs.logits!.data as Float32Array),
      imported: argmax(again.data),
    },
  };
}

/** parseModel/importInferenceModel on bytes that are not a model: the message the reader sees. */
function importError(kind: 'garbage' | 'truncated') {
  const good = exportInferenceModel(mnistTutorialNet, initParams(mnistTutorialNet, 1));
  const bytes =
    kind === 'garbage' ? new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02, 0x03]) : good.slice(0, 500);
  try {
    importInferenceModel(bytes);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

declare global {
  interface Window {
    harness: typeof harness;
  }
}

const harness = {
  probeBackends,
  configureEngine,
  runOpCases,
  trainCheck,
  placement,
  deeperPlacement,
  tensor,
  benchTrain,
  benchInfer,
  benchReference,
  exportRoundTrip,
  importError,
  labOpen,
  labSend,
  labWait,
  labEvents,
  labEventCount,
  labConfig,
  /** Lesson 9's default run exactly as the training lab starts it (the bench's wall-time row). */
  defaultLabConfig: (backend: Backend = 'wasm') => toLabConfig(DEFAULT_SETTINGS, backend),
  labRun,
  sceneLabConfig,
};
window.harness = harness;
document.body.dataset.ready = 'true';
