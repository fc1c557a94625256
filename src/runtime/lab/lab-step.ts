/**
 * One training step of the lab and its cross-check: the step runs on the run's trainer; on the
 * first step of a run (or after a recovery) and on the last step of every epoch, the same step is
 * re-run on the reference engine from the same weights and batch, and both results compared.
 */
import { crossCheck, TOLERANCE } from '../crosscheck';
import type { BackendName } from '../crosscheck';
import type { NetworkSpec, OptimizerSpec } from '../../cnn/index';
import type { Batch } from './data';
import { paramsOf, referenceStep } from './engines';
import type { LabTrainer, State, StepArgs, StepOutcome } from './engines';
import type { LabCore } from './lab-core';
import { stopOnNan } from './lab-recovery';
import { DeviceLost, KEEP_EVERY } from './lab-rules';
import { isSaneLoss, LastGood } from './last-good';
import type { LabEvent } from './protocol';

/** What a step came to: none ran, it ran, it ended an epoch, or the run stopped or moved. */
export type StepEnd = 'skipped' | 'stepped' | 'epoch-end' | 'interrupted';

/** Runs a trainer step, failing fast if the WebGPU device is lost meanwhile. */
function guardedStep(core: LabCore, trainer: LabTrainer, args: StepArgs): Promise<StepOutcome> {
  const lost = trainer.device === 'webgpu' ? core.host.deviceLost() : undefined;
  if (!lost) return trainer.step(args);
  return Promise.race<StepOutcome>([
    trainer.step(args),
    lost.then((reason) => {
      throw new DeviceLost(reason);
    }),
  ]);
}

/**
 * The cross-check of one step: the trainer's weights after it (`post`) against the reference
 * engine's step from `pre`. The tolerance scales with the largest weight.
 */
export function crossCheckStep(
  device: BackendName,
  spec: NetworkSpec,
  opt: OptimizerSpec,
  pre: State,
  post: State,
  args: StepArgs,
): Extract<LabEvent, { kind: 'crosscheck' }> {
  const ref = referenceStep(spec, opt, pre, args);
  let maxAbsError = 0;
  let scale = 1;
  let agree = true;
  for (const name of Object.keys(paramsOf(spec, ref.state))) {
    const expected = ref.state[name]!.data;
    for (const v of expected) scale = Math.max(scale, Math.abs(v));
    const c = crossCheck(device, post[name]!.data, expected, Infinity);
    maxAbsError = Math.max(maxAbsError, c.maxAbsError);
    agree &&= c.agree;
  }
  const tolerance = TOLERANCE[device] * scale;
  return {
    kind: 'crosscheck',
    backend: device,
    maxAbsError,
    tolerance,
    agree: agree && maxAbsError <= tolerance,
    step: args.t,
  };
}

/** One step of run `gen` (inside the exclusive chain); records it and reports progress. */
export async function trainStep(core: LabCore, gen: number): Promise<StepEnd> {
  if (gen !== core.gen || !core.trainer || !core.book || core.book.done) return 'skipped';
  const trainer = core.trainer;
  const book = core.book;
  const config = core.config!;
  const global = book.globalStep;
  const check = trainer.device !== 'reference' && (core.checkNext || book.nextEndsEpoch);
  const pre = check ? await trainer.read() : undefined;
  const t0 = core.host.now();
  const batch: Batch = core.train!.batch(book.epoch, book.step);
  const lr = core.lr;
  const args = { batch, lr, t: global + 1 };
  // A failure here (or in a read) on WebGPU is caught by the caller's orFallBack.
  const r = await guardedStep(core, trainer, args);
  const seconds = (core.host.now() - t0) / 1000;
  core.lastGood.observe(global + 1, r.loss);
  if (!isSaneLoss(r.loss)) {
    await stopOnNan(core, trainer, r.loss, global + 1, lr);
    return 'interrupted';
  }
  let post: State | undefined;
  if (pre) {
    post = await trainer.read();
    core.host.emit(
      crossCheckStep(trainer.device, config.network, config.optimizer, pre, post, args),
    );
    core.checkNext = false;
  }
  const endsEpoch = book.recordStep(r.loss, r.accuracy, seconds);
  core.rate.add(batch.size, seconds);
  if (LastGood.due(global + 1, KEEP_EVERY, endsEpoch))
    core.lastGood.offer(global + 1, post ?? (await trainer.read()));
  core.emitProgress(endsEpoch);
  return endsEpoch ? 'epoch-end' : 'stepped';
}
