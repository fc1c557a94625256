/**
 * The state of the lab's one run and the services every part of the lab uses: status events,
 * the exclusive chain, data, store, engines, the learning rate in force, and saving. The command
 * dispatcher (lab.ts), the step (lab-step.ts), the loop (lab-loop.ts) and the recovery paths
 * (lab-recovery.ts) all work on one LabCore; only lab.ts is the lab's public face.
 */
import type { BackendStatus } from '../backends';
import type { BackendName } from '../crosscheck';
import type { MnistDataset, MnistSplit } from '../../data/mnist';
import type { NetworkSpec } from '../../cnn/index';
import type { CheckpointStore } from './checkpoint';
import type { BatchSource } from './data';
import { copyState } from './engines';
import type { Evaluator, LabTrainer, State } from './engines';
import { evaluatorBackend, POISON_LR } from './lab-rules';
import type { LabHost } from './lab-rules';
import { LastGood } from './last-good';
import type { ProgressBook } from './progress';
import type { LabConfig, LabState } from './protocol';
import { Rate, scheduledLearningRate, Throttle } from './schedule';

export class LabCore {
  state: LabState = 'idle';
  statuses: BackendStatus[] = [];
  backend: BackendName = 'wasm';
  config: LabConfig | undefined;
  data: MnistDataset | undefined;
  private dataPromise: Promise<MnistDataset> | undefined;
  train: BatchSource | undefined;
  /** Classifiers: the training digits the clean training accuracy is measured on (eval.ts). */
  cleanTrain: { readonly split: MnistSplit; readonly count: number } | undefined;
  /** The run's held-out images: MNIST's test split, or the reader's held-out examples. */
  test: MnistSplit | undefined;
  book: ProgressBook | undefined;
  trainer: LabTrainer | undefined;
  evaluator: Evaluator | undefined;
  lastGood = new LastGood<State>();
  store: Promise<CheckpointStore | null> | undefined;
  lastSave = 0;
  /** The global step whose checkpoint the store holds or is writing (undefined: none of this run). */
  savedStep: number | undefined;
  /** Store writes queued or in flight (lab-loop.ts: one at a time, never piled up by the loop). */
  writing = 0;
  private writes: Promise<unknown> = Promise.resolve();
  /** Bumped by every stop: work begun under an older generation drops its results. */
  gen = 0;
  running = false;
  looping = false;
  checkNext = false;
  poisoned = false;
  /** Multiplies the schedule after a `recover` at another learning rate. */
  lrScale = 1;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly throttle = new Throttle(100);
  readonly rate = new Rate();

  constructor(readonly host: LabHost) {}

  /** Runs `fn` after everything queued before it: one step, save or read at a time. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => {});
    return p;
  }

  /** Runs a store write (save, clear) after every write queued before it: never two at once. */
  queueWrite<T>(fn: () => Promise<T>): Promise<T> {
    this.writing += 1;
    const p = this.writes.then(fn).finally(() => (this.writing -= 1));
    this.writes = p.catch(() => {});
    return p;
  }

  ready(): { trainer: LabTrainer; evaluator: Evaluator; spec: NetworkSpec } {
    if (!this.trainer || !this.evaluator || !this.config)
      throw new Error('there is no network yet: start a run (or restore the saved one) first');
    return { trainer: this.trainer, evaluator: this.evaluator, spec: this.config.network };
  }

  setState(state: LabState, message?: string): void {
    this.state = state;
    this.host.emit({
      kind: 'status',
      state,
      backend: this.backend,
      backends: this.statuses,
      ...(message !== undefined ? { message } : {}),
    });
  }

  fail(error: unknown): void {
    this.running = false;
    const message = error instanceof Error ? error.message : String(error);
    this.host.emit({ kind: 'error', message });
    this.setState('error', message);
  }

  /** The schedule's learning rate for the next step (after any `recover`). */
  get scheduledLr(): number {
    const book = this.book!;
    return scheduledLearningRate(this.config!, book.globalStep, book.stepsPerEpoch) * this.lrScale;
  }

  /** The learning rate the next step uses. */
  get lr(): number {
    return this.poisoned ? POISON_LR : this.scheduledLr;
  }

  ensureData(): Promise<MnistDataset> {
    if (this.data) return Promise.resolve(this.data);
    this.dataPromise ??= this.host
      .loadData((loaded, total) => this.host.emit({ kind: 'data-progress', loaded, total }))
      .then((d) => (this.data = d));
    this.dataPromise.catch(() => (this.dataPromise = undefined));
    return this.dataPromise;
  }

  async probe(): Promise<void> {
    if (this.statuses.length === 0) this.statuses = await this.host.probe();
  }

  ensureStore(): Promise<CheckpointStore | null> {
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
  async stop(): Promise<number> {
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
  async engines(config: LabConfig, state: State): Promise<void> {
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

  markGpuUnavailable(reason: string): void {
    this.statuses = this.statuses.map((s) =>
      s.name === 'webgpu' ? { ...s, available: false, recommended: false, reason } : s,
    );
  }

  /** A fresh run's bookkeeping, trusting `state` (the weights of global step `step`). */
  resetRunFlags(state: State, step: number): void {
    this.lastGood = new LastGood<State>();
    this.lastGood.trust(step, copyState(state));
    this.checkNext = true;
    this.poisoned = false;
    this.lrScale = 1;
    this.lastSave = this.host.now();
    this.rate.reset();
  }

  emitProgress(force = false): void {
    if (!this.book || !this.throttle.ready(this.host.now(), force)) return;
    this.host.emit({
      kind: 'progress',
      progress: this.book.snapshot(),
      lr: this.lr,
      imagesPerSecond: this.rate.imagesPerSecond,
    });
  }
}
