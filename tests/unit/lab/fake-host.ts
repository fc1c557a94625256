/**
 * The fake LabHost of the lab's Node tests: the reference engine trains, a fake "ORT" trainer
 * (the reference engine under another name, optionally off by a little) stands in for WebGPU and
 * wasm, the store is in memory (or the test's own), and every event is recorded.
 */
import type { BackendStatus } from '../../../src/runtime/backends';
import type { BackendName } from '../../../src/runtime/crosscheck';
import { memoryStore } from '../../../src/runtime/lab/checkpoint';
import type { CheckpointStore } from '../../../src/runtime/lab/checkpoint';
import { ReferenceEvaluator, ReferenceTrainer } from '../../../src/runtime/lab/engines';
import type { LabTrainer, State, StepArgs } from '../../../src/runtime/lab/engines';
import type { LabHost } from '../../../src/runtime/lab/lab';
import type { LabConfig, LabEvent } from '../../../src/runtime/lab/protocol';
import type { NetworkSpec } from '../../../src/cnn/index';
import { syntheticMnist } from './fixtures';

/** The reference engine posing as an ORT backend; `skew` is added to every updated weight. */
class FakeOrtTrainer implements LabTrainer {
  private inner: ReferenceTrainer;
  constructor(
    readonly device: BackendName,
    spec: NetworkSpec,
    config: LabConfig,
    state: State,
    private readonly skew: number,
    private readonly broken: () => boolean,
    private readonly failing: 'step' | 'read',
  ) {
    this.inner = new ReferenceTrainer(spec, config.optimizer, state);
  }
  async step(args: StepArgs) {
    if (this.failing === 'step' && this.broken()) throw new Error('GPUDevice was destroyed');
    const r = await this.inner.step(args);
    if (this.skew !== 0) {
      const s = await this.inner.read();
      for (const t of Object.values(s))
        for (let i = 0; i < t.data.length; i++) t.data[i]! += this.skew;
      (this.inner as unknown as { state: State }).state = s;
    }
    return r;
  }
  read() {
    // On a real lost device a weight read fails in mapAsync, which may come before any step does.
    if (this.failing === 'read' && this.broken())
      return Promise.reject(new Error("Failed to execute 'mapAsync' on 'GPUBuffer'"));
    return this.inner.read();
  }
  async release() {}
}

export function host(
  opts: {
    store?: CheckpointStore;
    skew?: number;
    gpu?: boolean;
    trainDigits?: number;
    /** What first fails on a lost device: a step, or a weight read. */
    lostFails?: 'step' | 'read';
  } = {},
) {
  const events: LabEvent[] = [];
  let destroyed = false;
  let onLost: ((r: string) => void) | undefined;
  const lost = new Promise<string>((r) => (onLost = r));
  const statuses: BackendStatus[] = [
    { name: 'webgpu', available: opts.gpu ?? false, recommended: opts.gpu ?? false },
    { name: 'wasm', available: true, recommended: true },
    { name: 'reference', available: true, recommended: true },
  ];
  const h: LabHost = {
    emit: (e) => events.push(e),
    loadData: async (onProgress) => {
      onProgress(10, 10);
      return syntheticMnist(opts.trainDigits);
    },
    probe: async () => statuses,
    createTrainer: async (backend, spec, config, state) =>
      backend === 'reference'
        ? new ReferenceTrainer(spec, config.optimizer, state)
        : new FakeOrtTrainer(
            backend,
            spec,
            config,
            state,
            opts.skew ?? 0,
            () => backend === 'webgpu' && destroyed,
            opts.lostFails ?? 'step',
          ),
    createEvaluator: async (_b, spec) => new ReferenceEvaluator(spec),
    openStore: async () => opts.store ?? memoryStore(),
    wasmThreads: () => {},
    loseDevice: async () => {
      destroyed = true;
      onLost?.('destroyed');
    },
    deviceLost: () => lost,
    now: () => performance.now(),
    yieldNow: () => new Promise((r) => setImmediate(r)),
  };
  const until = async (pred: (e: LabEvent) => boolean, ms = 20_000): Promise<LabEvent> => {
    const t0 = Date.now();
    for (;;) {
      const found = events.find(pred);
      if (found) return found;
      if (Date.now() - t0 > ms)
        throw new Error(
          `timed out; last events: ${JSON.stringify(events.slice(-3).map((e) => e.kind))}`,
        );
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { h, events, until };
}

export const of = <K extends LabEvent['kind']>(events: LabEvent[], kind: K) =>
  events.filter((e): e is Extract<LabEvent, { kind: K }> => e.kind === kind);
