import { describe, expect, it } from 'vitest';
import { forward, initParams, mnistTutorialNet, tinyNet } from '../../../src/cnn/index.ts';
import { sampleDigits } from '../../../src/data/mnist-sample.ts';
import { firstLayerModel, forwardModel, gradientModel } from '../../../src/widgets/saliency/model';
import {
  DEFAULT_OCCLUSION,
  firstLayerMaxima,
  image,
  inputGradient,
  occludedBatch,
  occlusionGrid,
  parseOcclusion,
  parseSaliencyParams,
  probabilityDrops,
  saliencyParams,
  topImages,
} from '../../../src/widgets/saliency/state';
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
      error: 'Patch size must be a whole number from 1 to 28, got "abc".',
      field: 'size',
    });
    expect(parseOcclusion('4', '0')).toMatchObject({ field: 'stride' });
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
        seed: { shape: [1, 10], data: seed },
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
