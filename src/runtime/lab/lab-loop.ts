/**
 * The lab's training loop and what it schedules around the steps: evaluation (with the filter
 * snapshot) at every epoch end, and a checkpoint at least every SAVE_EVERY_MS, at every epoch
 * end and on pause. The loop yields to the event loop between steps, so commands are answered
 * between two steps.
 */
import type { State } from './engines';
import { evaluate } from './eval';
import type { LabCore } from './lab-core';
import { SAVE_EVERY_MS, snapshotEvent } from './lab-rules';
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
      await core.exclusive(() => save(core));
      if (core.state === 'training') core.setState('paused');
      core.emitProgress(true);
    }
  } catch (error) {
    if (gen === core.gen) core.fail(error);
  } finally {
    core.looping = false;
  }
}

/** One step with what it is due (inside the exclusive chain): an evaluation, or a checkpoint. */
export async function advance(core: LabCore, gen: number): Promise<void> {
  const end = await trainStep(core, gen);
  if (end === 'epoch-end') await endEpoch(core, gen);
  else if (end === 'stepped' && core.host.now() - core.lastSave > SAVE_EVERY_MS) await save(core);
}

async function endEpoch(core: LabCore, gen: number): Promise<void> {
  const book = core.book!;
  core.setState('evaluating');
  const state = await core.trainer!.read();
  const result = await evaluate(core.evaluator!, state, core.data!.test);
  if (gen !== core.gen) return;
  book.endEpoch(result.testAccuracy, result.testLoss);
  core.host.emit({ kind: 'eval', epoch: book.epoch, ...result });
  const snapshot = await snapshotEvent(
    core.config!.network,
    state,
    core.evaluator!,
    core.data!.test,
  );
  if (snapshot) core.host.emit(snapshot);
  await save(core, state);
  core.emitProgress(true);
  if (book.done) {
    core.running = false;
    core.setState('done');
  } else {
    core.setState(core.running ? 'training' : 'paused');
  }
}

/** Writes the run's checkpoint (`state`, or the trainer's now); a failure turns saving off. */
export async function save(core: LabCore, state?: State): Promise<void> {
  const store = await core.ensureStore();
  if (!store || !core.trainer || !core.book) return;
  const book = core.book;
  try {
    await store.save({
      config: core.config!,
      progress: book.snapshot(),
      state: state ?? (await core.trainer.read()),
      lr: core.scheduledLr,
      optimizerSteps: book.globalStep,
      savedAt: Date.now(),
    });
    core.lastSave = core.host.now();
    core.host.emit({ kind: 'saved', step: book.globalStep });
  } catch (error) {
    core.store = Promise.resolve(null);
    core.host.emit({
      kind: 'notice',
      text: `Saving the run failed (${error instanceof Error ? error.message : String(error)}); training goes on without saving.`,
    });
  }
}
