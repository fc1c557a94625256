/**
 * Measuring on this device, both engines, never on the main thread: the reference engine in this
 * widget's own worker (timing.worker.ts), onnxruntime-web in the engine worker through the runtime
 * client. ORT times one layer by running that layer alone as a single-op graph (src/onnx's
 * builder), and the whole network as its forward graph; each time is the median of the worker's
 * own `runMs` over several runs after warm-up runs (the first also creates the session).
 */
import { chooseBackend } from '../../runtime/backends';
import { float32, probeBackends, releaseModel, runModel } from '../../runtime/client';
import { buildForwardModel, buildOpModel } from '../../onnx/index';
import { initParams } from '../../cnn/index';
import type { NetworkSpec } from '../../cnn/index';
import { readPreferredBackend } from '../shared/backend-pref';
import { patterned } from './reference-timing';
import type { TimingJob, TimingReply } from './timing.worker';
import {
  COMPARE_CASES,
  LAYER_BATCH,
  median,
  ORT_BATCHES,
  REFERENCE_BATCHES,
  RUNS,
  singleOp,
  timedLayers,
  WARMUP,
} from './timings';
import type { CompareTimings, NetTimings } from './timings';

let worker: Worker | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Runs a job in the reference-timing worker; jobs go one at a time. */
function onReference(job: TimingJob): Promise<Extract<TimingReply, { ok: true }>> {
  const next = queue.then(
    () =>
      new Promise<Extract<TimingReply, { ok: true }>>((resolve, reject) => {
        worker ??= new Worker(new URL('./timing.worker.ts', import.meta.url), {
          type: 'module',
          name: 'convbook-cost-timing',
        });
        worker.onmessage = (e: MessageEvent<TimingReply>) =>
          e.data.ok ? resolve(e.data) : reject(new Error(e.data.message));
        worker.onerror = (e) => {
          e.preventDefault();
          worker = undefined;
          reject(new Error(`the timing worker stopped: ${e.message || 'it could not be loaded'}`));
        };
        worker.postMessage(job);
      }),
  );
  queue = next.catch(() => undefined);
  return next;
}

/** The ORT backend the reader's choice resolves to, or null for the reference engine only. */
async function ortBackend(): Promise<'webgpu' | 'wasm' | null> {
  const requested = readPreferredBackend();
  if (requested === 'reference') return null;
  const { backend } = chooseBackend(await probeBackends(), requested);
  return backend === 'reference' ? null : backend;
}

/** Median `runMs` of a model on ORT, after WARMUP runs; the session is released afterwards. */
async function ortMs(
  key: string,
  model: () => Uint8Array,
  backend: 'webgpu' | 'wasm',
  feeds: Record<string, ReturnType<typeof float32>>,
  fetch: string,
): Promise<number> {
  const times: number[] = [];
  try {
    for (let k = 0; k < WARMUP + RUNS; k++) {
      const reply = await runModel({ key, model, backend, feeds, fetches: [fetch] });
      if (k >= WARMUP) times.push(reply.runMs);
    }
  } finally {
    await releaseModel(key);
  }
  return median(times);
}

const tensorFeed = (shape: readonly number[]) => float32(shape, patterned(shape).data);

/** Layer `i` of `spec` alone on ORT at `batch`; null when it has no single-op graph. */
async function ortLayerMs(
  spec: NetworkSpec,
  i: number,
  batch: number,
  backend: 'webgpu' | 'wasm',
): Promise<number | null> {
  const one = singleOp(spec, i, batch);
  if (!one) return null;
  const built = buildOpModel(one.op, one.attributes, one.inputShapes);
  const feeds = Object.fromEntries(
    built.inputNames.map((name, k) => [name, tensorFeed(one.inputShapes[k]!)]),
  );
  const key = `cost-op:${JSON.stringify(one)}`;
  return ortMs(key, () => built.bytes, backend, feeds, built.outputName);
}

/** Per-layer times on both engines and images/s against batch size, for `spec`. */
export async function measureNet(spec: NetworkSpec): Promise<NetTimings> {
  const layers = timedLayers(spec);
  const ref = await onReference({ spec, layers, batch: LAYER_BATCH, batches: REFERENCE_BATCHES });
  const backend = await ortBackend();
  const ortLayer = new Map<number, number | null>();
  const throughput: { engine: 'reference' | 'ort'; batch: number; imagesPerSecond: number }[] =
    ref.throughput.map((p) => ({ engine: 'reference', ...p }));
  if (backend) {
    for (const i of layers) ortLayer.set(i, await ortLayerMs(spec, i, LAYER_BATCH, backend));
    const model = buildForwardModel(spec, { params: initParams(spec, 1), activations: false });
    for (const batch of ORT_BATCHES) {
      const images = tensorFeed([batch, ...spec.inputShape]);
      const key = `cost-forward:${JSON.stringify(spec)}:${batch}`;
      const ms = await ortMs(key, () => model.bytes, backend, { images }, model.logitsOutput);
      throughput.push({ engine: 'ort', batch, imagesPerSecond: (1000 * batch) / ms });
    }
  }
  return {
    backend,
    layers: ref.layers.map(({ index, ms }) => ({
      index,
      referenceMs: ms,
      ortMs: ortLayer.get(index) ?? null,
    })),
    throughput,
  };
}

/** The two comparisons, one image each, every timed layer of a case summed. */
export async function measureCompare(): Promise<CompareTimings> {
  const backend = await ortBackend();
  const cases: CompareTimings['cases'][number][] = [];
  for (const c of COMPARE_CASES) {
    const layers = timedLayers(c.spec);
    const ref = await onReference({ spec: c.spec, layers, batch: 1, batches: [] });
    let ort: number | null = null;
    if (backend) {
      ort = 0;
      for (const i of layers) ort += (await ortLayerMs(c.spec, i, 1, backend)) ?? 0;
    }
    cases.push({
      id: c.id,
      referenceMs: ref.layers.reduce((n, l) => n + l.ms, 0),
      ortMs: ort,
    });
  }
  return { backend, cases };
}
