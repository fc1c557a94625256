import { describe, expect, test } from 'vitest';
import { initParams } from '../../../src/cnn/nn/params.ts';
import type { Params } from '../../../src/cnn/nn/params.ts';
import { mnistTutorialNet } from '../../../src/cnn/nn/presets.ts';
import {
  deserializeOptimizerState,
  deserializeParams,
  serializeOptimizerState,
  serializeParams,
} from '../../../src/cnn/nn/serialize.ts';
import { createOptimizerState, optimizerStep } from '../../../src/cnn/optim/optimizer.ts';
import { fromNested, tensor } from '../../../src/cnn/tensor.ts';
import { expectTensor } from './helpers.ts';

describe('optimizerStep, hand-computed', () => {
  test('optimizerStep(sgd lr 0.1, momentum 0.9, weightDecay 0.01) over two steps', () => {
    const opt = { type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.01 } as const;
    let params: Params = { w: fromNested([1, -2]) };
    const grads = { w: fromNested([0.5, 0.5]) };
    let state = createOptimizerState(opt, params);
    expect(Object.keys(state.slots)).toEqual(['w.velocity']);
    ({ params, state } = optimizerStep(opt, params, grads, state));
    // g = 0.5 + 0.01·1 = 0.51 → v = 0.51 → w = 1 − 0.051; g = 0.5 − 0.02 = 0.48 → w = −2.048
    expectTensor(state.slots['w.velocity'], [2], [0.51, 0.48], 6);
    expectTensor(params.w, [2], [0.949, -2.048], 6);
    ({ params, state } = optimizerStep(opt, params, grads, state));
    // g = 0.5 + 0.00949 = 0.50949, v = 0.9·0.51 + 0.50949 = 0.96849, w = 0.949 − 0.096849
    // g = 0.5 − 0.02048 = 0.47952, v = 0.9·0.48 + 0.47952 = 0.91152, w = −2.048 − 0.091152
    expectTensor(state.slots['w.velocity'], [2], [0.96849, 0.91152], 6);
    expectTensor(params.w, [2], [0.852151, -2.139152], 6);
    expect(state.step).toBe(2);
  });

  test('optimizerStep(sgd without momentum) is w − lr·grad', () => {
    const opt = { type: 'sgd', lr: 0.5 } as const;
    const params = { w: fromNested([1, 2]) };
    const out = optimizerStep(
      opt,
      params,
      { w: fromNested([0.2, -0.4]) },
      createOptimizerState(opt, params),
    );
    expectTensor(out.params.w, [2], [0.9, 2.2], 6);
    expectTensor(params.w, [2], [1, 2]); // inputs are not modified
  });

  test('optimizerStep(adam lr 0.1) over two steps with bias correction', () => {
    const opt = { type: 'adam', lr: 0.1 } as const;
    let params: Params = { w: fromNested([1]) };
    let state = createOptimizerState(opt, params);
    expect(Object.keys(state.slots)).toEqual(['w.m', 'w.v']);
    // t = 1, g = 0.5: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25 → w = 1 − 0.1·0.5/0.5 = 0.9
    ({ params, state } = optimizerStep(opt, params, { w: fromNested([0.5]) }, state));
    expectTensor(state.slots['w.m'], [1], [0.05], 7);
    expectTensor(state.slots['w.v'], [1], [0.00025], 8);
    expectTensor(params.w, [1], [0.9], 6);
    // t = 2, g = −0.25: m = 0.045 − 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225,
    // m̂ = 0.02/0.19 = 0.1052632, v̂ = 0.00031225/0.001999 = 0.1562031, √v̂ = 0.3952254,
    // w = 0.9 − 0.1·0.1052632/0.3952254 = 0.8733663
    ({ params, state } = optimizerStep(opt, params, { w: fromNested([-0.25]) }, state));
    expectTensor(state.slots['w.m'], [1], [0.02], 7);
    expectTensor(state.slots['w.v'], [1], [0.00031225], 8);
    expectTensor(params.w, [1], [0.8733663], 6);
  });

  test('optimizerStep(adam with weightDecay 0.1) adds weightDecay·w to the gradient', () => {
    const opt = { type: 'adam', lr: 0.01, weightDecay: 0.1 } as const;
    const params = { w: fromNested([2]) };
    // g = 0 + 0.1·2 = 0.2, first step moves by lr·sign(g) = 0.01
    const out = optimizerStep(
      opt,
      params,
      { w: fromNested([0]) },
      createOptimizerState(opt, params),
    );
    expectTensor(out.params.w, [1], [1.99], 6);
  });

  test('optimizerStep refuses a missing gradient, a bad learning rate and NaN gradients', () => {
    const opt = { type: 'sgd', lr: 0.1 } as const;
    const params = { w: fromNested([1, 2]) };
    const state = createOptimizerState(opt, params);
    expect(() => optimizerStep(opt, params, {}, state)).toThrow(
      'optimizerStep: gradient w is missing; parameter is [2]',
    );
    expect(() =>
      optimizerStep({ type: 'sgd', lr: -1 }, params, { w: fromNested([0, 0]) }, state),
    ).toThrow('optimizerStep: sgd lr must be a positive number, got -1');
    expect(() => optimizerStep(opt, params, { w: fromNested([NaN, 0]) }, state)).toThrow(
      /optimizerStep: gradient w contains NaN at flat index 0/,
    );
    expect(() =>
      optimizerStep({ type: 'adam', lr: 0.1 }, params, { w: fromNested([0, 0]) }, state),
    ).toThrow(/state slot w\.m is missing/);
  });
});

describe('serialisation', () => {
  const bits = (d: Float32Array) => Array.from(new Uint32Array(d.buffer, d.byteOffset, d.length));

  test('deserializeParams(JSON round trip of serializeParams(params)) is bit-identical', () => {
    const params = initParams(mnistTutorialNet, 4);
    params['0.bias'] = tensor(
      [8],
      [-0, 1e-45, -3.4028234663852886e38, 1 / 3, Infinity, -Infinity, NaN, 0.1],
    );
    const json = JSON.parse(JSON.stringify(serializeParams(params)));
    const back = deserializeParams(json);
    expect(Object.keys(back)).toEqual(Object.keys(params));
    for (const name of Object.keys(params)) {
      expect(back[name].shape).toEqual(params[name].shape);
      expect(bits(back[name].data)).toEqual(bits(params[name].data));
    }
  });

  test('serializeParams writes little-endian float32 bytes in base64', () => {
    // 1.0f = 0x3f800000 → bytes 00 00 80 3f → "AACAPw=="
    expect(serializeParams({ w: tensor([1], [1]) }).tensors['w']).toEqual({
      shape: [1],
      float32: 'AACAPw==',
    });
  });

  test('deserializeOptimizerState(serializeOptimizerState(state)) round-trips step and slots', () => {
    const opt = { type: 'adam', lr: 0.01 } as const;
    const params = initParams(mnistTutorialNet, 1);
    const grads = initParams(mnistTutorialNet, 2);
    const { state } = optimizerStep(opt, params, grads, createOptimizerState(opt, params));
    const back = deserializeOptimizerState(
      JSON.parse(JSON.stringify(serializeOptimizerState(state))),
    );
    expect(back.step).toBe(1);
    for (const name of Object.keys(state.slots))
      expect(bits(back.slots[name].data)).toEqual(bits(state.slots[name].data));
  });

  test('deserializeParams refuses an unknown format and a byte count that does not fit the shape', () => {
    expect(() => deserializeParams({ format: 'other' } as never)).toThrow(
      `deserializeParams: format must be 'convbook.params/1', got "other"`,
    );
    expect(() =>
      deserializeParams({
        format: 'convbook.params/1',
        tensors: { w: { shape: [2], float32: 'AACAPw==' } },
      }),
    ).toThrow('deserialize: w has 4 bytes but shape [2] needs 8');
  });
});
