import { describe, expect, it } from 'vitest';
import { conv2dKernelGradTrace, lossAndGradients, tinyNet } from '../../../src/cnn/index.ts';
import type { Params } from '../../../src/cnn/index.ts';
import { oneHot } from '../../../src/onnx/train.ts';
import { sampleDigits } from '../../../src/data/mnist-sample.ts';
import {
  backwardPass,
  clampStep,
  closedGates,
  freshParams,
  kernelCellInputs,
  stepKey,
  stepLayer,
  STEPS,
  winnerCells,
} from '../../../src/widgets/backprop/backward';
import {
  centralDifference,
  DEFAULT_WEIGHT,
  gradientCheck,
  lossF64,
  parseWeight,
  parseWeightFields,
  relativeError,
} from '../../../src/widgets/backprop/check';
import { backpropExpected } from '../../../src/widgets/backprop/compute';
import { afterModel, backpropModel } from '../../../src/widgets/backprop/model';
import {
  DEFAULT_LR,
  gradNormSquared,
  lossOnly,
  lossesFromProbabilities,
  meanLoss,
  probabilities,
  sgdStep,
} from '../../../src/widgets/backprop/sgd';
import {
  backpropParams,
  computeKey,
  FIELDS,
  initialState,
  parseBackpropParams,
  reduceBackprop,
} from '../../../src/widgets/backprop/state';
import type { TwiceResult } from '../../../src/widgets/shared/twice';
import { createSession } from '../helpers/ort-node.ts';

const [three] = sampleDigits([[3, 0]]);
const others = sampleDigits([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => [d, 1] as const));
const params = freshParams(8);

/** params with every weight 0 and the dense bias set to `bias`. */
function zeroParams(bias: number[]): Params {
  const p = freshParams(1);
  const out: Params = {};
  for (const [k, v] of Object.entries(p))
    out[k] = { shape: v.shape, data: new Float32Array(v.data.length) };
  out['4.bias'] = { shape: [10], data: Float32Array.from(bias) };
  return out;
}

describe('stepper', () => {
  it('steps go loss → dense → pool → relu → conv (backward order)', () => {
    expect(STEPS.map((s) => s.id)).toEqual(['loss', 'dense', 'pool', 'relu', 'conv']);
    expect([0, 1, 2, 3, 4].map(stepLayer)).toEqual([5, 4, 2, 1, 0]);
    expect(tinyNet.layers[stepLayer(2)].type).toBe('maxPool2d');
    expect(tinyNet.layers[stepLayer(3)].type).toBe('relu');
  });
  it('keys: arrows step and clamp, Home/End jump, space toggles', () => {
    expect(stepKey('ArrowRight', 0)).toBe(1);
    expect(stepKey('ArrowRight', 4)).toBe(4);
    expect(stepKey('ArrowLeft', 0)).toBe(0);
    expect(stepKey('End', 1)).toBe(4);
    expect(stepKey('Home', 3)).toBe(0);
    expect(stepKey(' ', 2)).toBe('toggle');
    expect(stepKey('a', 2)).toBeNull();
    expect(clampStep(Number.NaN)).toBe(0);
    expect(clampStep(99)).toBe(4);
  });
});

describe('backwardPass(params, pixels, label)', () => {
  it('dL/dlogits = softmax − onehot, by hand: bias [ln 3, 0, …], zero weights, label 0', () => {
    const pass = backwardPass(
      zeroParams([Math.log(3), 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      three.pixels,
      0,
    );
    // p0 = 3 / (3 + 9) = 0.25, the others 1/12; loss = −ln 0.25 = ln 4.
    expect(pass.probs.data[0]).toBeCloseTo(0.25, 6);
    expect(pass.probs.data[5]).toBeCloseTo(1 / 12, 6);
    expect(pass.loss).toBeCloseTo(Math.log(4), 6);
    expect(pass.dLogits.data[0]).toBeCloseTo(-0.75, 6);
    expect(pass.dLogits.data[9]).toBeCloseTo(1 / 12, 6);
  });
  it('on a blank image with zero biases: every window ties and its top-left cell wins; every gate is closed', () => {
    const p = { ...params, '0.bias': { shape: [4], data: new Float32Array(4) } };
    const pass = backwardPass(p, new Float32Array(784), 3);
    const w = winnerCells(pass.argmax, 2);
    expect(w.length).toBe(169);
    expect(w.slice(0, 3)).toEqual([0, 2, 4]); // row 0: columns 0, 2, 4
    expect(w[13]).toBe(2 * 26); // second pooled row starts at conv row 2
    expect(closedGates(pass.conv, 1).length).toBe(676); // conv output 0 everywhere: ReLU'(0) = 0
    expect(pass.dInput.data.every((v) => v === 0)).toBe(true);
    expect(pass.grads['0.kernel'].data.every((v) => v === 0)).toBe(true);
  });
  it('max pooling routes each window gradient to its winner only', () => {
    const pass = backwardPass(params, three.pixels, 3);
    for (let c = 0; c < 4; c++) {
      const winners = new Set(winnerCells(pass.argmax, c));
      const dr = pass.dRelu.data.subarray(c * 676, (c + 1) * 676);
      const dp = pass.dPooled.data.subarray(c * 169, (c + 1) * 169);
      dr.forEach((v, i) => {
        if (!winners.has(i)) expect(v).toBe(0);
      });
      winnerCells(pass.argmax, c).forEach((cell, o) => expect(dr[cell]).toBe(dp[o]));
    }
  });
  it('ReLU gates: dConv = dRelu where conv > 0, else 0', () => {
    const pass = backwardPass(params, three.pixels, 3);
    pass.conv.data.forEach((v, i) =>
      expect(pass.dConv.data[i]).toBe(v > 0 ? pass.dRelu.data[i] : 0),
    );
  });
  it('parameter gradients equal the reference network’s lossAndGradients', () => {
    const pass = backwardPass(params, three.pixels, 3);
    const ref = lossAndGradients(tinyNet, params, pass.x, [3]);
    expect(pass.loss).toBeCloseTo(ref.loss, 6);
    for (const name of Object.keys(ref.grads))
      ref.grads[name].data.forEach((v, i) => expect(pass.grads[name].data[i]).toBeCloseTo(v, 6));
  });
  it('one kernel cell’s gradient is the sum the trace writes out: Σ δ[i,j] · x[i+p, j+q]', () => {
    const pass = backwardPass(params, three.pixels, 3);
    const t = conv2dKernelGradTrace(pass.x, [4, 1, 3, 3], pass.dConv, {
      filter: 2,
      channel: 0,
      kernelRow: 0,
      kernelCol: 1,
    });
    expect(t.terms.length).toBe(676);
    expect(t.terms[27]).toMatchObject({ outRow: 1, outCol: 1, inputRow: 1, inputCol: 2 });
    let byHand = 0;
    for (let i = 0; i < 26; i++)
      for (let j = 0; j < 26; j++)
        byHand += pass.dConv.data[2 * 676 + i * 26 + j] * pass.x.data[i * 28 + j + 1];
    expect(t.sum).toBeCloseTo(byHand, 6);
    expect(pass.grads['0.kernel'].data[2 * 9 + 1]).toBeCloseTo(byHand, 5);
    expect(kernelCellInputs(0, 1).slice(0, 2)).toEqual([1, 2]);
    expect(kernelCellInputs(2, 2)[0]).toBe(2 * 28 + 2);
  });
});

describe('gradient check', () => {
  it('centralDifference on x³ at 2 with ε = 0.1 is 12.01 (exact 12, error ε²)', () => {
    // ((2.1)³ − (1.9)³) / 0.2 = (9.261 − 6.859) / 0.2 = 12.01
    expect(centralDifference((x) => x ** 3, 2, 0.1)).toBeCloseTo(12.01, 10);
    expect(() => centralDifference((x) => x, 0, 0)).toThrow(/eps/);
  });
  it('relativeError', () => {
    expect(relativeError(1, 1.01)).toBeCloseTo(0.01 / 1.01, 12);
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(-2, 2)).toBe(2);
  });
  it('lossF64 matches the reference loss', () => {
    const pass = backwardPass(params, three.pixels, 3);
    expect(lossF64(params, three.pixels, 3)).toBeCloseTo(pass.loss, 5);
  });
  it('analytic ≈ numerical on kernel cells and dense weights (relative error < 1e-3)', () => {
    const pass = backwardPass(params, three.pixels, 3);
    for (const w of ['k0.1.1', 'k3.2.0', 'd3.200', 'd7.500']) {
      const c = gradientCheck(params, pass, parseWeight(w)!);
      expect(c.relError, w).toBeLessThan(1e-3);
    }
  });
});

describe('SGD step', () => {
  it('w − lr·g, by hand', () => {
    const p = { a: { shape: [2], data: Float32Array.of(1, 2) } };
    const g = { a: { shape: [2], data: Float32Array.of(0.5, -1) } };
    expect(Array.from(sgdStep(p, g, 0.1).a.data)).toEqual([Math.fround(0.95), Math.fround(2.1)]);
  });
  it('a small step lowers the loss on this digit; a huge one overshoots on the other digits', () => {
    const pass = backwardPass(params, three.pixels, 3);
    const small = sgdStep(params, pass.grads, DEFAULT_LR);
    expect(lossOnly(small, three.pixels, 3)).toBeLessThan(pass.loss);
    expect(lossOnly(small, three.pixels, 3)).toBeCloseTo(
      backwardPass(small, three.pixels, 3).loss,
      6,
    );
    // First order: ΔL ≈ −lr·‖g‖² for a tiny lr.
    const tiny = 1e-4;
    const dl = lossOnly(sgdStep(params, pass.grads, tiny), three.pixels, 3) - pass.loss;
    expect(dl / (-tiny * gradNormSquared(pass.grads))).toBeCloseTo(1, 1);
    const before = meanLoss(params, others);
    expect(meanLoss(sgdStep(params, pass.grads, 1), others)).toBeGreaterThan(5 * before);
  });
});

describe('URL and fields', () => {
  it('round-trips', () => {
    const s = { digit: 2, seed: 5, step: 3, channel: 1, weight: parseWeight('d3.120')!, lr: 0.5 };
    const link = Object.entries(backpropParams(s)).filter((e): e is [string, string] => !!e[1]);
    const back = parseBackpropParams(new Map(link));
    expect(back).toEqual({ ...s, notes: [] });
  });
  it('garbage → defaults with notes, never a throw', () => {
    const s = parseBackpropParams(
      new Map([
        ['digit', '99'],
        ['seed', 'abc'],
        ['step', '-1'],
        ['ch', '1.5'],
        ['w', 'k9.9.9'],
        ['lr', '0'],
      ]),
    );
    expect(s).toMatchObject({
      digit: 0,
      seed: 8,
      step: 0,
      channel: 0,
      weight: DEFAULT_WEIGHT,
      lr: DEFAULT_LR,
    });
    expect(s.notes.length).toBe(6);
  });
  it('weight fields name the bad field', () => {
    expect(parseWeightFields('kernel', '2', '0', '1')).toEqual({
      weight: { kind: 'kernel', filter: 2, row: 0, col: 1 },
    });
    expect(parseWeightFields('kernel', '2', 'abc', '1')).toEqual({
      error: 'kernel row: "abc" is not a number.',
      field: 'b',
    });
    expect(parseWeightFields('kernel', '2', '3', '1')).toEqual({
      error: 'kernel row must be a whole number from 0 to 2, got 3.',
      field: 'b',
    });
    expect(parseWeightFields('dense', '3', '676', '')).toMatchObject({ field: 'b' });
    expect(FIELDS.lr.parse('abc')).toEqual({
      ok: false,
      error: 'learning rate: "abc" is not a number.',
    });
    expect(FIELDS.lr.parse('0')).toEqual({
      ok: false,
      error: 'learning rate must be greater than 0 and at most 100, got 0.',
    });
    expect(FIELDS.lr.parse('0.1')).toEqual({ ok: true, value: 0.1 });
  });
});

describe('backpropModel on ORT (wasm, Node) vs the reference', () => {
  it('every output agrees within 1e-4', async () => {
    const pass = backwardPass(params, three.pixels, 3);
    const lr = 0.05;
    const updated = sgdStep(params, pass.grads, lr);
    const expected = backpropExpected(pass, updated, meanLoss(params, others));
    const session = await createSession(backpropModel());
    const feeds: Record<string, { shape: number[]; data: Float32Array }> = {
      images: { shape: [1, 1, 28, 28], data: pass.x.data },
      labels: { shape: [1, 10], data: oneHot([3], 10) },
      lr: { shape: [], data: Float32Array.of(lr) },
      others: { shape: [10, 1, 28, 28], data: Float32Array.from(others.flatMap((o) => o.pixels)) },
      otherLabels: {
        shape: [10, 10],
        data: oneHot(
          others.map((o) => o.label),
          10,
        ),
      },
    };
    for (const [k, v] of Object.entries(params)) feeds[k] = { shape: [...v.shape], data: v.data };
    const out = await session.run(feeds);
    for (const [name, want] of Object.entries(expected)) {
      const got = out[name].data;
      expect(got.length, name).toBe(want.length);
      let max = 0;
      for (let i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i] - want[i]));
      expect(max, name).toBeLessThan(1e-4);
    }
    await session.release();

    // The loss after the step: tinyNet's forward model fed ORT's own updated weights.
    const images = [three, ...others];
    const after = await createSession(afterModel());
    const afterFeeds: Record<string, { shape: number[]; data: Float32Array }> = {
      images: { shape: [11, 1, 28, 28], data: Float32Array.from(images.flatMap((d) => d.pixels)) },
    };
    for (const name of Object.keys(params))
      afterFeeds[name] = { shape: [...params[name].shape], data: out[`updated.${name}`].data };
    const probs = (await after.run(afterFeeds)).probabilities.data;
    const want = probabilities(updated, images);
    for (let i = 0; i < want.length; i++) expect(Math.abs(probs[i] - want[i])).toBeLessThan(1e-4);
    const losses = lossesFromProbabilities(
      probs,
      images.map((d) => d.label),
    );
    expect(losses[0]).toBeCloseTo(lossOnly(updated, three.pixels, 3), 3);
    expect(losses[0]).toBeLessThan(pass.loss);
    await after.release();
  });
});

describe('reduceBackprop(state, action)', () => {
  const digits = sampleDigits([
    [3, 0],
    [7, 0],
  ]);
  const start = initialState(digits, others, parseBackpropParams(new Map()));
  const ortResult = { backend: 'wasm', check: {}, outputs: {} } as unknown as TwiceResult;

  it('starts from the link: defaults, the digit’s own row of W, no pixel picked', () => {
    expect(start).toMatchObject({ digit: 0, seed: 8, step: 0, channel: 0, lr: 0.01, unit: 3 });
    expect(start.weight).toEqual(DEFAULT_WEIGHT);
    expect(start.pixel).toBeNull();
  });
  it('a bad seed keeps the figure and says why; a good one clears the message', () => {
    const bad = reduceBackprop(start, { kind: 'edit', field: 'seed', raw: 'abc' });
    expect(bad.seed).toBe(8);
    expect(bad.errors.seed).toBe(
      'weight seed: "abc" is not a number. The figure shows the last valid seed.',
    );
    const good = reduceBackprop(bad, { kind: 'edit', field: 'seed', raw: '12' });
    expect(good.seed).toBe(12);
    expect(good.errors).toEqual({});
  });
  it('an unchanged value is the same state (nothing redrawn, no ORT run)', () => {
    expect(reduceBackprop(start, { kind: 'edit', field: 'lr', raw: '0.01' })).toBe(start);
    expect(reduceBackprop(start, { kind: 'step', step: 0 })).toBe(start);
    expect(reduceBackprop(start, { kind: 'step', step: -3 })).toBe(start);
  });
  it('steps clamp to the five layers', () => {
    expect(reduceBackprop(start, { kind: 'step', step: 9 }).step).toBe(4);
  });
  it('a new digit, seed or lr drops ORT’s old results and the picked pixel', () => {
    const key = computeKey(start);
    let s = reduceBackprop(start, { kind: 'pixel', index: 100 });
    s = reduceBackprop(s, { kind: 'ort', key, result: ortResult });
    expect(s.ort?.result).toBe(ortResult);
    expect(s.pixel).toBe(100);
    const next = reduceBackprop(s, { kind: 'edit', field: 'digit', raw: '1' });
    expect(next).toMatchObject({ digit: 1, pixel: null, ort: undefined, ortAfter: undefined });
    // An answer for a state no longer shown is ignored.
    expect(reduceBackprop(next, { kind: 'ort', key, result: ortResult })).toBe(next);
  });
  it('the channel carries a kernel weight with it; a dense weight stays', () => {
    const s = reduceBackprop(start, { kind: 'edit', field: 'channel', raw: '2' });
    expect(s.weight).toEqual({ kind: 'kernel', filter: 2, row: 1, col: 1 });
    const dense = reduceBackprop(start, { kind: 'pick', grid: 'dense', index: 5 });
    expect(dense.weight).toEqual({ kind: 'dense', unit: 3, feature: 5 });
    expect(reduceBackprop(dense, { kind: 'edit', field: 'channel', raw: '1' }).weight).toBe(
      dense.weight,
    );
  });
  it('picking a cell of ∂L/∂k or ∂L/∂W checks that weight and shows its maps (0-based)', () => {
    const k = reduceBackprop(reduceBackprop(start, { kind: 'edit', field: 'channel', raw: '3' }), {
      kind: 'pick',
      grid: 'kernel',
      index: 7,
    });
    expect(k.weight).toEqual({ kind: 'kernel', filter: 3, row: 2, col: 1 });
    const d = reduceBackprop(reduceBackprop(start, { kind: 'unit', raw: '7' }), {
      kind: 'pick',
      grid: 'dense',
      index: 13,
    });
    expect(d.weight).toEqual({ kind: 'dense', unit: 7, feature: 13 });
    const typed = reduceBackprop(start, {
      kind: 'weight-boxes',
      as: 'dense',
      a: '4',
      b: '200',
      c: '',
    });
    expect(typed).toMatchObject({ unit: 4, channel: 1 }); // feature 200 is in channel 1 (169…337)
  });
  it('bad boxes name the box and keep the last valid weight', () => {
    const s = reduceBackprop(start, { kind: 'weight-boxes', as: 'kernel', a: '2', b: '7', c: '1' });
    expect(s.weight).toBe(start.weight);
    expect(s.errors.weight).toEqual({
      box: 'b',
      message:
        'kernel row must be a whole number from 0 to 2, got 7. The check shows the last valid weight.',
    });
    const kind = reduceBackprop(s, { kind: 'weight-kind', to: 'kernel', dense: start.weight });
    expect(kind.errors.weight).toBeUndefined();
  });
  it('the link: old links still read (step counted from 1 there), defaults left out', () => {
    const s = parseBackpropParams(
      new Map([
        ['step', '4'],
        ['w', 'd3.200'],
      ]),
    );
    expect(s).toMatchObject({ step: 3, weight: { kind: 'dense', unit: 3, feature: 200 } });
    expect(backpropParams({ ...s, step: 3 })).toMatchObject({
      step: '4',
      w: 'd3.200',
      lr: undefined,
    });
    expect(FIELDS.weight.parse('k4.0.0')).toMatchObject({ ok: false });
  });
});
