/**
 * The training lab's engine room: one run at a time, driven by LabCommands, reporting LabEvents.
 * Everything that touches the browser (ORT, WebGPU, IndexedDB, fetch) comes in through LabHost,
 * so the loop itself runs in Node's tests on the reference engine with an in-memory store.
 *
 * One step at a time goes through `exclusive`, and the loop yields to the event loop between
 * steps, so pause / step / predict / export are answered between two steps.
 */
import { chooseBackend, type BackendStatus } from '../backends';
import { crossCheck, TOLERANCE, type BackendName } from '../crosscheck';
import { exportInferenceModel } from '../../onnx/index';
import { IMAGE_PIXELS, type MnistDataset } from '../../data/mnist';
import type { NetworkSpec } from '../../cnn/index';
import type { CheckpointStore } from './checkpoint';
import { TrainingData, type Batch } from './data';
import {
  copyState,
  initialState,
  paramsOf,
  referenceStep,
  type Evaluator,
  type LabTrainer,
  type State,
  type StepOutcome,
} from './engines';
import { evaluate } from './eval';
import { isSaneLoss, LastGood } from './last-good';
import { ProgressBook } from './progress';
import { checkRunWeights } from './saved-run';
import type { LabCommand, LabConfig, LabEvent, LabState } from './protocol';
import { learningRate, Rate, Throttle } from './schedule';
import {
  checkConfig,
  DeviceLost,
  evaluatorBackend,
  KEEP_EVERY,
  paramCopies,
  POISON_LR,
  SAVE_EVERY_MS,
  snapshotEvent,
  type LabHost,
} from './lab-rules';

export {
  checkConfig,
  evaluatorBackend,
  KEEP_EVERY,
  POISON_LR,
  SAMPLE_INDEX,
  SAVE_EVERY_MS,
  type LabHost,
} from './lab-rules';

export class Lab {
  private state: LabState = 'idle';
  private statuses: BackendStatus[] = [];
  private backend: BackendName = 'wasm';
  private config: LabConfig | undefined;
  private data: MnistDataset | undefined;
  private dataPromise: Promise<MnistDataset> | undefined;
  private train: TrainingData | undefined;
  private book: ProgressBook | undefined;
  private trainer: LabTrainer | undefined;
  private evaluator: Evaluator | undefined;
  private lastGood = new LastGood<State>();
  private store: Promise<CheckpointStore | null> | undefined;
  private lastSave = 0;
  private gen = 0;
  private running = false;
  private looping = false;
  private checkNext = false;
  private poisoned = false;
  /** Multiplies the schedule after a `recover` at another learning rate. */
  private lrScale = 1;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly throttle = new Throttle(100);
  private readonly rate = new Rate();

  constructor(private readonly host: LabHost) {}

  /** Handles one command; never throws (failures become `error` events). */
  async handle(cmd: LabCommand): Promise<void> {
    try {
      await this.dispatch(cmd);
    } catch (error) {
      this.fail(error);
    }
  }

  private async dispatch(cmd: LabCommand): Promise<void> {
    switch (cmd.kind) {
      case 'start':
        return this.start(cmd.config);
      case 'restore':
        return this.restore();
      case 'pause':
        // The loop stops after the step in flight, saves, then reports 'paused'.
        this.running = false;
        return;
      case 'resume':
        if (this.state === 'paused' && this.trainer && !this.book?.done) {
          this.running = true;
          this.setState('training');
          void this.loop(this.gen);
        }
        return;
      case 'step':
        if (this.running) {
          this.running = false; // pause after the step in flight
          return;
        }
        if (this.state === 'paused' && this.trainer && !this.book?.done) {
          const gen = this.gen;
          await this.exclusive(() => this.trainStep(gen));
          this.emitProgress(true);
        }
        return;
      case 'reset':
        return this.reset();
      case 'clear':
        return this.clear();
      case 'recover':
        return this.recover(cmd.lr);
      case 'predict':
        return this.exclusive(async () => {
          const { trainer, evaluator } = this.ready();
          if (cmd.pixels.length !== IMAGE_PIXELS)
            throw new RangeError(`predict: ${cmd.pixels.length} pixels, expected ${IMAGE_PIXELS}`);
          const params = await trainer.read();
          const out = await evaluator.run(params, cmd.pixels, 1, ['probabilities']);
          this.host.emit({
            kind: 'prediction',
            id: cmd.id,
            probabilities: Array.from(out.probabilities!),
          });
        });
      case 'export':
        return this.exclusive(async () => {
          const { trainer, spec } = this.ready();
          const bytes = exportInferenceModel(spec, paramsOf(spec, await trainer.read()));
          this.host.emit({ kind: 'exported', id: cmd.id, bytes });
        });
      case 'weights':
        return this.exclusive(async () => this.host.emit(await this.weights(cmd.id)));
      case 'debug':
        if (cmd.action === 'poison-lr') {
          this.poisoned = true;
          this.host.emit({ kind: 'notice', text: `Debug: the learning rate is now ${POISON_LR}.` });
        } else {
          await this.host.loseDevice();
        }
        return;
    }
  }

  /** The `weights` answer: the held net's parameters, else the saved run's, else none. */
  private async weights(id: number): Promise<Extract<LabEvent, { kind: 'weights' }>> {
    if (this.trainer && this.config && this.book) {
      const network = this.config.network;
      const params = paramCopies(network, await this.trainer.read());
      const progress = this.book.snapshot();
      return { kind: 'weights', id, weights: { network, params, progress, source: 'live' } };
    }
    const store = await this.ensureStore();
    try {
      const saved = await store?.load();
      if (!saved) return { kind: 'weights', id, weights: null };
      const network = saved.config.network;
      const params = paramCopies(network, saved.state);
      const weights = { network, params, progress: saved.progress, source: 'saved' as const };
      return { kind: 'weights', id, weights };
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      return { kind: 'weights', id, weights: null, problem };
    }
  }

  private ready(): { trainer: LabTrainer; evaluator: Evaluator; spec: NetworkSpec } {
    if (!this.trainer || !this.evaluator || !this.config)
      throw new Error('there is no network yet: start a run (or restore the saved one) first');
    return { trainer: this.trainer, evaluator: this.evaluator, spec: this.config.network };
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => {});
    return p;
  }

  private setState(state: LabState, message?: string): void {
    this.state = state;
    this.host.emit({
      kind: 'status',
      state,
      backend: this.backend,
      backends: this.statuses,
      ...(message !== undefined ? { message } : {}),
    });
  }

  private fail(error: unknown): void {
    this.running = false;
    const message = error instanceof Error ? error.message : String(error);
    this.host.emit({ kind: 'error', message });
    this.setState('error', message);
  }

  /** The schedule's learning rate for the current epoch (after any `recover`). */
  private get scheduledLr(): number {
    const c = this.config!;
    const epoch = Math.min(this.book!.epoch, c.epochs - 1);
    return learningRate(c.optimizer.lr, c.lrDecay, epoch) * this.lrScale;
  }

  /** The learning rate the next step uses. */
  private get lr(): number {
    return this.poisoned ? POISON_LR : this.scheduledLr;
  }

  private ensureData(): Promise<MnistDataset> {
    if (this.data) return Promise.resolve(this.data);
    this.dataPromise ??= this.host
      .loadData((loaded, total) => this.host.emit({ kind: 'data-progress', loaded, total }))
      .then((d) => (this.data = d));
    this.dataPromise.catch(() => (this.dataPromise = undefined));
    return this.dataPromise;
  }

  private async probe(): Promise<void> {
    if (this.statuses.length === 0) this.statuses = await this.host.probe();
  }

  private ensureStore(): Promise<CheckpointStore | null> {
    this.store ??= this.host.openStore().catch((error: unknown) => {
      this.host.emit({
        kind: 'notice',
        text: `Runs cannot be saved in this browser (${error instanceof Error ? error.message : String(error)}); training still works, but a reload starts over.`,
      });
      return null;
    });
    return this.store;
  }

  /** Stops whatever runs and releases its engines (inside the exclusive chain). */
  private async stop(): Promise<number> {
    const gen = ++this.gen;
    this.running = false;
    await this.exclusive(async () => {
      await this.trainer?.release().catch(() => {});
      await this.evaluator?.release().catch(() => {});
      this.trainer = undefined;
      this.evaluator = undefined;
    });
    return gen;
  }

  /** Creates trainer and evaluator on the chosen backend, falling back to wasm if WebGPU fails. */
  private async engines(config: LabConfig, state: State): Promise<void> {
    const spec = config.network;
    try {
      this.trainer = await this.host.createTrainer(this.backend, spec, config, state);
    } catch (error) {
      if (this.backend !== 'webgpu') throw error;
      this.markGpuUnavailable(`creating the WebGPU training session failed: ${String(error)}`);
      this.backend = 'wasm';
      this.host.emit({
        kind: 'notice',
        text: 'WebGPU could not run the training step; training runs on WebAssembly instead.',
      });
      this.trainer = await this.host.createTrainer(this.backend, spec, config, state);
    }
    this.evaluator = await this.host.createEvaluator(
      evaluatorBackend(this.backend, this.statuses),
      spec,
    );
  }

  private markGpuUnavailable(reason: string): void {
    this.statuses = this.statuses.map((s) =>
      s.name === 'webgpu' ? { ...s, available: false, recommended: false, reason } : s,
    );
  }

  private async prepare(config: LabConfig, gen: number): Promise<boolean> {
    checkConfig(config);
    this.setState('loading-data');
    const data = await this.ensureData();
    if (gen !== this.gen) return false;
    this.setState('compiling');
    await this.probe();
    const choice = chooseBackend(this.statuses, config.backend);
    this.backend = choice.backend;
    if (choice.note) this.host.emit({ kind: 'notice', text: choice.note });
    this.config = config;
    this.train = new TrainingData(data.train, config);
    return gen === this.gen;
  }

  private async start(config: LabConfig, run = true): Promise<void> {
    const gen = await this.stop();
    if (!(await this.prepare(config, gen))) return;
    const state = initialState(config.network, config.optimizer, config.seed);
    await this.exclusive(() => this.engines(config, state));
    if (gen !== this.gen) return;
    this.book = new ProgressBook(this.train!.stepsPerEpoch, config.epochs);
    this.resetRunFlags(state, 0);
    void this.ensureStore();
    this.running = run;
    this.setState(run ? 'training' : 'paused');
    this.emitProgress(true);
    if (run) void this.loop(gen);
  }

  private resetRunFlags(state: State, step: number): void {
    this.lastGood = new LastGood<State>();
    this.lastGood.trust(step, copyState(state));
    this.checkNext = true;
    this.poisoned = false;
    this.lrScale = 1;
    this.lastSave = this.host.now();
    this.rate.reset();
  }

  private async reset(): Promise<void> {
    const config = this.config;
    if (!config) return;
    await this.start(config, false);
  }

  private async clear(): Promise<void> {
    await this.stop();
    const store = await this.ensureStore();
    await store?.clear();
    this.book = undefined;
    this.setState('idle');
  }

  private async restore(): Promise<void> {
    const store = await this.ensureStore();
    const keep = 'It is kept until you start a new run or clear it.';
    let saved = await store?.load().catch((error: unknown) => {
      const why =
        error instanceof Error ? error.message.replace(/^saved run: /, '') : String(error);
      this.host.emit({
        kind: 'notice',
        text: `Your saved run could not be resumed: ${why}. ${keep}`,
      });
      return undefined;
    });
    const problem = saved && checkRunWeights(saved.config.network, saved.state);
    if (saved && problem && problem.kind !== 'ok') {
      this.host.emit({
        kind: 'notice',
        text: `Your saved run (epoch ${saved.progress.epoch}) could not be resumed: ${problem.message}. ${keep}`,
      });
      saved = undefined;
    }
    if (!saved) {
      await this.probe();
      if (this.state === 'idle') {
        this.backend = chooseBackend(this.statuses).backend;
        this.setState('idle');
      }
      return;
    }
    const gen = await this.stop();
    if (!(await this.prepare(saved.config, gen))) return;
    const book = ProgressBook.from(saved.progress, saved.config.epochs);
    if (book.stepsPerEpoch !== this.train!.stepsPerEpoch)
      throw new RangeError('saved run: its steps per epoch do not match its config');
    await this.exclusive(() => this.engines(saved.config, saved.state));
    if (gen !== this.gen) return;
    this.book = book;
    this.resetRunFlags(saved.state, book.globalStep);
    const scheduled = learningRate(saved.config.optimizer.lr, saved.config.lrDecay, book.epoch);
    if (Number.isFinite(saved.lr) && saved.lr > 0) this.lrScale = saved.lr / scheduled;
    this.host.emit({ kind: 'restored', config: saved.config, progress: book.snapshot() });
    this.setState(book.done ? 'done' : 'paused');
    this.emitProgress(true);
  }

  private async recover(lr: number): Promise<void> {
    if (this.state !== 'stopped-nan') throw new Error('recover: training has not stopped on a NaN');
    if (!(lr > 0) || !Number.isFinite(lr))
      throw new RangeError(`recover: lr must be a positive number, got ${lr}`);
    const good = this.lastGood.last;
    if (!good) throw new Error('recover: no good weights were kept');
    const gen = this.gen;
    await this.exclusive(async () => {
      // The trainer already holds the last good weights (put back when the NaN stopped it).
      this.poisoned = false;
      const c = this.config!;
      this.lrScale = lr / learningRate(c.optimizer.lr, c.lrDecay, this.book!.epoch);
      this.checkNext = true;
    });
    if (gen !== this.gen) return;
    this.host.emit({
      kind: 'notice',
      text: `Training continues from step ${good.step} at learning rate ${lr}.`,
    });
    this.running = true;
    this.setState('training');
    this.emitProgress(true);
    void this.loop(gen);
  }

  private async loop(gen: number): Promise<void> {
    if (this.looping) return;
    this.looping = true;
    try {
      while (this.running && gen === this.gen) {
        await this.host.yieldNow();
        if (!this.running || gen !== this.gen) break;
        await this.exclusive(() => this.trainStep(gen));
      }
      if (gen === this.gen && (this.state === 'training' || this.state === 'paused')) {
        // Paused: save now, so a reload resumes exactly here.
        await this.exclusive(() => this.save());
        if (this.state === 'training') this.setState('paused');
        this.emitProgress(true);
      }
    } catch (error) {
      if (gen === this.gen) this.fail(error);
    } finally {
      this.looping = false;
    }
  }

  /** Runs a trainer step, failing fast if the WebGPU device is lost meanwhile. */
  private async guardedStep(trainer: LabTrainer, args: Parameters<LabTrainer['step']>[0]) {
    const lost = trainer.device === 'webgpu' ? this.host.deviceLost() : undefined;
    if (!lost) return trainer.step(args);
    return Promise.race<StepOutcome>([
      trainer.step(args),
      lost.then((reason) => {
        throw new DeviceLost(reason);
      }),
    ]);
  }

  private async trainStep(gen: number): Promise<void> {
    if (gen !== this.gen || !this.trainer || !this.book || this.book.done) return;
    const trainer = this.trainer;
    const book = this.book;
    const config = this.config!;
    const spec = config.network;
    const global = book.globalStep;
    const check = trainer.device !== 'reference' && (this.checkNext || book.nextEndsEpoch);
    const pre = check ? await trainer.read() : undefined;
    const t0 = this.host.now();
    const batch: Batch = this.train!.batch(book.epoch, book.step);
    const lr = this.lr;
    const args = { batch, lr, t: global + 1 };
    let r: StepOutcome;
    try {
      r = await this.guardedStep(trainer, args);
    } catch (error) {
      if (trainer.device === 'webgpu' && gen === this.gen) return this.fallBackToWasm(error);
      throw error;
    }
    const seconds = (this.host.now() - t0) / 1000;
    this.lastGood.observe(global + 1, r.loss);
    if (!isSaneLoss(r.loss)) {
      // Non-finite, or so large (≥ DIVERGED_LOSS) that the weights are already ruined.
      this.running = false;
      const good = this.lastGood.last;
      if (good) {
        // Put the last good weights back now, so predict and export use them meanwhile.
        await trainer.release().catch(() => {});
        this.trainer = await this.host.createTrainer(trainer.device, spec, config, good.weights);
        book.rewind(good.step);
      }
      const what = Number.isFinite(r.loss)
        ? `diverged to ${r.loss.toPrecision(3)}`
        : `became ${r.loss}`;
      this.setState('stopped-nan');
      this.host.emit({
        kind: 'nan',
        step: global + 1,
        lr,
        lastGoodStep: good?.step ?? 0,
        message: `The loss ${what} at step ${global + 1} (learning rate ${lr}). Training stopped; the weights of step ${good?.step ?? 0} are kept. Lower the learning rate and continue from them.`,
      });
      return;
    }
    let post: State | undefined;
    if (pre) {
      post = await trainer.read();
      const ref = referenceStep(spec, config.optimizer, pre, args);
      let maxAbsError = 0;
      let scale = 1;
      let agree = true;
      const base = TOLERANCE[trainer.device];
      for (const name of Object.keys(paramsOf(spec, ref.state))) {
        const expected = ref.state[name]!.data;
        for (const v of expected) scale = Math.max(scale, Math.abs(v));
        const c = crossCheck(trainer.device, post[name]!.data, expected, Infinity);
        maxAbsError = Math.max(maxAbsError, c.maxAbsError);
        agree &&= c.agree;
      }
      const tolerance = base * scale;
      this.host.emit({
        kind: 'crosscheck',
        backend: trainer.device,
        maxAbsError,
        tolerance,
        agree: agree && maxAbsError <= tolerance,
        step: global + 1,
      });
      this.checkNext = false;
    }
    const endsEpoch = book.recordStep(r.loss, r.accuracy, seconds);
    this.rate.add(batch.size, seconds);
    if (LastGood.due(global + 1, KEEP_EVERY, endsEpoch))
      this.lastGood.offer(global + 1, post ?? (await trainer.read()));
    this.emitProgress(endsEpoch);
    if (endsEpoch) await this.endEpoch(gen);
    else if (this.host.now() - this.lastSave > SAVE_EVERY_MS) await this.save();
  }

  private async fallBackToWasm(error: unknown): Promise<void> {
    const good = this.lastGood.last;
    if (!good) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    await this.trainer?.release().catch(() => {});
    this.markGpuUnavailable(`the GPU device was lost (${reason})`);
    this.backend = 'wasm';
    const config = this.config!;
    this.trainer = await this.host.createTrainer('wasm', config.network, config, good.weights);
    // Even a wasm evaluator may share the WebGPU build's ORT instance, which the failed GPU run
    // can still hold: recreate it on its own instance too.
    if (this.evaluator && this.evaluator.device !== 'reference') {
      await this.evaluator.release().catch(() => {});
      this.evaluator = await this.host.createEvaluator('wasm', config.network);
    }
    this.book!.rewind(good.step);
    this.checkNext = true;
    this.rate.reset();
    this.host.emit({
      kind: 'notice',
      text: `The GPU device was lost; training continues on WebAssembly from step ${good.step}.`,
    });
    this.setState(this.running ? 'training' : 'paused');
  }

  private async endEpoch(gen: number): Promise<void> {
    const book = this.book!;
    this.setState('evaluating');
    const state = await this.trainer!.read();
    const result = await evaluate(this.evaluator!, state, this.data!.test);
    if (gen !== this.gen) return;
    book.endEpoch(result.testAccuracy, result.testLoss);
    this.host.emit({ kind: 'eval', epoch: book.epoch, ...result });
    await this.snapshot(state);
    await this.save(state);
    this.emitProgress(true);
    if (book.done) {
      this.running = false;
      this.setState('done');
    } else {
      this.setState(this.running ? 'training' : 'paused');
    }
  }

  private async snapshot(state: State): Promise<void> {
    const event = await snapshotEvent(
      this.config!.network,
      state,
      this.evaluator!,
      this.data!.test,
    );
    if (event) this.host.emit(event);
  }

  private async save(state?: State): Promise<void> {
    const store = await this.ensureStore();
    if (!store || !this.trainer || !this.book) return;
    const book = this.book;
    try {
      await store.save({
        config: this.config!,
        progress: book.snapshot(),
        state: state ?? (await this.trainer.read()),
        lr: this.scheduledLr,
        optimizerSteps: book.globalStep,
        savedAt: Date.now(),
      });
      this.lastSave = this.host.now();
      this.host.emit({ kind: 'saved', step: book.globalStep });
    } catch (error) {
      this.store = Promise.resolve(null);
      this.host.emit({
        kind: 'notice',
        text: `Saving the run failed (${error instanceof Error ? error.message : String(error)}); training goes on without saving.`,
      });
    }
  }

  private emitProgress(force = false): void {
    if (!this.book || !this.throttle.ready(this.host.now(), force)) return;
    this.host.emit({
      kind: 'progress',
      progress: this.book.snapshot(),
      lr: this.lr,
      imagesPerSecond: this.rate.imagesPerSecond,
    });
  }
}
