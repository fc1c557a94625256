/**
 * Warm-up while the reader reads: the lab loads the digits and ORT, builds the run's training
 * session and runs throwaway steps, so that by the time the reader presses Start the browser has
 * compiled ORT's hot WebAssembly at its optimising tier (V8 starts every function on its baseline
 * compiler and moves the hot ones up only after they have run a while: the first 300 steps of a
 * cold lab ran at about half of its steady speed). Nothing of the reader's run is touched: the
 * weights are a throwaway copy, the batches come from the run's pure batch plan, and each step
 * goes through the exclusive chain, so a Start (which bumps the generation) ends the warm-up
 * after the step in flight.
 */
import { chooseBackend } from '../backends';
import { TrainingData } from './data';
import { initialState } from './engines';
import type { LabCore } from './lab-core';
import { checkConfig } from './lab-rules';
import type { LabConfig } from './protocol';

/** Enough steps for V8 to tier up ORT's kernels (docs/benchmarks.md: warm-up). */
export const WARM_STEPS = 300;

/**
 * Warms the lab for `config` (the widget asks once per page), only while no run exists, only on
 * the wasm EP (a WebGPU step costs the GPU, not V8) and only for MNIST classifiers; resolves when
 * done or ended.
 * Returns the steps it ran. A warm-up is only ever a head start: whatever fails in it is dropped
 * (the run itself will meet and report the same failure).
 */
export async function warmUp(core: LabCore, config: LabConfig): Promise<number> {
  if (core.state !== 'idle' || core.trainer || config.task !== undefined) return 0;
  checkConfig(config);
  const gen = core.gen;
  const data = await core.ensureData();
  await core.probe();
  if (chooseBackend(core.statuses, config.backend).backend !== 'wasm') return 0;
  const live = () => gen === core.gen && core.state === 'idle' && !core.trainer;
  if (!live()) return 0;
  const source = new TrainingData(data.train, config);
  const trainer = await core.exclusive(() =>
    core.host.createTrainer(
      'wasm',
      config.network,
      config,
      initialState(config.network, config.optimizer, config.seed),
    ),
  );
  const lr = config.optimizer.lr; // the weights are thrown away; the kernels run as in training
  let steps = 0;
  try {
    while (steps < WARM_STEPS && live()) {
      const batch = source.batch(0, steps % source.stepsPerEpoch);
      await core.exclusive(() => trainer.step({ batch, lr, t: steps + 1 }));
      steps += 1;
      await core.host.yieldNow(); // a step resolves in microtasks: let the reader's Start in
    }
  } finally {
    await trainer.release().catch(() => {});
  }
  return steps;
}
