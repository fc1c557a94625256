/**
 * The lab's training loop and what it schedules around the steps: evaluation (with the filter
 * snapshot) at every epoch end, and a checkpoint at least every SAVE_EVERY_MS, at every epoch
 * end, on pause and on the `save` command; store writes go one at a time. The loop yields to the event loop between steps, so commands are answered
 * between two steps.
 */
import type { State } from './engines';
import { cleanTrainAccuracy, EVAL_BATCH, evaluate } from './eval';
import { evaluateScenes } from './scene-task';
import type { LabCore } from './lab-core';
import { SAVE_EVERY_MS, snapshotEvent } from './lab-rules';
import { orFallBack } from './lab-recovery';
import { trainStep } from './lab-step';

/** Trains run `gen` while it runs; on stopping (pause, step), saves and reports 'paused'. */
export async function loop(core: LabCore, gen: number): Promise<void> {
  if (core.looping) return;
  core.looping = true;
  try {
    while (core.running && gen === core.gen) {
      await core.host.yieldNow();
      if (!core.running || gen !== core.gen) break;
      await core.exclusive(() => advance(core, gen));
    }
    if (gen === core.gen && (core.state === 'training' || core.state === 'paused')) {
      // Paused: save now, so a reload resumes exactly here.
      await core.exclusive(() => orFallBack(core, gen, () => save(core)));
      if (core.state === 'training') core.setState('paused');
      core.emitProgress(true);
    }
  } catch (error) {
    if (gen === core.gen) core.fail(error);
  } finally {
    core.looping = false;
  }
}

/**
 * One step with what it is due (inside the exclusive chain): an evaluation at an epoch end, else
 * a checkpoint if the last is older than SAVE_EVERY_MS — written beside the loop, not awaited,
 * and skipped while an earlier write is still going.
 */
export function advance(core: LabCore, gen: number): Promise<void> {
  return orFallBack(core, gen, async () => {
    const end = await trainStep(core, gen);
    if (end === 'epoch-end') await endEpoch(core, gen);
    else if (
      end === 'stepped' &&
      core.writing === 0 &&
      core.host.now() - core.lastSave > SAVE_EVERY_MS
    )
      await checkpoint(core);
  });
}

async function endEpoch(core: LabCore, gen: number): Promise<void> {
  const book = core.book!;
  core.setState('evaluating');
  const state = await core.trainer!.read();
  const spec = core.config!.network;
  const segment = core.config!.task === 'segment';
  const test = core.test!;
  const result = segment
    ? await evaluateScenes(core.evaluator!, state, test, spec)
    : await evaluate(core.evaluator!, state, test, EVAL_BATCH, test.perClass.length);
  const clean = core.cleanTrain;
  const cleanAccuracy = clean
    ? await cleanTrainAccuracy(
        core.evaluator!,
        state,
        clean.split,
        clean.count,
        undefined,
        EVAL_BATCH,
        test.perClass.length,
      )
    : undefined;
  if (gen !== core.gen) return;
  book.endEpoch(result.testAccuracy, result.testLoss, cleanAccuracy);
  core.host.emit({
    kind: 'eval',
    epoch: book.epoch,
    ...result,
    ...(cleanAccuracy === undefined ? {} : { cleanTrainAccuracy: cleanAccuracy }),
  });
  // The snapshot shows one test digit's first feature maps: a classifier's figure only.
  const snapshot = segment ? undefined : await snapshotEvent(spec, state, core.evaluator!, test);
  if (snapshot) core.host.emit(snapshot);
  // The epoch's checkpoint is written beside the next steps, not before them; the last epoch's
  // is awaited, so 'done' means saved.
  const pending = await checkpoint(core, state);
  if (book.done) await pending?.written;
  core.emitProgress(true);
  if (book.done) {
    core.running = false;
    core.setState('done');
  } else {
    core.setState(core.running ? 'training' : 'paused');
  }
}

/** Writes the run's checkpoint (`state`, or the trainer's now) and waits until it is written. */
export async function save(core: LabCore, state?: State): Promise<void> {
  await (
    await checkpoint(core, state)
  )?.written;
}

/**
 * The `save` command (the page sends it on pagehide): a checkpoint now if the run has progress
 * the store does not hold yet, else nothing. Only the weights are read between two steps; the
 * write queues behind any other, so the loop trains on meanwhile.
 */
export async function saveNow(core: LabCore): Promise<void> {
  if (!core.trainer || !core.book) return;
  const gen = core.gen;
  let pending: { readonly written: Promise<void> } | undefined;
  await core.exclusive(() =>
    orFallBack(core, gen, async () => {
      if (core.book && core.book.globalStep !== core.savedStep) pending = await checkpoint(core);
    }),
  );
  await pending?.written;
}

/**
 * Captures the run as it stands (inside the exclusive chain, so weights and progress belong to
 * the same step) and queues its write. The promise is wrapped so the chain need not wait for it.
 * A failed write turns saving off for the session.
 */
async function checkpoint(
  core: LabCore,
  state?: State,
): Promise<{ readonly written: Promise<void> } | undefined> {
  const store = await core.ensureStore();
  if (!store || !core.trainer || !core.book || !core.config) return undefined;
  const book = core.book;
  const step = book.globalStep;
  const record = {
    config: core.config,
    progress: book.snapshot(),
    state: state ?? (await core.trainer.read()),
    lr: core.scheduledLr,
    optimizerSteps: step,
    savedAt: Date.now(),
  };
  core.savedStep = step;
  const written = core.queueWrite(async () => {
    try {
      await store.save(record);
      core.lastSave = core.host.now();
      core.host.emit({ kind: 'saved', step });
    } catch (error) {
      core.store = Promise.resolve(null);
      core.host.emit({
        kind: 'notice',
        text: `Saving the run failed (${error instanceof Error ? error.message : String(error)}); training goes on without saving.`,
      });
    }
  });
  return { written };
}
