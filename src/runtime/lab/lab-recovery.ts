/**
 * The lab's two ways back from a failed step, both from the last good weights (LastGood): a loss
 * that became NaN or diverged stops the run until `recover` names a lower learning rate; a lost
 * WebGPU device moves the run to wasm and trains on.
 */
import type { LabTrainer } from './engines';
import type { LabCore } from './lab-core';
import { scheduledLearningRate } from './schedule';

/**
 * Stops the run on a loss that is not sane (non-finite, or ≥ DIVERGED_LOSS) at global step
 * `step`, putting the last good weights back so predict and export use them meanwhile.
 */
export async function stopOnNan(
  core: LabCore,
  trainer: LabTrainer,
  loss: number,
  step: number,
  lr: number,
): Promise<void> {
  core.running = false;
  const good = core.lastGood.last;
  if (good) {
    const config = core.config!;
    await trainer.release().catch(() => {});
    core.trainer = await core.host.createTrainer(
      trainer.device,
      config.network,
      config,
      good.weights,
    );
    core.book!.rewind(good.step);
  }
  const what = Number.isFinite(loss) ? `diverged to ${loss.toPrecision(3)}` : `became ${loss}`;
  core.setState('stopped-nan');
  core.host.emit({
    kind: 'nan',
    step,
    lr,
    lastGoodStep: good?.step ?? 0,
    message: `The loss ${what} at step ${step} (learning rate ${lr}). Training stopped; the weights of step ${good?.step ?? 0} are kept. Lower the learning rate and continue from them.`,
  });
}

/**
 * Readies a run stopped on a NaN to continue at learning rate `lr` (inside the exclusive chain
 * of the caller's choosing); returns the step it continues from.
 */
export function checkRecover(core: LabCore, lr: number): number {
  if (core.state !== 'stopped-nan') throw new Error('recover: training has not stopped on a NaN');
  if (!(lr > 0) || !Number.isFinite(lr))
    throw new RangeError(`recover: lr must be a positive number, got ${lr}`);
  const good = core.lastGood.last;
  if (!good) throw new Error('recover: no good weights were kept');
  return good.step;
}

/** Sets the learning rate for a recovered run (the trainer already holds the good weights). */
export function applyRecover(core: LabCore, lr: number): void {
  core.poisoned = false;
  const c = core.config!;
  const book = core.book!;
  core.lrScale = lr / scheduledLearningRate(c, book.globalStep, book.stepsPerEpoch);
  core.checkNext = true;
}

/** True while run `gen` has any part (trainer or evaluator) on the WebGPU device. */
function onGpu(core: LabCore): boolean {
  return core.trainer?.device === 'webgpu' || core.evaluator?.device === 'webgpu';
}

/**
 * Runs a unit of run `gen`'s work (a step, an epoch's evaluation, a checkpoint's read). Any of
 * them can be the first to meet a lost device — a step, or a weight read's mapAsync — so a
 * failure while on WebGPU moves the run to wasm instead of ending it; elsewhere it is rethrown.
 */
export async function orFallBack(core: LabCore, gen: number, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    if (gen !== core.gen || !onGpu(core)) throw error;
    await fallBackToWasm(core, error);
  }
}

/** After a WebGPU step or read failed: the same run on wasm, from the last good weights. */
export async function fallBackToWasm(core: LabCore, error: unknown): Promise<void> {
  const good = core.lastGood.last;
  if (!good) throw error;
  const reason = error instanceof Error ? error.message : String(error);
  await core.trainer?.release().catch(() => {});
  core.markGpuUnavailable(`the GPU device was lost (${reason})`);
  core.backend = 'wasm';
  const config = core.config!;
  core.trainer = await core.host.createTrainer('wasm', config.network, config, good.weights);
  // Even a wasm evaluator may share the WebGPU build's ORT instance, which the failed GPU run
  // can still hold: recreate it on its own instance too.
  if (core.evaluator && core.evaluator.device !== 'reference') {
    await core.evaluator.release().catch(() => {});
    core.evaluator = await core.host.createEvaluator('wasm', config.network);
  }
  core.book!.rewind(good.step);
  core.checkNext = true;
  core.rate.reset();
  core.host.emit({
    kind: 'notice',
    text: `The GPU device was lost; training continues on WebAssembly from step ${good.step}.`,
  });
  core.setState(core.running ? 'training' : 'paused');
}
