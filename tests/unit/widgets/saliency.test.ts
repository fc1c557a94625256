import { describe, expect, it } from 'vitest';
import { forward, initParams, mnistTutorialNet, tinyNet } from '../../../src/cnn/index.ts';
import { sampleDigits } from '../../../src/data/mnist-sample.ts';
import { firstLayerModel, forwardModel, gradientModel } from '../../../src/widgets/saliency/model';
import {
  argmax,
  DEFAULT_OCCLUSION,
  firstLayerMaxima,
  image,
  inputGradient,
  nonFiniteParam,
  occludedBatch,
  occlusionGrid,
  probabilityDrops,
  topImages,
} from '../../../src/widgets/saliency/analysis';
import {
  checkKey,
  initialState,
  netFromWeights,
  occlusionKey,
  parseOcclusion,
  parseSaliencyParams,
  reduceSaliency,
  saliencyParams,
} from '../../../src/widgets/saliency/state';
import type { SalState } from '../../../src/widgets/saliency/state';
import type { Params } from '../../../src/cnn/index.ts';
import type { WeightsReply } from '../../../src/widgets/shared/lab';
import { createSession } from '../helpers/ort-node.ts';

const digits = sampleDigits([
  [7, 0],
  [1, 0],
  [0, 0],
  [4, 0],
]);

describe('occlusion', () => {
  it('positions: patch 6, stride 2 → 12 × 12, the last at 22 (22 + 6 = 28)', () => {
    const g = occlusionGrid({ size: 6, stride: 2 });
    expect([g.rows, g.cols, g.positions.length]).toEqual([12, 12, 144]);
    expect(g.positions[1]).toEqual({ row: 0, col: 2 });
    expect(g.positions[12]).toEqual({ row: 2, col: 0 });
    expect(g.positions[143]).toEqual({ row: 22, col: 22 });
    // patch 10, stride 7: 0, 7, 14 (21 + 10 > 28)
    expect(
      occlusionGrid({ size: 10, stride: 7 })
        .positions.map((p) => p.col)
        .slice(0, 3),
    ).toEqual([0, 7, 14]);
    expect(occlusionGrid({ size: 10, stride: 7 }).rows).toBe(3);
  });
  it('blanks exactly the patch', () => {
    const ones = new Array(784).fill(1);
    const batch = occludedBatch(ones, { size: 3, stride: 25 });
    expect(batch.length).toBe(4 * 784); // positions 0 and 25 in each direction
    const second = batch.subarray(784, 2 * 784); // row 0, col 25
    expect(second[25]).toBe(0);
    expect(second[2 * 28 + 27]).toBe(0);
    expect(second[3 * 28 + 25]).toBe(1);
    expect(second[24]).toBe(1);
    expect(batch.reduce((a, b) => a + b, 0)).toBe(4 * (784 - 9));
  });
  it('drops = p(original) − p(occluded) of the class', () => {
    const probs = [0.1, 0.9, 0.6, 0.4]; // two images, two classes
    expect(Array.from(probabilityDrops(probs, 2, 1, 0.95))).toEqual([
      Math.fround(0.95 - 0.9),
      Math.fround(0.95 - 0.4),
    ]);
  });
  it('settings are validated with the rule in the message', () => {
    expect(parseOcclusion('6', '2')).toEqual({ settings: { size: 6, stride: 2 } });
    expect(parseOcclusion('abc', '2')).toEqual({
      error: 'patch size: "abc" is not a number.',
      field: 'size',
    });
    expect(parseOcclusion('29', '2')).toEqual({
      error: 'patch size must be a whole number from 1 to 28, got 29.',
      field: 'size',
    });
    expect(parseOcclusion('4', '0')).toMatchObject({
      field: 'stride',
      error: 'stride must be a whole number from 1 to 28, got 0.',
    });
    expect(parseOcclusion('1', '1')).toMatchObject({
      field: 'stride',
      error: expect.stringContaining('784 positions'),
    });
  });
});

describe('inputGradient(spec, params, pixels, class)', () => {
  it('matches central differences of the class logit on tinyNet (inside the stroke)', () => {
    const params = initParams(tinyNet, 3);
    const px = digits[0].pixels;
    const { gradient } = inputGradient(tinyNet, params, px, 7);
    const logit = (p: Float32Array) => forward(tinyNet, params, image(p)).logits.data[7];
    // Inked pixels: every conv output that reads one is non-zero. On the blank background (zero
    // biases) the conv outputs are exactly 0, ReLU's corner, where a central difference averages
    // the two one-sided slopes and cannot match the derivative the engines take (0).
    const inside = Array.from(px.keys()).filter((k) => px[k] > 0.2);
    expect(inside.length).toBeGreaterThan(2);
    for (const k of inside.slice(0, 5)) {
      const eps = 1e-3;
      const plus = Float32Array.from(digits[0].pixels);
      const minus = Float32Array.from(digits[0].pixels);
      plus[k] += eps;
      minus[k] -= eps;
      const numerical = (logit(plus) - logit(minus)) / (2 * eps);
      expect(gradient[k]).toBeCloseTo(numerical, 2);
    }
  });
  it('rejects a class out of range', () => {
    expect(() => inputGradient(tinyNet, initParams(tinyNet, 1), digits[0].pixels, 10)).toThrow(
      /0 to 9/,
    );
  });
});

describe('first-layer responses', () => {
  it('topImages orders by the response, ties by index', () => {
    // 3 images × 2 filters
    const m = [1, 5, 3, 5, 2, 0];
    expect(topImages(m, 2, 0, 2)).toEqual([1, 2]);
    expect(topImages(m, 2, 1, 3)).toEqual([0, 1, 2]);
  });
});

describe('URL', () => {
  it('round-trips and tolerates garbage', () => {
    const s = { digit: 2, cls: 4, occlusion: { size: 4, stride: 3 } };
    expect(
      parseSaliencyParams(new Map(Object.entries(saliencyParams(s)) as [string, string][]), 5),
    ).toEqual({
      ...s,
      notes: [],
    });
    const bad = parseSaliencyParams(
      new Map([
        ['digit', 'x'],
        ['class', '12'],
        ['patch', '0'],
      ]),
      5,
    );
    expect(bad).toMatchObject({ digit: 0, cls: null, occlusion: DEFAULT_OCCLUSION });
    expect(bad.notes.length).toBe(3);
  });
});

describe('saliency graphs on ORT (wasm, Node) vs the reference', () => {
  const params = initParams(mnistTutorialNet, 5);
  const feedsOf = (extra: Record<string, { shape: number[]; data: Float32Array }>) => {
    const f = { ...extra };
    for (const [k, v] of Object.entries(params)) f[k] = { shape: [...v.shape], data: v.data };
    return f;
  };
  it('gradientModel: ∂ logit / ∂ image', async () => {
    const s = await createSession(gradientModel(mnistTutorialNet));
    const seed = new Float32Array(10);
    seed[3] = 1;
    const out = await s.run(
      feedsOf({
        images: { shape: [1, 1, 28, 28], data: image(digits[0].pixels).data },
        dLogits: { shape: [1, 10], data: seed },
      }),
    );
    const ref = inputGradient(mnistTutorialNet, params, digits[0].pixels, 3);
    let max = 0;
    ref.gradient.forEach((v, i) => (max = Math.max(max, Math.abs(v - out.dinput.data[i]))));
    expect(max).toBeLessThan(1e-4);
    expect(ref.gradient.some((v) => v !== 0)).toBe(true);
    await s.release();
  });
  it('occlusion batch through the forward model, and the first layer’s maxima', async () => {
    const batch = occludedBatch(digits[0].pixels, DEFAULT_OCCLUSION);
    const n = batch.length / 784;
    const fwd = await createSession(forwardModel(mnistTutorialNet));
    const probs = (await fwd.run(feedsOf({ images: { shape: [n, 1, 28, 28], data: batch } })))
      .probabilities.data;
    const ref = forward(mnistTutorialNet, params, { shape: [n, 1, 28, 28], data: batch }).logits;
    const k = 37; // any position: softmax of the reference logits
    const z = ref.data.subarray(k * 10, k * 10 + 10);
    const m = Math.max(...z);
    const e = Array.from(z, (v) => Math.exp(v - m));
    const sum = e.reduce((a, b) => a + b, 0);
    e.forEach((v, c) => expect(probs[k * 10 + c]).toBeCloseTo(v / sum, 4));
    await fwd.release();

    const first = await createSession(firstLayerModel(mnistTutorialNet, digits.length));
    const got = (
      await first.run({
        images: {
          shape: [digits.length, 1, 28, 28],
          data: Float32Array.from(digits.flatMap((d) => d.pixels)),
        },
        '0.kernel': { shape: [...params['0.kernel'].shape], data: params['0.kernel'].data },
        '0.bias': { shape: [...params['0.bias'].shape], data: params['0.bias'].data },
      })
    ).maxima.data;
    const want = firstLayerMaxima(mnistTutorialNet, params, digits).maxima;
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
    await first.release();
  });
});

describe('firstLayerMaxima(spec, params, digits).where: the window where a filter fired most', () => {
  it('outlines the window whose centre tap sits on the one bright pixel', () => {
    const params = initParams(mnistTutorialNet, 5);
    const [, cin, kh, kw] = params['0.kernel'].shape as [number, number, number, number];
    // Filter 0 sees only its centre tap (2, 2); every bias 0. A digit with one pixel at (10, 12).
    const k = new Float32Array(params['0.kernel'].data.length);
    k[((0 * cin + 0) * kh + 2) * kw + 2] = 1;
    const pixels = new Array(28 * 28).fill(0);
    pixels[10 * 28 + 12] = 1;
    const p = {
      ...params,
      '0.kernel': { shape: params['0.kernel'].shape, data: k },
      '0.bias': {
        shape: params['0.bias'].shape,
        data: new Float32Array(params['0.bias'].data.length),
      },
    };
    const r = firstLayerMaxima(mnistTutorialNet, p, [{ label: 1, pixels }]);
    expect(r.maxima[0]).toBe(1);
    // The output cell whose 5 × 5 window has its centre on (10, 12): rows 8–12, columns 10–14.
    expect(r.where[0]).toEqual({ row: 8, col: 10, rows: 5, cols: 5 });
    expect(r.where).toHaveLength(r.filters);
  });
});

describe('the network: the lab’s weights as a phase, never a throw', () => {
  const progress = (epoch: number, step: number) => ({
    epoch,
    step,
    stepsPerEpoch: 10,
    totalSteps: 10,
    seconds: 1,
    history: [
      { step: 10, epoch: 1, trainLoss: 0.3, trainAccuracy: 0.9, testAccuracy: 0.95, seconds: 1 },
    ],
  });
  const reply = (params: Params, epoch = 1) =>
    ({
      kind: 'weights',
      id: 1,
      weights: { network: tinyNet, params, progress: progress(epoch, 0), source: 'saved' },
    }) as WeightsReply;
  const good = () => initParams(tinyNet, 2);

  it('a trained run is ready, described from its progress', () => {
    const net = netFromWeights(reply(good()), 4);
    expect(net.kind).toBe('ready');
    if (net.kind !== 'ready') return;
    expect(net.net.id).toBe(4);
    expect(net.net.from).toBe(
      `your network from the training lab (${tinyNet.name}, 1 epoch, 95.0% test accuracy)`,
    );
    expect(netFromWeights(reply(good()), 5, true)).toMatchObject({
      net: {
        from: 'a quick network trained here for 1 epoch (95.0% test accuracy); the training lab keeps it as your run',
      },
    });
  });

  it('NaN or ∞ weights: "this run diverged", in the lab’s words, without throwing', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const params = good();
      params['0.bias'].data[1] = bad;
      const net = netFromWeights(reply(params), 1);
      expect(net).toMatchObject({ kind: 'none', why: 'diverged' });
      if (net.kind === 'none') {
        expect(net.text).toContain('diverged');
        expect(net.text).toContain('the loss became NaN'); // the lab's words for its NaN stop
        expect(net.text).toContain('0.bias');
      }
    }
    // A whole network of NaN (the saved run of a diverged lab): still no throw.
    const nan = good();
    for (const t of Object.values(nan)) t.data.fill(Number.NaN);
    expect(() => netFromWeights(reply(nan), 1)).not.toThrow();
    expect(nonFiniteParam(nan)).toBe('0.kernel');
    expect(nonFiniteParam(good())).toBeUndefined();
  });

  it('NaN numbers downstream never throw either: argmax skips NaN, −1 when all are NaN', () => {
    expect(argmax([0.1, Number.NaN, 0.5, 0.2])).toBe(2);
    expect(argmax([Number.NaN, Number.NaN])).toBe(-1);
    expect(argmax([])).toBe(-1);
    // what `indexOf(Math.max(...drops))` got wrong: −1 on NaN, then positions[−1].row threw
    const drops = probabilityDrops([Number.NaN, Number.NaN, Number.NaN, Number.NaN], 2, 1, 0.9);
    expect(argmax(drops)).toBe(-1);
  });

  it('none found, not trained yet, unreadable, or a wrong shape: none, with the reason', () => {
    expect(netFromWeights({ kind: 'weights', id: 1, weights: null }, 1)).toMatchObject({
      kind: 'none',
      why: 'missing',
    });
    expect(
      netFromWeights(
        { kind: 'weights', id: 1, weights: null, problem: 'saved run: not a record' },
        1,
      ),
    ).toMatchObject({
      kind: 'none',
      why: 'unreadable',
      text: expect.stringContaining('not a record'),
    });
    expect(netFromWeights(reply(good(), 0), 1)).toMatchObject({ why: 'untrained' });
    const wrong = good();
    wrong['0.kernel'] = { shape: [1, 1, 1, 1], data: new Float32Array(1) };
    expect(netFromWeights(reply(wrong), 1)).toMatchObject({ kind: 'none', why: 'unreadable' });
  });
});

describe('reduceSaliency', () => {
  const settings = { digit: 0, cls: null, occlusion: DEFAULT_OCCLUSION };
  const start = (): SalState => initialState(digits, settings);
  const ready = (): SalState => {
    const net = netFromWeights(
      {
        kind: 'weights',
        id: 1,
        weights: {
          network: tinyNet,
          params: initParams(tinyNet, 1),
          progress: { epoch: 1, step: 0, stepsPerEpoch: 1, totalSteps: 1, seconds: 0, history: [] },
          source: 'live',
        },
      },
      7,
    );
    return reduceSaliency(start(), { kind: 'net', net });
  };

  it('digits: typed, stepped (clamped to 0…count−1), and a bad one keeps the last valid', () => {
    let s = reduceSaliency(start(), { kind: 'edit', raw: '2' });
    expect(s.settings.digit).toBe(2);
    s = reduceSaliency(s, { kind: 'edit', raw: '9' });
    expect(s.settings.digit).toBe(2);
    expect(s.errors.digit).toBe(
      'test digit must be a whole number from 0 to 3, got 9. The views show the last valid digit.',
    );
    s = reduceSaliency(s, { kind: 'digit', to: 3 });
    expect([s.settings.digit, s.errors.digit]).toEqual([3, undefined]);
    expect(reduceSaliency(s, { kind: 'digit', to: 4 }).settings.digit).toBe(3);
    expect(reduceSaliency(s, { kind: 'digit', to: 3 })).toBe(s); // nothing changed
    expect(reduceSaliency(s, { kind: 'digit', to: -1 }).settings.digit).toBe(0);
  });

  it('class: own or 0…9; patch and stride read together, a bad pair keeps the last valid', () => {
    let s = reduceSaliency(start(), { kind: 'class', raw: '4' });
    expect(s.settings.cls).toBe(4);
    expect(reduceSaliency(s, { kind: 'class', raw: 'own' }).settings.cls).toBeNull();
    s = reduceSaliency(s, { kind: 'occlusion', size: '10', stride: '7' });
    expect(s.settings.occlusion).toEqual({ size: 10, stride: 7 });
    s = reduceSaliency(s, { kind: 'occlusion', size: '10', stride: '0' });
    expect(s.settings.occlusion).toEqual({ size: 10, stride: 7 });
    expect(s.errors).toMatchObject({
      occField: 'stride',
      occlusion:
        'stride must be a whole number from 1 to 28, got 0. The map shows the last valid patch.',
    });
    s = reduceSaliency(s, { kind: 'occlusion', size: '6', stride: '2' });
    expect(s.errors.occlusion).toBeUndefined();
  });

  it('occluded probabilities and ORT checks are kept only for the settings they were for', () => {
    let s = ready();
    const key = occlusionKey(s);
    expect(key).toBe('7/0/6/2');
    const probs = new Float32Array(10);
    expect(reduceSaliency(s, { kind: 'occluded', key: 'stale', probs })).toBe(s);
    s = reduceSaliency(s, { kind: 'occluded', key, probs });
    expect(s.occluded?.probs).toBe(probs);
    const check = {
      backend: 'wasm',
      maxAbsError: 0,
      maxRelError: 0,
      tolerance: 1e-4,
      agree: true,
      count: 1,
    } as const;
    expect(checkKey(s, 'saliency')).toBe('7/0/own');
    expect(checkKey(s, 'filters')).toBe('7');
    s = reduceSaliency(s, { kind: 'checked', view: 'filters', key: '7', check });
    expect(s.checks.filters?.check).toBe(check);
    expect(reduceSaliency(s, { kind: 'checked', view: 'saliency', key: '7/1/own', check })).toBe(s);
    // a new digit: the saliency key moves on, the filters' check still holds
    s = reduceSaliency(s, { kind: 'digit', to: 1 });
    expect(checkKey(s, 'saliency')).toBe('7/1/own');
    expect(occlusionKey(s)).not.toBe(key);
    // a new network forgets everything computed for the old one
    s = reduceSaliency(s, { kind: 'net', net: { kind: 'looking' } });
    expect([s.occluded, s.checks]).toEqual([undefined, {}]);
  });
});
