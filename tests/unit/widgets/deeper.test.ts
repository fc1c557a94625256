import { describe, expect, test } from 'vitest';
import { createRng } from '../../../src/cnn/index.ts';
import { checkRequest } from '../../../src/widgets/deeper/check.ts';
import { convIndices, deepNet, initDeep } from '../../../src/widgets/deeper/nets.ts';
import {
  gradsAt,
  lossSeries,
  sci,
  stemOverLast,
  typicalSize,
} from '../../../src/widgets/deeper/series.ts';
import {
  deeperParams,
  initialState,
  reduceDeeper,
  stateFromParams,
} from '../../../src/widgets/deeper/state.ts';
import type { DeeperState } from '../../../src/widgets/deeper/state.ts';
import { batchPlan, trainPair } from '../../../src/widgets/deeper/train.ts';
import type { Digits } from '../../../src/widgets/deeper/train.ts';
import { runModel } from '../helpers/ort-node.ts';
import type { Feed } from '../helpers/ort-node.ts';

/** Seeded noise "digits": enough to take steps, no MNIST file needed. */
function noiseDigits(count: number, seed: number): Digits {
  const rng = createRng(seed);
  const images = Uint8Array.from({ length: count * 784 }, () => rng.int(256));
  const labels = Uint8Array.from({ length: count }, () => rng.int(10));
  return { images, labels, count };
}
const settings = {
  depth: 2,
  activation: 'relu' as const,
  skips: true,
  scale: 0.5,
  steps: 3,
  lr: 0.05,
  batch: 16,
  seed: 1,
};

describe('deepNet({ depth, activation, skips })', () => {
  test('depth 4 with skips: stem, two pre-activation blocks each closed by an Add, head', () => {
    const spec = deepNet({ depth: 4, activation: 'tanh', skips: true });
    expect(spec.layers.map((l) => l.type)).toEqual([
      'conv2d',
      ...['tanh', 'conv2d', 'tanh', 'conv2d', 'add'],
      ...['tanh', 'conv2d', 'tanh', 'conv2d', 'add'],
      'tanh',
      'flatten',
      'dense',
    ]);
    // each Add reads its block's input: the stem (0), then the first block's Add (5)
    expect(spec.layers.flatMap((l) => (l.type === 'add' ? [l.from] : []))).toEqual([0, 5]);
    expect(convIndices(spec)).toEqual([0, 2, 4, 7, 9]);
  });
  test('without skips: the same layers, no Add', () => {
    const spec = deepNet({ depth: 4, activation: 'relu', skips: false });
    expect(spec.layers.some((l) => l.type === 'add')).toBe(false);
    expect(convIndices(spec)).toHaveLength(5);
  });
  test('an odd depth is refused with the rule', () => {
    expect(() => deepNet({ depth: 3, activation: 'relu', skips: false })).toThrow(
      'depth must be an even number of convolutions, at least 2, got 3',
    );
  });
  test('initDeep: both networks start from the same weights; scale multiplies the kernels', () => {
    const plain = deepNet({ depth: 4, activation: 'relu', skips: false });
    const skip = deepNet({ depth: 4, activation: 'relu', skips: true });
    const a = initDeep(plain, 7, 1);
    const b = initDeep(skip, 7, 1);
    const half = initDeep(skip, 7, 0.5);
    convIndices(plain).forEach((i, c) => {
      const j = convIndices(skip)[c]!;
      expect(b[`${j}.kernel`]!.data).toEqual(a[`${i}.kernel`]!.data);
      expect(half[`${j}.kernel`]!.data[3]).toBeCloseTo(b[`${j}.kernel`]!.data[3]! * 0.5, 7);
    });
  });
});

describe('trainPair(settings, train, test)', () => {
  const train = noiseDigits(64, 2);
  const test_ = noiseDigits(20, 3);
  const r = trainPair(settings, train, test_);

  test('records a loss per step and an RMS kernel gradient per convolution and step', () => {
    expect(r.convs).toBe(3);
    for (const run of [r.plain, r.skip]) {
      expect(run.losses).toHaveLength(3);
      expect(run.grads).toHaveLength(9);
      expect(run.divergedAt).toBeNull();
      expect(run.last.step).toBe(2);
      // the last step's recorded sizes are the RMS of the gradients it keeps for the check
      convIndices(run.spec).forEach((i, c) => {
        const g = run.last.grads[i]!;
        const rms = Math.sqrt(g.reduce((s, v) => s + v * v, 0) / g.length);
        expect(run.grads[2 * 3 + c]).toBeCloseTo(rms, 6);
      });
      expect(run.testAccuracy).toBeGreaterThanOrEqual(0);
    }
    // the Adds change the forward pass, so the losses differ, but both see the same batches
    expect(r.plain.last.batch).toEqual(r.skip.last.batch);
  });

  test('with skips off, the second network is the first: identical numbers', () => {
    const same = trainPair({ ...settings, skips: false }, train, test_);
    expect(same.skip.losses).toEqual(same.plain.losses);
    expect(same.skip.grads).toEqual(same.plain.grads);
  });

  test('a learning rate far too large diverges, and the run says at which step', () => {
    const wild = trainPair({ ...settings, lr: 1e30, steps: 6 }, train, test_);
    expect(wild.plain.divergedAt).not.toBeNull();
    expect(wild.plain.losses.length).toBe(wild.plain.divergedAt);
    expect(wild.plain.testAccuracy).toBeNull();
    // the check skips a network's outputs only when it never took a finite step
    expect(wild.plain.last.step).toBe(wild.plain.divergedAt! - 1);
  });

  test('batchPlan is seeded: the same seed gives the same batches', () => {
    expect(batchPlan(100, 2, 4, 9)).toEqual(batchPlan(100, 2, 4, 9));
    expect(batchPlan(100, 2, 4, 9)).not.toEqual(batchPlan(100, 2, 4, 10));
  });

  async function ortAgrees(run: typeof r, s: DeeperState) {
    const req = checkRequest(s, run)!;
    const feeds: Record<string, Feed> = {};
    for (const [name, t] of Object.entries(req.feeds))
      feeds[name] = { shape: t.dims, data: t.data as Float32Array };
    const out = await runModel(req.model(), feeds);
    let worst = 0;
    for (const [name, want] of Object.entries(req.expected)) {
      const got = out[name]!.data;
      for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(got[k]! - want[k]!));
    }
    return { worst, req };
  }

  test('ORT (wasm) computes the loss and every kernel gradient of the last step, both networks', async () => {
    const { worst, req } = await ortAgrees(r, initialState({ ...settings }));
    expect(Object.keys(req.expected)).toHaveLength(2 * (1 + 3));
    expect(req.feeds['plain.unit']!.data[0]).toBeGreaterThanOrEqual(1);
    expect(worst).toBeLessThan(1e-5);
  });

  test('an exploding network is compared relative to its largest value (the badge stays fair)', async () => {
    const big = { ...settings, depth: 8, scale: 2, steps: 1 };
    const run = trainPair(big, train, test_);
    expect(run.plain.last.loss).toBeGreaterThan(100);
    const { worst, req } = await ortAgrees(run, initialState(big));
    expect(req.feeds['plain.unit']!.data[0]).toBeGreaterThan(100);
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('series', () => {
  const r = trainPair(settings, noiseDigits(64, 2), noiseDigits(20, 3));
  test('gradsAt(run, convs, step) is that step’s row; past the run it is empty', () => {
    expect(gradsAt(r.plain, 3, 1)).toEqual(Array.from(r.plain.grads.subarray(3, 6)));
    expect(gradsAt(r.plain, 3, 3)).toEqual([]);
  });
  test('stemOverLast = the stem’s size / the last conv’s; typicalSize = their geometric mean', () => {
    const g = gradsAt(r.plain, 3, 0);
    expect(stemOverLast(r.plain, 3, 0)).toBeCloseTo(g[0]! / g[2]!, 9);
    expect(typicalSize(r.plain, 3, 0)).toBeCloseTo(Math.cbrt(g[0]! * g[1]! * g[2]!), 9);
  });
  test('sci(v) writes 0.39, 2.6 × 10⁻⁶, 1.2 × 10⁵; says so when there is no ratio', () => {
    expect(sci(0.386)).toBe('0.39');
    expect(sci(2.6e-6)).toBe('2.6 × 10⁻⁶');
    expect(sci(123456)).toBe('1.2 × 10⁵');
    expect(sci(null)).toBe('none (a gradient is 0)');
  });
  test('lossSeries names the second network by its skips', () => {
    expect(new Set(lossSeries(r, true).map((p) => p.net))).toEqual(
      new Set(['plain', 'with skips']),
    );
    expect(lossSeries(r, false).some((p) => p.net === 'second, skips off')).toBe(true);
  });
});

describe('reduceDeeper and the link', () => {
  const s0 = stateFromParams(new Map()).state;
  test('defaults: depth 10, ReLU, scale 0.5, skips on, 40 steps, step 0', () => {
    expect(s0.settings).toEqual({
      depth: 10,
      activation: 'relu',
      scale: 0.5,
      skips: true,
      steps: 40,
    });
    expect(deeperParams(s0)).toEqual({
      depth: undefined,
      act: undefined,
      scale: undefined,
      skips: undefined,
      steps: undefined,
      at: undefined,
    });
  });
  test('an odd depth keeps the last valid one, with a message', () => {
    const s = reduceDeeper(s0, { kind: 'edit', field: 'depth', raw: '7' });
    expect(s.settings.depth).toBe(10);
    expect(s.errors.depth).toBe(
      'convolutions in the stack must be even (two per block), got 7. The figure is for the last valid value.',
    );
    const fixed = reduceDeeper(s, { kind: 'edit', field: 'depth', raw: '6' });
    expect(fixed.settings.depth).toBe(6);
    expect(fixed.errors.depth).toBeUndefined();
  });
  test('"abc" as a scale is refused; the step is clamped to the run', () => {
    expect(reduceDeeper(s0, { kind: 'edit', field: 'scale', raw: 'abc' }).errors.scale).toMatch(
      /not a number/,
    );
    expect(reduceDeeper(s0, { kind: 'at', step: 99 }).at).toBe(39);
    const short = reduceDeeper(reduceDeeper(s0, { kind: 'at', step: 30 }), {
      kind: 'edit',
      field: 'steps',
      raw: '10',
    });
    expect(short.at).toBe(9);
  });
  test('a link round-trips; a bad link value keeps its default with a note', () => {
    let s = reduceDeeper(s0, { kind: 'edit', field: 'activation', raw: 'sigmoid' });
    s = reduceDeeper(s, { kind: 'edit', field: 'skips', raw: '0' });
    s = reduceDeeper(s, { kind: 'at', step: 5 });
    const params = new Map(
      Object.entries(deeperParams(s)).filter((e): e is [string, string] => e[1] !== undefined),
    );
    expect(Object.fromEntries(params)).toEqual({ act: 'sigmoid', skips: '0', at: '5' });
    expect(stateFromParams(params).state).toEqual(s);
    const bad = stateFromParams(
      new Map([
        ['depth', '99'],
        ['at', '3'],
      ]),
    );
    expect(bad.state.settings.depth).toBe(10);
    expect(bad.state.at).toBe(3);
    expect(bad.notes).toHaveLength(1);
  });
});
