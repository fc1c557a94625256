import { describe, expect, it } from 'vitest';
import type { BackendStatus } from '../../../src/runtime/backends';
import type { LabEvent, LabProgress, LabState } from '../../../src/runtime/lab/protocol';
import {
  DEFAULT_SETTINGS,
  OVERFIT_SETTINGS,
  settingsToForm,
  toLabConfig,
} from '../../../src/widgets/training-lab/config';
import { initialLabState, planStart, reduceLab } from '../../../src/widgets/training-lab/widget';
import type { LabAction, LabWidgetState } from '../../../src/widgets/training-lab/widget';

const backends: BackendStatus[] = [
  { name: 'webgpu', available: false, recommended: false, reason: 'navigator.gpu is missing' },
  { name: 'wasm', available: true, recommended: true },
  { name: 'reference', available: true, recommended: true },
];
const status = (state: LabState): LabEvent => ({
  kind: 'status',
  state,
  backend: 'wasm',
  backends,
});
const progress = (epoch: number, step: number): LabProgress => ({
  epoch,
  step,
  stepsPerEpoch: 10,
  totalSteps: 30,
  seconds: epoch + step / 10,
  history: [
    { step: 5, epoch: 0.5, trainLoss: 1, trainAccuracy: 0.6, seconds: 0.5 },
    { step: 10, epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, seconds: 1 },
  ],
});
/** Epoch 1 ends at 70% test accuracy. */
const epochEnd: LabEvent = {
  kind: 'eval',
  confusion: new Array(100).fill(20),
  misclassified: [],
  epoch: 1,
  testLoss: 1,
  testAccuracy: 0.7,
};
const events = (...list: LabEvent[]): LabAction => ({ kind: 'events', events: list });
const play = (s: LabWidgetState, ...actions: LabAction[]) => actions.reduce(reduceLab, s);
const fresh = (compare = false) => initialLabState(DEFAULT_SETTINGS, DEFAULT_SETTINGS, compare);

describe('reduceLab(state, action): the settings', () => {
  it('a bad value gets its message and leaves the link; a good one becomes the link', () => {
    const s0 = fresh();
    const bad = reduceLab(s0, { kind: 'form', form: { ...s0.form, lr: 'abc' } });
    expect(bad.errors).toEqual({ lr: 'learning rate: "abc" is not a number.' });
    expect(bad.form.lr).toBe('abc');
    expect(bad.linked).toBe(s0.linked);
    expect(bad.formRev).toBe(s0.formRev); // the reader's typing is not rewritten
    const good = reduceLab(bad, { kind: 'form', form: { ...s0.form, epochs: '7' } });
    expect(good.errors).toEqual({});
    expect(good.linked.epochs).toBe(7);
  });

  it('Start with bad settings is refused with a message; nothing is planned', () => {
    const s0 = fresh();
    const form = { ...s0.form, batchSize: '0' };
    const plan = planStart(s0, form, undefined);
    expect(plan.ok).toBe(false);
    const s1 = reduceLab(s0, { kind: 'start', form, plan });
    expect(s1.startError).toBe('Fix the settings marked above before starting.');
    expect(s1.errors.batchSize).toBe('batch size must be between 1 and 512, got 0.');
    expect(s1.run).toBeUndefined();
  });

  it('Start on an unavailable engine falls back to the best one with a note, and empties the figures', () => {
    const s0 = play(
      fresh(),
      events(status('done'), {
        kind: 'progress',
        progress: progress(1, 0),
        lr: 0.05,
        imagesPerSecond: 100,
      }),
    );
    const form = { ...settingsToForm(DEFAULT_SETTINGS), backend: 'webgpu' };
    const plan = planStart(s0, form, undefined);
    expect(plan.ok && plan.config.backend).toBe('wasm');
    expect(plan.ok && plan.note).toBe(
      'ORT · WebGPU is not available (navigator.gpu is missing); using ORT · WebAssembly.',
    );
    const s1 = reduceLab(s0, { kind: 'start', form, plan });
    expect(s1.startError).toBe('');
    expect(s1.run?.backend).toBe('webgpu');
    expect(s1.note).toContain('not available');
    expect(s1.ui.progress).toBeUndefined();
    expect(s1.ui.state).toBe('done');
    expect(s1.figuresRev).toBe(s0.figuresRev + 1);
    expect(s1.chartsRev).toBe(s0.chartsRev + 1);
  });

  it('before the worker probed its engines, Start uses the requested one, else wasm', () => {
    const s0 = fresh();
    const auto = planStart(s0, s0.form, undefined);
    expect(auto.ok && auto.config.backend).toBe('wasm');
    const gpu = planStart(s0, s0.form, 'webgpu');
    expect(gpu.ok && gpu.config.backend).toBe('webgpu');
  });
});

describe('reduceLab(state, action): the worker and the page', () => {
  it('a restored run fills the form (the reader’s backend kept) and is announced', () => {
    const s0 = reduceLab(fresh(), { kind: 'connected' });
    expect(s0.conn).toBe('looking');
    const withBackend = reduceLab(s0, { kind: 'form', form: { ...s0.form, backend: 'wasm' } });
    const config = toLabConfig({ ...DEFAULT_SETTINGS, epochs: 3 }, 'webgpu');
    const s1 = reduceLab(
      withBackend,
      events({ kind: 'restored', config, progress: progress(1, 0) }),
    );
    expect(s1.conn).toBe('open');
    expect(s1.form.epochs).toBe('3');
    expect(s1.form.backend).toBe('wasm');
    expect(s1.formRev).toBe(s0.formRev + 1);
    expect(s1.run?.epochs).toBe(3);
    expect(s1.linked.epochs).toBe(3);
    expect(s1.said?.text).toBe('Found your saved run at epoch 1.');
    const resumed = reduceLab(s1, { kind: 'restore-resume' });
    expect(resumed.ui.restored).toBeUndefined();
  });

  it('recover: lr ÷ 10 in the form, training at once, said; without a NaN nothing happens', () => {
    const s0 = fresh();
    expect(reduceLab(s0, { kind: 'recover', lr: 10 })).toBe(s0);
    const stopped = play(
      s0,
      events(
        status('training'),
        { kind: 'nan', step: 12, lr: 100, lastGoodStep: 8, message: 'The loss became NaN.' },
        status('stopped-nan'),
      ),
    );
    expect(stopped.ui.nan?.lr).toBe(100);
    const s1 = reduceLab(stopped, { kind: 'recover', lr: 10 });
    expect(s1.form.lr).toBe('10');
    expect(s1.formRev).toBe(stopped.formRev + 1);
    expect(s1.ui.state).toBe('training');
    expect(s1.ui.nan).toBeUndefined();
    expect(s1.said?.text).toBe('Continuing from the last good weights with learning rate 10.0.');
  });

  it('lesson 10 keeps each finished run with its settings; lesson 9 keeps none', () => {
    const form = settingsToForm(OVERFIT_SETTINGS);
    const finish = (s: LabWidgetState) =>
      play(
        s,
        { kind: 'start', form, plan: planStart(s, form, 'wasm') },
        events(
          status('training'),
          { kind: 'progress', progress: progress(1, 0), lr: 0.05, imagesPerSecond: 100 },
          epochEnd,
          status('done'),
        ),
      );
    const kept = finish(initialLabState(OVERFIT_SETTINGS, OVERFIT_SETTINGS, true));
    expect(kept.runs).toHaveLength(1);
    expect(kept.runs[0]).toMatchObject({ id: 1, testAccuracy: 0.7 });
    expect(kept.runs[0].label).toContain('500 digits');
    expect(kept.runs[0].trainAccuracy).toBeCloseTo(0.7, 12);
    expect(finish(kept).runs.map((r) => r.id)).toEqual([1, 2]);
    expect(finish(initialLabState(OVERFIT_SETTINGS, OVERFIT_SETTINGS, false)).runs).toEqual([]);
  });

  it('says a sentence once; clear says so and empties the run; a failed start is an error', () => {
    const s1 = reduceLab(fresh(), events({ kind: 'notice', text: 'GPU lost.' }));
    const s2 = reduceLab(s1, events({ kind: 'notice', text: 'GPU lost.' }));
    expect(s2.said).toBe(s1.said);
    const cleared = reduceLab(play(s2, events(status('paused'))), { kind: 'clear', say: true });
    expect(cleared.ui.state).toBe('idle');
    expect(cleared.ui.hasNet).toBe(false);
    expect(cleared.said?.text).toBe('Saved run cleared.');
    expect(reduceLab(s2, { kind: 'clear', say: false }).said).toBe(s2.said);
    const failed = reduceLab(fresh(), { kind: 'failed', message: 'Workers are disabled.' });
    expect(failed).toMatchObject({ conn: 'failed', failure: 'Workers are disabled.' });
    expect(failed.ui.state).toBe('error');
    expect(reduceLab(failed, events(status('idle'))).conn).toBe('failed');
  });
});
