/**
 * The training lab's engine room: one run at a time, driven by LabCommands, reporting LabEvents.
 * Everything that touches the browser (ORT, WebGPU, IndexedDB, fetch) comes in through LabHost,
 * so the lab itself runs in Node's tests on the reference engine with an in-memory store.
 *
 * This file is the command dispatcher and the run's lifecycle (start, restore, reset, clear,
 * recover, save); the run's state is a LabCore (lab-core.ts), the loop and its evaluations and
 * checkpoints are in lab-loop.ts, one step and its cross-check in lab-step.ts, and the NaN and
 * lost-device paths in lab-recovery.ts. One step at a time goes through the core's `exclusive`
 * chain, so pause / step / predict / export are answered between two steps.
 */
import { chooseBackend } from '../backends';
import { exportInferenceModel } from '../../onnx/index';
import { TrainingData } from './data';
import { SceneData } from './scene-task';
import { initialState, paramsOf } from './engines';
import type { State } from './engines';
import { importedRun } from './lab-import';
import { OwnData, ownSplits } from './lab-own';
import { LabCore } from './lab-core';
import { warmUp } from './lab-warm';
import { advance, loop, saveNow } from './lab-loop';
import { applyRecover, checkRecover } from './lab-recovery';
import { checkConfig, paramCopies, POISON_LR } from './lab-rules';
import type { LabHost } from './lab-rules';
import { ProgressBook } from './progress';
import { checkRunWeights } from './saved-run';
import type { HistoryPoint, LabCommand, LabConfig, LabEvent, LabWeights } from './protocol';
import { holdOut } from '../../data/own';
import { scheduledLearningRate } from './schedule';

export {
  checkConfig,
  evaluatorBackend,
  KEEP_EVERY,
  POISON_LR,
  SAMPLE_INDEX,
  SAVE_EVERY_MS,
  type LabHost,
} from './lab-rules';

/** What a `weights` answer says of the run besides its tensors: its classes, an import. */
function aboutRun(c: LabConfig): Pick<LabWeights, 'classes' | 'heldOut' | 'imported'> {
  const test = c.own && holdOut(c.own, c.seed).test;
  return {
    ...(c.own && test
      ? { classes: c.own.classes, heldOut: { images: test.images, labels: test.labels } }
      : {}),
    ...(c.imported ? { imported: true } : {}),
  };
}

/** What is wrong with a saved run that could not be read, without the "saved run: " prefix. */
function whyUnreadable(error: unknown): string {
  return error instanceof Error ? error.message.replace(/^saved run: /, '') : String(error);
}

export class Lab {
  private readonly core: LabCore;

  constructor(host: LabHost) {
    this.core = new LabCore(host);
  }

  /** Handles one command; never throws (failures become `error` events). */
  async handle(cmd: LabCommand): Promise<void> {
    try {
      await this.dispatch(cmd);
    } catch (error) {
      this.core.fail(error);
    }
  }

  private async dispatch(cmd: LabCommand): Promise<void> {
    const core = this.core;
    switch (cmd.kind) {
      case 'start':
        return this.start(cmd.config);
      case 'warm': {
        const t0 = core.host.now();
        const steps = await warmUp(core, cmd.config).catch(() => 0);
        core.host.emit({ kind: 'warmed', steps, seconds: (core.host.now() - t0) / 1000 });
        return;
      }
      case 'restore':
        return this.restore();
      case 'pause':
        // The loop stops after the step in flight, saves, then reports 'paused'.
        core.running = false;
        return;
      case 'resume':
        if (core.state === 'paused' && core.trainer && !core.book?.done) {
          core.running = true;
          core.setState('training');
          void loop(core, core.gen);
        }
        return;
      case 'step':
        if (core.running) {
          core.running = false; // pause after the step in flight
          return;
        }
        if (core.state === 'paused' && core.trainer && !core.book?.done) {
          const gen = core.gen;
          await core.exclusive(() => advance(core, gen));
          core.emitProgress(true);
        }
        return;
      case 'reset':
        if (core.config) await this.start(core.config, false);
        return;
      case 'clear':
        return this.clear();
      case 'save':
        return saveNow(core);
      case 'recover':
        return this.recover(cmd.lr);
      case 'predict':
        return core.exclusive(async () => {
          const { trainer, evaluator, spec } = core.ready();
          const [c, h, w] = spec.inputShape;
          if (cmd.pixels.length !== c * h * w)
            throw new RangeError(`predict: ${cmd.pixels.length} pixels, expected ${c * h * w}`);
          const params = await trainer.read();
          const out = await evaluator.run(params, cmd.pixels, 1, ['probabilities']);
          core.host.emit({
            kind: 'prediction',
            id: cmd.id,
            probabilities: Array.from(out.probabilities!),
          });
        });
      case 'export':
        return core.exclusive(async () => {
          const { trainer, spec } = core.ready();
          const bytes = exportInferenceModel(spec, paramsOf(spec, await trainer.read()));
          core.host.emit({ kind: 'exported', id: cmd.id, bytes });
        });
      case 'weights':
        return core.exclusive(async () => core.host.emit(await this.weights(cmd.id)));
      case 'import':
        return this.importNet(cmd.id, cmd.bytes, cmd.config, cmd.replace ?? false);
      case 'debug':
        if (cmd.action === 'poison-lr') {
          core.poisoned = true;
          core.host.emit({ kind: 'notice', text: `Debug: the learning rate is now ${POISON_LR}.` });
        } else if (cmd.action === 'wasm-threads') {
          core.host.wasmThreads(cmd.threads);
        } else {
          await core.host.loseDevice();
        }
        return;
    }
  }

  /**
   * An exported .onnx back in the lab: held paused at step 0 with its weights (and saved, so a
   * reload finds it), then `imported`; a model that cannot be this lab's run gets `import-failed`
   * with the importer's words, before anything the lab holds is stopped.
   */
  private async importNet(
    id: number,
    bytes: Uint8Array,
    config: LabConfig,
    replace: boolean,
  ): Promise<void> {
    const core = this.core;
    let run: ReturnType<typeof importedRun>;
    try {
      run = importedRun(bytes, config);
      checkConfig(run.config);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      core.host.emit({ kind: 'import-failed', id, message });
      return;
    }
    const stake = replace ? null : await this.runAtStake();
    if (stake) {
      core.host.emit({ kind: 'import-confirm', id, ...stake });
      return;
    }
    await this.start(run.config, false, run.state);
    if (core.config !== run.config) return; // superseded, or it failed (an error was emitted)
    await saveNow(core);
    core.host.emit({ kind: 'restored', config: run.config, progress: core.book!.snapshot() });
    core.host.emit({ kind: 'imported', id, network: run.config.network });
  }

  /**
   * The run an import would replace, if the reader trained it here: the held run, else the
   * saved one, with steps taken in this lab (an imported net not trained on is the reader's file
   * still). A saved run that cannot be read is not at stake: the lab offers to discard it anyway.
   */
  private async runAtStake(): Promise<{
    epoch: number;
    step: number;
    testAccuracy?: number;
  } | null> {
    const core = this.core;
    const about = (p: { epoch: number; step: number; history: readonly HistoryPoint[] }) => {
      if (p.epoch === 0 && p.step === 0) return null;
      const test = p.history.findLast((h) => h.testAccuracy !== undefined)?.testAccuracy;
      return {
        epoch: p.epoch,
        step: p.step,
        ...(test === undefined ? {} : { testAccuracy: test }),
      };
    };
    if (core.config && core.book) return about(core.book.snapshot());
    const saved = await (await core.ensureStore())?.load().catch(() => undefined);
    return saved ? about(saved.progress) : null;
  }

  /** The `weights` answer: the held net's parameters, else the saved run's, else none. */
  private async weights(id: number): Promise<Extract<LabEvent, { kind: 'weights' }>> {
    const core = this.core;
    if (core.trainer && core.config && core.book) {
      const network = core.config.network;
      const params = paramCopies(network, await core.trainer.read());
      const progress = core.book.snapshot();
      const about = aboutRun(core.config);
      return {
        kind: 'weights',
        id,
        weights: { network, params, progress, source: 'live', ...about },
      };
    }
    const store = await core.ensureStore();
    try {
      const saved = await store?.load();
      if (!saved) return { kind: 'weights', id, weights: null };
      const network = saved.config.network;
      const params = paramCopies(network, saved.state);
      const weights = {
        network,
        params,
        progress: saved.progress,
        source: 'saved' as const,
        ...aboutRun(saved.config),
      };
      return { kind: 'weights', id, weights };
    } catch (error) {
      return { kind: 'weights', id, weights: null, problem: whyUnreadable(error) };
    }
  }

  /** Validates the config, loads the data and picks the backend; false if superseded. */
  private async prepare(config: LabConfig, gen: number): Promise<boolean> {
    const core = this.core;
    checkConfig(config);
    core.setState('loading-data');
    // Task 'own' brings its examples; the others train on MNIST.
    const data = config.task === 'own' ? ownSplits(config) : await core.ensureData();
    if (gen !== core.gen) return false;
    core.setState('compiling');
    await core.probe();
    const choice = chooseBackend(core.statuses, config.backend);
    core.backend = choice.backend;
    if (choice.note) core.host.emit({ kind: 'notice', text: choice.note });
    core.config = config;
    core.train =
      config.task === 'segment'
        ? new SceneData(data.train, config)
        : config.task === 'own'
          ? new OwnData(data.train, config)
          : new TrainingData(data.train, config);
    core.test = data.test;
    core.cleanTrain =
      config.task === 'segment' ? undefined : { split: data.train, count: core.train.count };
    return gen === core.gen;
  }

  private async start(config: LabConfig, run = true, from?: State): Promise<void> {
    const core = this.core;
    const gen = await core.stop();
    if (!(await this.prepare(config, gen))) return;
    const state = from ?? initialState(config.network, config.optimizer, config.seed);
    await core.exclusive(() => core.engines(config, state));
    if (gen !== core.gen) return;
    core.book = new ProgressBook(core.train!.stepsPerEpoch, config.epochs);
    core.resetRunFlags(state, 0);
    core.savedStep = undefined; // the store holds no step of this run yet (maybe an older run)
    void core.ensureStore();
    core.running = run;
    core.setState(run ? 'training' : 'paused');
    core.emitProgress(true);
    if (run) void loop(core, gen);
  }

  private async clear(): Promise<void> {
    const core = this.core;
    await core.stop();
    const store = await core.ensureStore();
    // Behind any save still being written, which would otherwise bring the run back.
    await core.queueWrite(async () => store?.clear());
    core.book = undefined;
    core.savedStep = undefined;
    core.setState('idle');
  }

  private async restore(): Promise<void> {
    const core = this.core;
    const store = await core.ensureStore();
    const keep =
      'Nothing is deleted: it is kept until you start a new run, or discard it with “Clear saved run”.';
    let saved = await store?.load().catch((error: unknown) => {
      core.host.emit({
        kind: 'notice',
        text: `Your saved run could not be resumed: ${whyUnreadable(error)}. ${keep}`,
      });
      return undefined;
    });
    const problem = saved && checkRunWeights(saved.config.network, saved.state);
    if (saved && problem && problem.kind !== 'ok') {
      core.host.emit({
        kind: 'notice',
        text: `Your saved run (epoch ${saved.progress.epoch}) could not be resumed: ${problem.message}. ${keep}`,
      });
      saved = undefined;
    }
    if (!saved) {
      await core.probe();
      if (core.state === 'idle') {
        core.backend = chooseBackend(core.statuses).backend;
        core.setState('idle');
      }
      return;
    }
    const gen = await core.stop();
    if (!(await this.prepare(saved.config, gen))) return;
    const book = ProgressBook.from(saved.progress, saved.config.epochs);
    if (book.stepsPerEpoch !== core.train!.stepsPerEpoch)
      throw new RangeError('saved run: its steps per epoch do not match its config');
    await core.exclusive(() => core.engines(saved.config, saved.state));
    if (gen !== core.gen) return;
    core.book = book;
    core.resetRunFlags(saved.state, book.globalStep);
    core.savedStep = book.globalStep;
    const scheduled = scheduledLearningRate(saved.config, book.globalStep, book.stepsPerEpoch);
    if (Number.isFinite(saved.lr) && saved.lr > 0) core.lrScale = saved.lr / scheduled;
    core.host.emit({ kind: 'restored', config: saved.config, progress: book.snapshot() });
    core.setState(book.done ? 'done' : 'paused');
    core.emitProgress(true);
  }

  private async recover(lr: number): Promise<void> {
    const core = this.core;
    const from = checkRecover(core, lr);
    const gen = core.gen;
    await core.exclusive(async () => applyRecover(core, lr));
    if (gen !== core.gen) return;
    core.host.emit({
      kind: 'notice',
      text: `Training continues from step ${from} at learning rate ${lr}.`,
    });
    core.running = true;
    core.setState('training');
    core.emitProgress(true);
    void loop(core, gen);
  }
}
