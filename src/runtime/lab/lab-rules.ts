/**
 * What the lab's engine room stands on, apart from its loop: the host contract (everything that
 * touches the browser), its cadences, the config rules, and the pure builders of the events that
 * hand data to the page (the epoch-end snapshot, copies of the parameters).
 */
import type { BackendStatus } from '../backends';
import { activationName } from '../../onnx/index';
import { IMAGE_PIXELS } from '../../data/mnist';
import type { MnistDataset, MnistSplit } from '../../data/mnist';
import type { NetworkSpec } from '../../cnn/index';
import type { CheckpointStore } from './checkpoint';
import type { BackendName } from '../crosscheck';
import { checkAugmentation } from './data';
import { mapGeometry } from './scene-task';
import { checkOwn } from './lab-own';
import { paramsOf } from './engines';
import type { Evaluator, LabTrainer, State } from './engines';
import type { LabConfig, LabEvent } from './protocol';
import { learningRate, scheduledLearningRate } from './schedule';

export interface LabHost {
  emit(event: LabEvent): void;
  loadData(onProgress: (loaded: number, total: number) => void): Promise<MnistDataset>;
  probe(): Promise<BackendStatus[]>;
  createTrainer(
    backend: BackendName,
    spec: NetworkSpec,
    config: LabConfig,
    state: State,
  ): Promise<LabTrainer>;
  createEvaluator(backend: BackendName, spec: NetworkSpec): Promise<Evaluator>;
  /** Rejects with the reason when there is no persistent storage. */
  openStore(): Promise<CheckpointStore>;
  /** Sets the wasm threads of ORT before it loads (benchmark hook; ignored once loaded). */
  wasmThreads(threads: number): void;
  /** Destroys the WebGPU device (test hook). */
  loseDevice(): Promise<void>;
  /** Resolves with a reason when the WebGPU device in use is lost (undefined: none in use). */
  deviceLost(): Promise<string> | undefined;
  now(): number;
  yieldNow(): Promise<void>;
}

/** Steps between in-memory copies of the weights (the "last good" ones after a NaN). */
export const KEEP_EVERY = 10;
/** At most this long between checkpoints while training: a reload loses at most about a second. */
export const SAVE_EVERY_MS = 1000;
export const POISON_LR = 1e6;
/** Test digit whose first-layer feature maps the snapshot shows. */
export const SAMPLE_INDEX = 0;

/** Thrown by a step when the GPU device went away (the lab moves to wasm). */
export class DeviceLost extends Error {}

/** Where to evaluate: a software WebGPU adapter is slower than wasm for these small batches. */
export function evaluatorBackend(
  backend: BackendName,
  statuses: readonly BackendStatus[],
): BackendName {
  if (backend !== 'webgpu') return backend;
  const gpu = statuses.find((s) => s.name === 'webgpu');
  return gpu?.recommended ? 'webgpu' : 'wasm';
}

export function checkConfig(c: LabConfig): void {
  const whole = (name: string, v: number, max: number) => {
    if (!Number.isInteger(v) || v < 1 || v > max)
      throw new RangeError(`${name} must be a whole number in [1, ${max}], got ${v}`);
  };
  whole('batchSize', c.batchSize, 1024);
  whole('epochs', c.epochs, 1000);
  if (!(c.optimizer.lr > 0) || !Number.isFinite(c.optimizer.lr))
    throw new RangeError(`lr must be a positive number, got ${c.optimizer.lr}`);
  learningRate(c.optimizer.lr, c.lrDecay, 0);
  scheduledLearningRate(c, 0, 1);
  checkAugmentation(c.augmentation);
  if (!c.network || !Array.isArray(c.network.layers)) throw new RangeError('config has no network');
  if (c.task === 'segment') mapGeometry(c.network);
  if (c.task === 'own') checkOwn(c);
}

/** The first conv layer's filters and its feature maps of one test digit, at an epoch end. */
export async function snapshotEvent(
  spec: NetworkSpec,
  state: State,
  evaluator: Evaluator,
  test: MnistSplit,
): Promise<Extract<LabEvent, { kind: 'snapshot' }> | undefined> {
  const layer = spec.layers.findIndex((l) => l.type === 'conv2d');
  if (layer < 0) return undefined;
  const pixels = test.images.slice(SAMPLE_INDEX * IMAGE_PIXELS, (SAMPLE_INDEX + 1) * IMAGE_PIXELS);
  const image = Float32Array.from(pixels, (v) => v / 255);
  const name = activationName(spec, layer);
  const out = await evaluator.run(state, image, 1, [name]);
  const kernel = state[`${layer}.kernel`]!;
  const maps = out[name]!;
  const filters = kernel.dims[0]!;
  const side = Math.round(Math.sqrt(maps.length / filters));
  return {
    kind: 'snapshot',
    filters: { dims: [...kernel.dims], type: 'float32', data: kernel.data.slice() },
    featureMaps: {
      dims: [1, filters, side, maps.length / filters / side],
      type: 'float32',
      data: maps,
    },
    sample: { pixels, label: test.labels[SAMPLE_INDEX]! },
  };
}

/** The network's parameters as independent copies (the page may keep or transfer them). */
export function paramCopies(
  spec: NetworkSpec,
  state: State,
): Record<string, { shape: readonly number[]; data: Float32Array }> {
  const out: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  for (const [name, t] of Object.entries(paramsOf(spec, state)))
    out[name] = { shape: [...t.shape], data: t.data.slice() };
  return out;
}
