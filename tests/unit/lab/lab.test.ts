/**
 * The lab's loop in Node: the reference engine trains, a fake "ORT" trainer (the reference engine
 * under another name, optionally off by a little) exercises the cross-check, the NaN policy, the
 * lost-device fallback and checkpoints in memory. The real worker is tested in the browser
 * (tests/e2e/lab-worker.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../src/runtime/lab/checkpoint';
import type { CheckpointStore } from '../../../src/runtime/lab/checkpoint';
import { ReferenceEvaluator } from '../../../src/runtime/lab/engines';
import { Lab } from '../../../src/runtime/lab/lab';
import type { LabEvent } from '../../../src/runtime/lab/protocol';
import { host, of } from './fake-host';
import { smallConfig } from './fixtures';

describe('Lab on the reference engine', () => {
  it('trains two epochs: loss falls, each epoch is evaluated, snapshotted and saved', async () => {
    const { h, events, until } = host();
    const lab = new Lab(h);
    await lab.handle({ kind: 'start', config: smallConfig({ epochs: 3 }) });
    await until((e) => e.kind === 'status' && e.state === 'done');
    const evals = of(events, 'eval');
    expect(evals.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(evals[2]!.confusion.reduce((a, b) => a + b, 0)).toBe(40);
    expect(of(events, 'snapshot')[0]!.filters.dims).toEqual([4, 1, 3, 3]);
    expect(of(events, 'snapshot')[0]!.featureMaps.dims).toEqual([1, 4, 26, 26]);
    const last = of(events, 'progress').at(-1)!;
    expect(last.progress).toMatchObject({ epoch: 3, step: 0, stepsPerEpoch: 4, totalSteps: 12 });
    const hist = last.progress.history;
    expect(hist.filter((p) => p.testAccuracy !== undefined)).toHaveLength(3);
    // clean training accuracy: the run's 32 training digits, so a whole number of 32nds,
    // on the event and on the epoch's history point alike
    for (const e of evals) {
      const clean = e.cleanTrainAccuracy!;
      expect(clean * 32).toBeCloseTo(Math.round(clean * 32), 9);
      expect(clean).toBeGreaterThanOrEqual(0);
      expect(clean).toBeLessThanOrEqual(1);
    }
    expect(hist.at(-1)!.cleanTrainAccuracy).toBe(evals[2]!.cleanTrainAccuracy);
    expect(hist.at(-1)!.trainLoss).toBeLessThan(hist[0]!.trainLoss);
    expect(of(events, 'saved').map((e) => e.step)).toContain(12);
    expect(of(events, 'crosscheck')).toEqual([]); // the reference needs no check against itself
    expect(of(events, 'data-progress')[0]).toEqual({
      kind: 'data-progress',
      loaded: 10,
      total: 10,
    });
  });

  it('a linear schedule lowers the rate every step, from lr to lr/total at the last', async () => {
    const { h, events, until } = host();
    const lrs: number[] = [];
    const create = h.createTrainer;
    h.createTrainer = async (...args) => {
      const t = await create(...args);
      const step = t.step.bind(t);
      t.step = (a) => (lrs.push(a.lr), step(a));
      return t;
    };
    const lab = new Lab(h);
    await lab.handle({ kind: 'start', config: smallConfig({ epochs: 2, lrSchedule: 'linear' }) });
    await until((e) => e.kind === 'status' && e.state === 'done');
    // 32 digits in batches of 8: 4 steps an epoch, 8 in all, lr 0.05
    const expected = [8, 7, 6, 5, 4, 3, 2, 1].map((k) => (0.05 * k) / 8);
    expect(lrs).toHaveLength(8);
    lrs.forEach((lr, i) => expect(lr).toBeCloseTo(expected[i]!, 12));
    expect(of(events, 'progress').at(-1)!.lr).toBeCloseTo(0.05 / 8, 12);
  });

  it('recovering a linear run steps at the chosen rate, then falls linearly from it', async () => {
    const { h, events, until } = host();
    const lab = new Lab(h);
    const config = smallConfig({ backend: 'wasm', epochs: 20, lrSchedule: 'linear' });
    await lab.handle({ kind: 'start', config });
    await until((e) => e.kind === 'progress' && e.progress.epoch * 4 + e.progress.step >= 12);
    await lab.handle({ kind: 'debug', action: 'poison-lr' });
    const nan = (await until((e) => e.kind === 'nan')) as Extract<LabEvent, { kind: 'nan' }>;
    await until((e) => e.kind === 'status' && e.state === 'stopped-nan');
    const n = events.length;
    await lab.handle({ kind: 'recover', lr: 0.01 });
    const step = (e: LabEvent) =>
      e.kind === 'progress' ? e.progress.epoch * 4 + e.progress.step : -1;
    await until((e) => events.indexOf(e) > n && step(e) >= nan.lastGoodStep + 5);
    await lab.handle({ kind: 'pause' });
    const first = of(events.slice(n), 'progress')[0]!;
    expect(first.progress.epoch * 4 + first.progress.step).toBe(nan.lastGoodStep);
    expect(first.lr).toBeCloseTo(0.01, 12);
    // 80 steps in all: the rate keeps the schedule's slope, scaled to start at 0.01
    const last = of(events, 'progress').at(-1)!;
    const at = step(last);
    expect(at).toBeGreaterThanOrEqual(nan.lastGoodStep + 5);
    expect(last.lr).toBeCloseTo((0.01 * (80 - at)) / (80 - nan.lastGoodStep), 12);
  });

  it('predicts and exports while paused; step runs exactly one step', async () => {
    const { h, events, until } = host();
    const lab = new Lab(h);
    await lab.handle({ kind: 'start', config: smallConfig({ epochs: 5 }) });
    await lab.handle({ kind: 'pause' });
    await until((e) => e.kind === 'status' && e.state === 'paused');
    await new Promise((r) => setTimeout(r, 20));
    const before = of(events, 'progress').at(-1)!.progress;
    await lab.handle({ kind: 'step' });
    const after = of(events, 'progress').at(-1)!.progress;
    expect(after.epoch * 4 + after.step).toBe(before.epoch * 4 + before.step + 1);
    await lab.handle({ kind: 'predict', id: 7, pixels: new Float32Array(784) });
    const p = of(events, 'prediction')[0]!;
    expect(p.id).toBe(7);
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    await lab.handle({ kind: 'export', id: 8 });
    expect(of(events, 'exported')[0]!.bytes.length).toBeGreaterThan(1000);
  });
});

describe('Lab on a (fake) ORT backend', () => {
  it('cross-checks the first step and every epoch end against the reference', async () => {
    const { h, events, until } = host();
    await new Lab(h).handle({ kind: 'start', config: smallConfig({ backend: 'wasm', epochs: 2 }) });
    await until((e) => e.kind === 'status' && e.state === 'done');
    const checks = of(events, 'crosscheck');
    expect(checks.map((c) => c.step)).toEqual([1, 4, 8]);
    for (const c of checks) {
      expect(c.agree).toBe(true);
      expect(c.maxAbsError).toBe(0);
      expect(c.tolerance).toBeGreaterThanOrEqual(1e-4);
    }
  });

  it('reports disagreement when ORT drifts past the tolerance', async () => {
    const { h, events, until } = host({ skew: 1e-3 });
    await new Lab(h).handle({ kind: 'start', config: smallConfig({ backend: 'wasm', epochs: 1 }) });
    await until((e) => e.kind === 'status' && e.state === 'done');
    const c = of(events, 'crosscheck')[0]!;
    expect(c.agree).toBe(false);
    expect(c.maxAbsError).toBeCloseTo(1e-3, 6);
  });

  it('stops on a NaN, keeps the last good weights, and recovers from them', async () => {
    const { h, events, until } = host();
    const lab = new Lab(h);
    const config = smallConfig({ backend: 'wasm', epochs: 20, trainSubset: 64 });
    await lab.handle({ kind: 'start', config });
    await until((e) => e.kind === 'progress' && e.progress.epoch * 8 + e.progress.step >= 12);
    await lab.handle({ kind: 'debug', action: 'poison-lr' });
    const nan = (await until((e) => e.kind === 'nan')) as Extract<LabEvent, { kind: 'nan' }>;
    expect(nan.lr).toBe(1e6);
    expect(nan.lastGoodStep).toBeGreaterThanOrEqual(10);
    expect(nan.lastGoodStep % 8 === 0 || nan.lastGoodStep % 10 === 0).toBe(true);
    expect(nan.lastGoodStep).toBeLessThan(nan.step);
    await until((e) => e.kind === 'status' && e.state === 'stopped-nan');
    // the kept weights predict finite probabilities after recover
    const n = events.length;
    await lab.handle({ kind: 'recover', lr: 0.01 });
    const p = of(events.slice(n), 'progress')[0]!;
    expect(p.progress.epoch * 8 + p.progress.step).toBe(nan.lastGoodStep);
    expect(p.lr).toBeCloseTo(0.01);
    await until(
      (e) =>
        e.kind === 'progress' &&
        e.progress.epoch * 8 + e.progress.step >= nan.lastGoodStep + 8 &&
        events.indexOf(e) > n,
    );
    await lab.handle({ kind: 'pause' });
    const after = of(events.slice(n), 'progress').at(-1)!;
    expect(after.progress.history.at(-1)!.trainLoss).toBeLessThan(5);
    await lab.handle({ kind: 'predict', id: 1, pixels: new Float32Array(784).fill(0.5) });
    await until((e) => e.kind === 'prediction');
    expect(of(events, 'prediction')[0]!.probabilities.every(Number.isFinite)).toBe(true);
  });

  it.each(['step', 'read'] as const)(
    'falls back to wasm from the last good weights when the GPU device is lost (a %s fails first)',
    async (lostFails) => {
      const { h, events, until } = host({ gpu: true, lostFails });
      const lab = new Lab(h);
      await lab.handle({ kind: 'start', config: smallConfig({ backend: 'webgpu', epochs: 6 }) });
      await until((e) => e.kind === 'progress' && e.progress.epoch * 4 + e.progress.step >= 5);
      await lab.handle({ kind: 'debug', action: 'lose-device' });
      const notice = (await until(
        (e) => e.kind === 'notice' && /GPU device was lost/.test(e.text),
      )) as Extract<LabEvent, { kind: 'notice' }>;
      expect(notice.text).toMatch(/continues on WebAssembly from step \d+/);
      await until((e) => e.kind === 'status' && e.state === 'done');
      const statuses = of(events, 'status');
      expect(statuses.at(-1)!.backend).toBe('wasm');
      expect(statuses.at(-1)!.backends.find((b) => b.name === 'webgpu')!.reason).toMatch(/lost/);
      expect(of(events, 'eval').at(-1)!.epoch).toBe(6);
      expect(of(events, 'error')).toEqual([]);
    },
  );

  it('a new lab restores the saved run: same progress, same predictions, resume continues', async () => {
    const store = memoryStore();
    const a = host({ store });
    const lab = new Lab(a.h);
    await lab.handle({ kind: 'start', config: smallConfig({ backend: 'wasm', epochs: 3 }) });
    await a.until((e) => e.kind === 'eval');
    await lab.handle({ kind: 'pause' });
    await a.until((e) => e.kind === 'status' && e.state === 'paused');
    const savedStep = of(a.events, 'saved').at(-1)!.step;
    const image = new Float32Array(784).map((_, i) => (i % 29) / 29);
    await lab.handle({ kind: 'predict', id: 1, pixels: image });

    const b = host({ store });
    const lab2 = new Lab(b.h);
    await lab2.handle({ kind: 'restore' });
    const restored = of(b.events, 'restored')[0]!;
    expect(restored.config).toEqual(smallConfig({ backend: 'wasm', epochs: 3 }));
    expect(restored.progress.epoch * 4 + restored.progress.step).toBe(savedStep);
    expect(of(b.events, 'status').at(-1)!.state).toBe('paused');
    // its predictions are those of the saved weights
    await lab2.handle({ kind: 'predict', id: 2, pixels: image });
    const saved = (await store.load())!;
    const expected = await new ReferenceEvaluator(saved.config.network).run(saved.state, image, 1, [
      'probabilities',
    ]);
    expect(of(b.events, 'prediction')[0]!.probabilities).toEqual(
      Array.from(expected.probabilities!),
    );
    await lab2.handle({ kind: 'resume' });
    await b.until((e) => e.kind === 'status' && e.state === 'done');
    const firstEpoch = restored.progress.epoch + 1;
    expect(of(b.events, 'eval').map((e) => e.epoch)).toEqual(
      [1, 2, 3].filter((e) => e >= firstEpoch),
    );
    await lab2.handle({ kind: 'clear' });
    const c = host({ store });
    await new Lab(c.h).handle({ kind: 'restore' });
    expect(of(c.events, 'restored')).toEqual([]);
    expect(of(c.events, 'status').at(-1)!.state).toBe('idle');
  });

  it('a saved run with NaN weights or an unreadable record is not resumed: a notice, the lab idle, the record kept', async () => {
    const store = memoryStore();
    const a = host({ store });
    const lab = new Lab(a.h);
    await lab.handle({ kind: 'start', config: smallConfig({ backend: 'wasm', epochs: 3 }) });
    await a.until((e) => e.kind === 'eval');
    await lab.handle({ kind: 'pause' });
    await a.until((e) => e.kind === 'status' && e.state === 'paused');
    const good = (await store.load())!;
    good.state['0.kernel']!.data[0] = Number.NaN;
    await store.save(good);

    const b = host({ store });
    await new Lab(b.h).handle({ kind: 'restore' });
    expect(of(b.events, 'restored')).toEqual([]);
    expect(of(b.events, 'notice').map((e) => e.text)).toEqual([
      expect.stringMatching(
        /^Your saved run \(epoch \d\) could not be resumed: its weights are not numbers .*diverged.* Nothing is deleted: it is kept until you start a new run, or discard it with “Clear saved run”\.$/,
      ),
    ]);
    expect(of(b.events, 'status').at(-1)!.state).toBe('idle');
    expect(await store.load()).toBeDefined();

    await store.save({ ...good, config: { ...good.config, preset: 'huge' as never } });
    const c = host({ store });
    await new Lab(c.h).handle({ kind: 'restore' });
    expect(of(c.events, 'notice').map((e) => e.text)).toEqual([
      expect.stringMatching(
        /^Your saved run could not be resumed: config\.preset: is not a network this version of ConvBook knows \(.*\)\. Nothing is deleted: it is kept/,
      ),
    ]);
    expect(of(c.events, 'status').at(-1)!.state).toBe('idle');
  });
});

describe('weights: the current net handed to a page widget', () => {
  it('none before a run; the held net while paused (copies); the saved run from a fresh lab', async () => {
    const store = memoryStore();
    const a = host({ store });
    const lab = new Lab(a.h);
    await lab.handle({ kind: 'weights', id: 1 });
    expect(of(a.events, 'weights')[0]).toEqual({ kind: 'weights', id: 1, weights: null });

    await lab.handle({ kind: 'start', config: smallConfig({ epochs: 3 }) });
    await a.until((e) => e.kind === 'eval');
    await lab.handle({ kind: 'pause' });
    await a.until((e) => e.kind === 'status' && e.state === 'paused');
    await lab.handle({ kind: 'weights', id: 2 });
    const live = of(a.events, 'weights').find((e) => e.id === 2)!.weights!;
    expect(live.source).toBe('live');
    expect(live.network).toEqual(smallConfig().network);
    expect(Object.keys(live.params)).toEqual(['0.kernel', '0.bias', '4.weight', '4.bias']);
    expect(live.params['0.kernel']!.shape).toEqual([4, 1, 3, 3]);
    // the very weights predictions use: a forward pass with them gives the lab's prediction
    const image = new Float32Array(784).map((_, i) => (i % 31) / 31);
    await lab.handle({ kind: 'predict', id: 3, pixels: image });
    const state = Object.fromEntries(
      Object.entries(live.params).map(([k, t]) => [k, { dims: t.shape, data: t.data }]),
    );
    const mine = await new ReferenceEvaluator(live.network).run(state, image, 1, ['probabilities']);
    expect(of(a.events, 'prediction')[0]!.probabilities).toEqual(Array.from(mine.probabilities!));
    // a copy: scribbling on it leaves the lab's net alone
    live.params['0.kernel']!.data.fill(Number.NaN);
    await lab.handle({ kind: 'weights', id: 4 });
    const again = of(a.events, 'weights').find((e) => e.id === 4)!.weights!;
    expect(again.params['0.kernel']!.data.every(Number.isFinite)).toBe(true);
    const step = live.progress.epoch * live.progress.stepsPerEpoch + live.progress.step;
    expect(step).toBeGreaterThan(0);

    // A new lab holds nothing, but hands back the saved run without restoring it.
    const b = host({ store });
    await new Lab(b.h).handle({ kind: 'weights', id: 5 });
    const saved = of(b.events, 'weights')[0]!.weights!;
    expect(saved.source).toBe('saved');
    expect(saved.params['4.bias']!.data).toEqual(again.params['4.bias']!.data);
    expect(of(b.events, 'data-progress')).toEqual([]); // no data loaded, no run started
    expect(of(b.events, 'status')).toEqual([]);
  });

  it('a saved run that cannot be read is reported, not thrown', async () => {
    const broken: CheckpointStore = {
      save: async () => {},
      load: async () => {
        throw new RangeError('saved run: version 0, expected 1');
      },
      clear: async () => {},
    };
    const { h, events } = host({ store: broken });
    await new Lab(h).handle({ kind: 'weights', id: 9 });
    expect(of(events, 'weights')[0]).toEqual({
      kind: 'weights',
      id: 9,
      weights: null,
      problem: 'version 0, expected 1',
    });
    expect(of(events, 'error')).toEqual([]);
  });
});
