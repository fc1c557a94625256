/**
 * The training check and the training benchmark, through the lab worker readers use (createLab,
 * the same worker, host, trainer and loop as lesson 9's lab), each in its own slot so lesson 9's
 * saved run is never touched. The check replays the lab's exact batches on the reference engine
 * here in the page, straight from src/cnn (not the lab's own cross-check code), and compares.
 */
import {
  createOptimizerState,
  initParams,
  lossAndGradients,
  mnistTutorialNet,
  optimizerStep,
} from '../../../src/cnn/index.ts';
import type { OptimizerSpec } from '../../../src/cnn/index.ts';
import { parseMnistBin } from '../../../src/data/mnist.ts';
import { crossCheck } from '../../../src/runtime/crosscheck.ts';
import { wasmThreads } from '../../../src/runtime/ort.ts';
import { createLab } from '../../../src/runtime/lab/client.ts';
import type { LabClient } from '../../../src/runtime/lab/client.ts';
import { TrainingData } from '../../../src/runtime/lab/data.ts';
import type { LabCommand, LabConfig, LabEvent } from '../../../src/runtime/lab/protocol.ts';

type Backend = 'webgpu' | 'wasm';

export const OPTIMIZERS: Record<string, OptimizerSpec> = {
  sgd: { type: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 5e-4 },
  adam: { type: 'adam', lr: 1e-3 },
};

/** A lab worker of its own, its events recorded, with a wait for the first event that matches. */
function openLab(slot: string) {
  const lab: LabClient = createLab(slot);
  const events: LabEvent[] = [];
  lab.on((e) => events.push(e));
  const send = (cmd: LabCommand) => lab.send(cmd);
  async function until<E extends LabEvent>(
    pred: (e: LabEvent) => e is E,
    what: string,
    timeoutMs = 170_000,
  ): Promise<E> {
    const t0 = performance.now();
    for (let from = 0; ;) {
      for (; from < events.length; from++) {
        const e = events[from]!;
        if (pred(e)) return e;
        if (e.kind === 'error') throw new Error(`lab: ${e.message}`);
        if (e.kind === 'nan') throw new Error(`lab: ${e.message}`);
      }
      if (performance.now() - t0 > timeoutMs)
        throw new Error(`lab: no ${what} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return { send, until, events, close: () => lab.terminate() };
}

const isStatus =
  (state: string) =>
  (e: LabEvent): e is Extract<LabEvent, { kind: 'status' }> =>
    e.kind === 'status' && e.state === state;

function trainedOn(events: readonly LabEvent[], backend: Backend): void {
  const used = events.findLast((e) => e.kind === 'status');
  if (used?.kind !== 'status' || used.backend !== backend)
    throw new Error(
      `the lab trained on ${used?.kind === 'status' ? used.backend : '?'}, not ${backend}`,
    );
}

/**
 * `steps` training steps of the MNIST tutorial net in the lab worker on ORT (a one-epoch run of
 * exactly `steps` batches of real, augmented training digits; parameters kept on the device) and
 * the same batches from the same initial weights on the reference engine here; returns the worst
 * parameter difference and both loss curves (one history point per step).
 */
export async function trainCheck(
  backend: Backend,
  optimizer: 'sgd' | 'adam',
  steps = 20,
  batch = 16,
) {
  const spec = mnistTutorialNet;
  const opt = OPTIMIZERS[optimizer]!;
  const config: LabConfig = {
    preset: 'tutorial',
    network: spec,
    optimizer: opt,
    lrDecay: 1,
    batchSize: batch,
    epochs: 1,
    backend,
    augmentation: { shift: 2, rotate: 0, scale: 0 },
    trainSubset: steps * batch,
    seed: 42,
  };
  const lab = openLab(`harness-check-${backend}-${optimizer}`);
  let live;
  try {
    const t0 = performance.now();
    lab.send({ kind: 'start', config });
    await lab.until(isStatus('training'), 'training status');
    const createMs = performance.now() - t0;
    await lab.until(isStatus('done'), 'end of the run');
    trainedOn(lab.events, backend);
    lab.send({ kind: 'weights', id: 1 });
    const answer = await lab.until(
      (e): e is Extract<LabEvent, { kind: 'weights' }> => e.kind === 'weights',
      'weights',
    );
    live = { ...answer.weights!, createMs };
  } finally {
    lab.close();
  }
  const history = live.progress.history;
  if (history.length !== steps)
    throw new Error(`the lab recorded ${history.length} loss points for ${steps} steps`);

  const { train } = parseMnistBin(await (await fetch('/data/mnist.bin')).arrayBuffer());
  const data = new TrainingData(train, config);
  let params = initParams(spec, config.seed);
  let state = createOptimizerState(opt, params);
  const refLoss: number[] = [];
  for (let s = 0; s < steps; s++) {
    const b = data.batch(0, s);
    const x = { shape: [b.size, ...spec.inputShape], data: b.images };
    const g = lossAndGradients(spec, params, x, b.labels, {
      training: true,
      dropoutSeed: b.dropoutSeed,
    });
    refLoss.push(g.loss);
    ({ params, state } = optimizerStep(opt, params, g.grads, state));
  }
  let maxAbsError = 0;
  let maxParam = 0;
  const perParam: Record<string, number> = {};
  for (const [name, t] of Object.entries(params)) {
    const c = crossCheck(backend, live.params[name]!.data, t.data);
    perParam[name] = c.maxAbsError;
    maxAbsError = Math.max(maxAbsError, c.maxAbsError);
    for (const v of t.data) maxParam = Math.max(maxParam, Math.abs(v));
  }
  return {
    maxAbsError,
    maxParam,
    perParam,
    ortLoss: history.map((p) => p.trainLoss),
    refLoss,
    createMs: live.createMs,
    ortMsPerStep: (live.progress.seconds * 1000) / steps,
  };
}

/**
 * The lab's training speed on ORT: the default preset's net and data at `batch`, timed from the
 * first progress report after `warmup` steps to the first after `warmup + steps` more. `threads`
 * (wasm; before ORT loads) as the benchmark asks, else the lab's own choice.
 */
export async function benchTrain(
  backend: Backend,
  batch = 64,
  steps = 20,
  warmup = 3,
  threads?: number,
) {
  const stepsPerEpoch = Math.floor(8000 / batch);
  const config: LabConfig = {
    preset: 'tutorial',
    network: mnistTutorialNet,
    optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 },
    lrDecay: 0.87,
    batchSize: batch,
    epochs: Math.ceil((warmup + steps + 1) / stepsPerEpoch) + 1,
    backend,
    augmentation: { shift: 2, rotate: 0, scale: 0 },
    seed: 3,
  };
  const lab = openLab(`harness-bench-${backend}`);
  const at = (min: number) =>
    lab.until(
      (e): e is Extract<LabEvent, { kind: 'progress' }> =>
        e.kind === 'progress' && e.progress.epoch * stepsPerEpoch + e.progress.step >= min,
      `step ${min}`,
      600_000,
    );
  try {
    if (threads !== undefined) lab.send({ kind: 'debug', action: 'wasm-threads', threads });
    lab.send({ kind: 'start', config });
    const a = await at(warmup);
    const t0 = performance.now();
    const stepA = a.progress.epoch * stepsPerEpoch + a.progress.step;
    const b = await at(Math.max(warmup + steps, stepA + 1));
    const wall = (performance.now() - t0) / 1000;
    lab.send({ kind: 'pause' });
    trainedOn(lab.events, backend);
    const done = b.progress.epoch * stepsPerEpoch + b.progress.step - stepA;
    const inSteps = b.progress.seconds - a.progress.seconds;
    return {
      // as a reader's lab runs: wall clock, with its cross-checks, evaluations and checkpoints
      imagesPerSecond: (done * batch) / wall,
      msPerStep: (wall * 1000) / done,
      // the training steps alone, as the lab's loop times them
      workerImagesPerSecond: (done * batch) / inSteps,
      workerMsPerStep: (inSteps * 1000) / done,
      loss: b.progress.history.at(-1)?.trainLoss ?? Number.NaN,
      threads: threads ?? wasmThreads(self.crossOriginIsolated, navigator.hardwareConcurrency),
    };
  } finally {
    lab.close();
  }
}
