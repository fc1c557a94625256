import { describe, expect, it } from 'vitest';
import type { BackendStatus } from '../../../src/runtime/backends';
import type {
  HistoryPoint,
  LabConfig,
  LabEvent,
  LabProgress,
  LabState,
} from '../../../src/runtime/lab/protocol';
import {
  DEFAULT_SETTINGS,
  OVERFIT_SETTINGS,
  configToSettings,
  parseLabParams,
  parseNumber,
  settingsLabel,
  settingsToForm,
  settingsToParams,
  toLabConfig,
  validateForm,
  RULES,
} from '../../../src/widgets/training-lab/config';
import { PRESETS, parameterCount, presetLayers } from '../../../src/widgets/training-lab/presets';
import {
  chartData,
  comparisonData,
  confusionRows,
  runFraction,
  smooth,
  summarizeRun,
  worstConfusion,
} from '../../../src/widgets/training-lab/series';
import {
  INITIAL_UI,
  announcement,
  controls,
  evalsFromHistory,
  reduce,
  rootData,
} from '../../../src/widgets/training-lab/state';
import type { LabUi } from '../../../src/widgets/training-lab/state';

const backends: BackendStatus[] = [
  {
    name: 'webgpu',
    available: true,
    recommended: false,
    reason: 'the only WebGPU adapter is a software one',
  },
  { name: 'wasm', available: true, recommended: true },
  { name: 'reference', available: true, recommended: true },
];

const point = (
  step: number,
  epoch: number,
  loss: number,
  acc: number,
  extra = {},
): HistoryPoint => ({
  step,
  epoch,
  trainLoss: loss,
  trainAccuracy: acc,
  seconds: step / 10,
  ...extra,
});

const progress = (epoch: number, step: number, history: HistoryPoint[] = []): LabProgress => ({
  epoch,
  step,
  stepsPerEpoch: 125,
  totalSteps: 500,
  seconds: (epoch * 125 + step) / 10,
  history,
});

/** A fake lab: plays events through the reducer, collecting announcements. */
function play(events: LabEvent[], from: LabUi = INITIAL_UI): { ui: LabUi; said: string[] } {
  let ui = from;
  const said: string[] = [];
  for (const e of events) {
    const next = reduce(ui, e);
    const text = announcement(ui, next, e, 4);
    if (text) said.push(text);
    ui = next;
  }
  return { ui, said };
}

const status = (state: LabState, message?: string): LabEvent => ({
  kind: 'status',
  state,
  backend: 'wasm',
  backends,
  ...(message ? { message } : {}),
});

describe('presets', () => {
  it('parameterCount(tutorial) = 208 + 3,216 + 2,570 = 5,994 (hand-computed)', () => {
    // conv 8@5×5 on 1 channel: 8·25 + 8 = 208; conv 16@5×5 on 8: 16·8·25 + 16 = 3,216;
    // dense 256 → 10: 2,560 + 10 = 2,570.
    expect(parameterCount(PRESETS.tutorial.network)).toBe(5994);
  });
  it('parameterCount(tiny) = 40 + 6,770 = 6,810 and parameterCount(large) = 20,490', () => {
    // tiny: 4·9 + 4 = 40; 676·10 + 10 = 6,770.
    expect(parameterCount(PRESETS.small.network)).toBe(6810);
    // large: 16·9 + 16 = 160; 32·16·9 + 32 = 4,640; 1,568·10 + 10 = 15,690.
    expect(parameterCount(PRESETS.large.network)).toBe(160 + 4640 + 15690);
  });
  it('presetLayers(tutorial) lists each layer with its output shape and parameters', () => {
    const rows = presetLayers(PRESETS.tutorial.network);
    expect(rows.map((r) => r.output)).toEqual([
      '8×24×24',
      '8×24×24',
      '8×12×12',
      '16×8×8',
      '16×8×8',
      '16×4×4',
      '256',
      '10',
    ]);
    expect(rows[0]).toEqual({ layer: 'conv 8 filters 5×5', output: '8×24×24', params: 208 });
    expect(rows.reduce((n, r) => n + r.params, 0)).toBe(5994);
    expect(presetLayers(PRESETS.large.network).some((r) => r.layer === 'dropout 0.25')).toBe(true);
  });
});

describe('validateForm(form)', () => {
  it('accepts the defaults and builds the LabConfig the worker expects', () => {
    const v = validateForm(settingsToForm(DEFAULT_SETTINGS));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const c = toLabConfig(v.settings, 'wasm');
    expect(c).toMatchObject({
      preset: 'tutorial',
      optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 0 },
      lrDecay: 0.87,
      batchSize: 64,
      backend: 'wasm',
      augmentation: { shift: 2, rotate: 0, scale: 0 },
      seed: 1,
    });
    expect(c.network.name).toBe('mnistTutorialNet');
    expect('trainSubset' in c).toBe(false);
  });
  it('names the field, value and rule: lr "abc", batch 0, epochs 1000', () => {
    const form = { ...settingsToForm(DEFAULT_SETTINGS), lr: 'abc', batchSize: '0', epochs: '1000' };
    const v = validateForm(form);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.errors.lr).toBe('learning rate: "abc" is not a number.');
    expect(v.errors.batchSize).toBe('batch size must be between 1 and 512, got 0.');
    expect(v.errors.epochs).toBe('epochs must be between 1 and 100, got 1000.');
    expect(Object.keys(v.errors).sort()).toEqual(['batchSize', 'epochs', 'lr']);
  });
  it('rejects lr 0 (exclusive bound), fractional batches, a batch larger than the subset', () => {
    expect(parseNumber('0', RULES.lr)).toEqual({
      error:
        'learning rate must be greater than 0 and at most 100 (a step of 0 never learns), got 0.',
    });
    expect(parseNumber('32.5', RULES.batchSize)).toEqual({
      error: 'batch size must be a whole number, got 32.5.',
    });
    expect(parseNumber(' 1e-3 ', RULES.lr)).toEqual({ value: 0.001 });
    const v = validateForm({ ...settingsToForm(DEFAULT_SETTINGS), trainSubset: '50' });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors.batchSize).toContain('cannot exceed the 50 training digits');
  });
  it('Adam and plain SGD map to the optimiser specs; weight decay is carried', () => {
    const adam = validateForm({
      ...settingsToForm(DEFAULT_SETTINGS),
      optimizer: 'adam',
      lr: '0.001',
      weightDecay: '0.0005',
    });
    expect(adam.ok && toLabConfig(adam.settings, 'webgpu').optimizer).toEqual({
      type: 'adam',
      lr: 0.001,
      weightDecay: 0.0005,
    });
    const sgd = validateForm({ ...settingsToForm(DEFAULT_SETTINGS), optimizer: 'sgd' });
    expect(sgd.ok && toLabConfig(sgd.settings, 'wasm').optimizer).toEqual({
      type: 'sgd',
      lr: 0.05,
      momentum: 0,
      weightDecay: 0,
    });
  });
  it('configToSettings(toLabConfig(s)) round-trips (a restored run fills the form)', () => {
    const s = { ...OVERFIT_SETTINGS, optimizer: 'adam' as const, lr: 0.002, rotate: 10 };
    expect(configToSettings(toLabConfig(s, 'wasm'), s.backend)).toEqual(s);
  });
});

describe('parseLabParams(params, defaults)', () => {
  it('takes valid values from the URL, drops garbage for defaults with notes, never throws', () => {
    const p = new Map([
      ['lr', '-3'],
      ['epochs', '7'],
      ['preset', 'huge'],
      ['optimizer', 'adam'],
      ['junk', 'x'],
    ]);
    const { settings, notes } = parseLabParams(p, DEFAULT_SETTINGS);
    expect(settings.lr).toBe(0.05);
    expect(settings.epochs).toBe(7);
    expect(settings.preset).toBe('tutorial');
    expect(settings.optimizer).toBe('adam');
    expect(notes).toHaveLength(2);
    expect(notes.join(' ')).toContain('learning rate must be greater than 0');
  });
  it('settingsToParams writes only what differs from the defaults (and never the backend)', () => {
    const s = { ...DEFAULT_SETTINGS, lr: 0.1, trainSubset: 500, backend: 'webgpu' as const };
    expect(settingsToParams(s, DEFAULT_SETTINGS)).toEqual({ lr: '0.1', trainSubset: '500' });
    const back = parseLabParams(
      new Map(Object.entries(settingsToParams(s, DEFAULT_SETTINGS)) as [string, string][]),
      DEFAULT_SETTINGS,
    );
    expect(back.settings).toEqual({ ...s, backend: 'auto' });
  });
  it('a link with lrDecay but no schedule (older links) keeps the decay it meant', () => {
    const old = parseLabParams(new Map([['lrDecay', '0.9']]), DEFAULT_SETTINGS).settings;
    expect(old).toMatchObject({ lrDecay: 0.9, lrSchedule: 'decay' });
    const named = new Map([
      ['lrDecay', '0.9'],
      ['lrSchedule', 'linear'],
    ]);
    expect(parseLabParams(named, DEFAULT_SETTINGS).settings.lrSchedule).toBe('linear');
    // …so a link that changes lrDecay names the schedule too, and reads back as it was.
    const s = { ...DEFAULT_SETTINGS, lrDecay: 0.9 };
    const params = settingsToParams(s, DEFAULT_SETTINGS);
    expect(params).toEqual({ lrDecay: '0.9', lrSchedule: 'linear' });
    const back = new Map(Object.entries(params) as [string, string][]);
    expect(parseLabParams(back, DEFAULT_SETTINGS).settings).toEqual(s);
  });
  it('settingsLabel summarises a run for the comparison table', () => {
    expect(settingsLabel(OVERFIT_SETTINGS)).toBe(
      'TensorFlow.js tutorial net · momentum lr 0.05 ×0.95/epoch · batch 64 · no augmentation · 500 digits',
    );
    expect(settingsLabel(DEFAULT_SETTINGS)).toMatch(
      /^TensorFlow\.js tutorial net · momentum lr [\d.]+ → 0 linearly · batch/,
    );
  });
});

describe('reduce(ui, event) with a fake lab', () => {
  it('loading → training → progress → eval → done, announcing state changes and epoch ends only', () => {
    const h1 = [point(1, 0.008, 2.4, 0.1), point(2, 0.016, 2.2, 0.2)];
    const { ui, said } = play([
      status('idle'),
      { kind: 'data-progress', loaded: 4e6, total: 7.85e6 },
      status('loading-data'),
      status('compiling'),
      status('training'),
      { kind: 'progress', progress: progress(0, 2, h1), lr: 0.05, imagesPerSecond: 6000 },
      { kind: 'progress', progress: progress(0, 3, h1), lr: 0.05, imagesPerSecond: 6100 },
      status('evaluating'),
      {
        kind: 'eval',
        epoch: 1,
        testAccuracy: 0.9655,
        testLoss: 0.11,
        confusion: Array.from({ length: 100 }, (_, i) => (i % 11 === 0 ? 200 : 0)),
        misclassified: [],
      },
      status('done'),
    ]);
    expect(ui.state).toBe('done');
    expect(ui.data).toEqual({ loaded: 4e6, total: 7.85e6 });
    expect(ui.evals).toEqual([{ epoch: 1, testAccuracy: 0.9655, testLoss: 0.11 }]);
    expect(ui.hasNet).toBe(true);
    expect(said).toEqual([
      'Loading the digits.',
      'Preparing the network.',
      'Training on WebAssembly.',
      'Testing on the held-out digits.',
      'Epoch 1 of 4 done: test accuracy 96.5%.',
      'Training finished: test accuracy 96.5%.',
    ]);
    expect(rootData(ui)).toMatchObject({
      state: 'done',
      epoch: '0',
      step: '3',
      trainLoss: '2.2',
      testAccuracy: '0.9655',
      imagesPerSecond: '6100',
      backend: 'wasm',
      agree: undefined,
    });
  });

  it('a crosscheck sets the badge data; a NaN keeps the last good step and blocks resume', () => {
    const { ui } = play([
      status('training'),
      {
        kind: 'crosscheck',
        backend: 'webgpu',
        maxAbsError: 2.5e-6,
        tolerance: 1e-3,
        agree: true,
        step: 1,
      },
      { kind: 'nan', step: 40, lr: 5, lastGoodStep: 32, message: 'The loss became NaN.' },
      status('stopped-nan'),
    ]);
    expect(rootData(ui)).toMatchObject({
      backend: 'webgpu',
      agree: 'true',
      maxAbsError: '0.0000025',
      nan: 'true',
      state: 'stopped-nan',
    });
    expect(controls(ui)).toMatchObject({ resume: false, step: false, start: true, pause: false });
    // Recovery: training again clears the NaN.
    const after = reduce(ui, status('training'));
    expect(after.nan).toBeUndefined();
    expect(controls(after)).toMatchObject({ pause: true, start: false, export: false });
  });

  it('restored shows the saved run (epoch, history → evals) and offers resume', () => {
    const config: LabConfig = toLabConfig(DEFAULT_SETTINGS, 'wasm');
    const history = [
      point(125, 1, 0.3, 0.9, { testAccuracy: 0.97, testLoss: 0.09 }),
      point(250, 2, 0.1, 0.97, { testAccuracy: 0.978, testLoss: 0.07 }),
    ];
    const { ui, said } = play([
      { kind: 'restored', config, progress: progress(2, 0, history) },
      status('paused'),
    ]);
    expect(ui.restored?.progress.epoch).toBe(2);
    expect(ui.evals.map((e) => e.testAccuracy)).toEqual([0.97, 0.978]);
    expect(rootData(ui).epoch).toBe('2');
    expect(controls(ui)).toMatchObject({ resume: true, step: true, export: true });
    expect(said[0]).toBe('Found your saved run at epoch 2.');
  });

  it('a step counter that goes back (reset) drops the old run’s results', () => {
    const { ui } = play([
      status('training'),
      { kind: 'progress', progress: progress(1, 10), lr: 0.04, imagesPerSecond: 5000 },
      {
        kind: 'eval',
        epoch: 1,
        testAccuracy: 0.9,
        testLoss: 0.3,
        confusion: new Array(100).fill(20),
        misclassified: [],
      },
      { kind: 'progress', progress: progress(0, 0), lr: 0.05, imagesPerSecond: 0 },
    ]);
    expect(ui.evals).toEqual([]);
    expect(ui.confusion).toBeUndefined();
    expect(ui.progress?.step).toBe(0);
  });

  it('notices and errors are kept for display and announced', () => {
    const { ui, said } = play([
      { kind: 'notice', text: 'The GPU device was lost; training continues on WebAssembly.' },
      { kind: 'error', message: 'could not load the MNIST digits: HTTP 404' },
    ]);
    expect(ui.notice).toContain('GPU device was lost');
    expect(ui.error).toBe('could not load the MNIST digits: HTTP 404');
    expect(said).toEqual([
      'The GPU device was lost; training continues on WebAssembly.',
      'Error: could not load the MNIST digits: HTTP 404',
    ]);
  });

  it('controls(ui): pause only while busy; step and resume only when paused', () => {
    expect(controls(INITIAL_UI)).toEqual({
      start: true,
      pause: false,
      resume: false,
      step: false,
      reset: false,
      clear: true,
      export: false,
    });
    const paused = reduce(INITIAL_UI, status('paused'));
    expect(controls(paused)).toMatchObject({ pause: false, resume: true, step: true, reset: true });
    expect(controls(reduce(INITIAL_UI, status('loading-data'))).start).toBe(false);
  });
});

describe('charts and figures data', () => {
  it('smooth(values, 3) is a trailing mean: [3, 6, 9, 12] → [3, 4.5, 6, 9]', () => {
    expect(smooth([3, 6, 9, 12], 3)).toEqual([3, 4.5, 6, 9]);
  });
  it('chartData splits train (smoothed) and test (epoch ends) and drops NaN steps', () => {
    const history = [point(1, 0.5, 2, 0.2), point(2, 1, 1, 0.6), point(3, 1.5, Number.NaN, 0)];
    const { loss, accuracy } = chartData(
      history,
      [{ epoch: 1, testAccuracy: 0.7, testLoss: 0.9 }],
      2,
    );
    expect(loss).toEqual([
      { epoch: 0.5, value: 2, series: 'train (batches, smoothed)' },
      { epoch: 1, value: 1.5, series: 'train (batches, smoothed)' },
      { epoch: 1, value: 0.9, series: 'test (held-out digits)' },
    ]);
    expect(accuracy.at(-1)).toEqual({ epoch: 1, value: 0.7, series: 'test (held-out digits)' });
    expect(accuracy[1].value).toBeCloseTo(0.4, 12);
  });
  it('runFraction: epoch 1 + 25 steps of 125, 500 in all → 0.3', () => {
    expect(runFraction(progress(1, 25))).toBeCloseTo(0.3, 12);
  });
  it('confusionRows: shares per true label; the worst mistake; 100 counts required', () => {
    const counts = new Array(100).fill(0);
    for (let k = 0; k < 10; k++) counts[k * 10 + k] = 190;
    counts[4 * 10 + 9] = 8; // eight 4s read as 9
    counts[7 * 10 + 1] = 3;
    const rows = confusionRows(counts);
    expect(rows[4].total).toBe(198);
    expect(rows[4].correct).toBe(190);
    expect(rows[4].cells[9]).toEqual({
      label: 4,
      predicted: 9,
      count: 8,
      share: 8 / 198,
      correct: false,
    });
    expect(rows[4].cells[4].correct).toBe(true);
    expect(worstConfusion(rows)).toMatchObject({ label: 4, predicted: 9, count: 8 });
    expect(() => confusionRows([1, 2, 3])).toThrow('10×10 = 100 counts, got 3');
  });
  it('summarizeRun: per epoch, mean batch accuracy vs test accuracy, and the gap', () => {
    const history = [
      point(1, 0.5, 1, 0.6),
      point(2, 1, 1, 0.8),
      point(3, 1.5, 0.5, 0.9),
      point(4, 2, 0.2, 1.0),
    ];
    const s = summarizeRun(1, 'run', history, [
      { epoch: 1, testAccuracy: 0.65, testLoss: 1 },
      { epoch: 2, testAccuracy: 0.85, testLoss: 0.5 },
    ])!;
    expect(s.epochs).toEqual([
      { epoch: 1, train: 0.7, test: 0.65 },
      { epoch: 2, train: 0.95, test: 0.85 },
    ]);
    expect(s.trainAccuracy).toBeCloseTo(0.95, 12);
    expect(s.gap).toBeCloseTo(0.1, 12);
    expect(comparisonData([s])).toHaveLength(4);
    expect(s.cleanTrainAccuracy).toBeUndefined(); // a run saved before the clean figure
    expect(summarizeRun(2, 'empty', [], [])).toBeUndefined();
  });
  it('the clean training accuracy: a third accuracy series, the summary’s figure, the clean line', () => {
    const history = [point(1, 0.5, 1, 0.6), point(2, 1, 1, 0.8)];
    const evals = [{ epoch: 1, testAccuracy: 0.65, testLoss: 1, cleanTrainAccuracy: 0.9 }];
    const { accuracy } = chartData(history, evals, 2);
    expect(accuracy.filter((d) => d.series.startsWith('train, clean'))).toEqual([
      { epoch: 1, value: 0.9, series: 'train, clean (no augm., no dropout)' },
    ]);
    const s = summarizeRun(1, 'run', history, evals)!;
    expect(s.epochs).toEqual([{ epoch: 1, train: 0.7, test: 0.65, clean: 0.9 }]);
    expect(s.cleanTrainAccuracy).toBe(0.9);
    expect(comparisonData([s]).map((r) => r.split)).toEqual(['train', 'test', 'clean']);
  });
  it('an eval event’s clean figure reaches the evals and the root’s data-clean-train-accuracy', () => {
    const ui = reduce(INITIAL_UI, {
      kind: 'eval',
      epoch: 2,
      testAccuracy: 0.9,
      testLoss: 0.3,
      cleanTrainAccuracy: 0.99,
      confusion: new Array<number>(100).fill(0),
      misclassified: [],
    });
    expect(ui.evals).toEqual([
      { epoch: 2, testAccuracy: 0.9, testLoss: 0.3, cleanTrainAccuracy: 0.99 },
    ]);
    expect(rootData(ui).cleanTrainAccuracy).toBe('0.99');
    expect(rootData(INITIAL_UI).cleanTrainAccuracy).toBeUndefined();
  });
  it('evalsFromHistory keeps the clean figure where the history has one, and only there', () => {
    const h = [
      { ...point(1, 1, 1, 0.5), testAccuracy: 0.6, testLoss: 1, cleanTrainAccuracy: 0.8 },
      { ...point(2, 2, 1, 0.5), testAccuracy: 0.7, testLoss: 1 },
    ];
    const evals = evalsFromHistory(h);
    expect(evals[0]!.cleanTrainAccuracy).toBe(0.8);
    expect('cleanTrainAccuracy' in evals[1]!).toBe(false);
  });
});
