/**
 * Saved runs that are not what the code expects — from older versions of the site, interrupted
 * saves, hand-edited storage — each get one sentence saying what is wrong, never an exception
 * thrown at a widget (the lab turns the RangeError into a notice and keeps the record).
 */
import { describe, expect, it } from 'vitest';
import { initParams, sceneDetectNet, sceneSegNet, tinyNet } from '../../../src/cnn/index';
import { fromRecord, toRecord } from '../../../src/runtime/lab/checkpoint';
import type { Checkpoint } from '../../../src/runtime/lab/checkpoint';
import { checkRunWeights, parseSavedRun } from '../../../src/runtime/lab/saved-run';
import { smallConfig } from './fixtures';

const progress = {
  epoch: 1,
  step: 0,
  stepsPerEpoch: 4,
  totalSteps: 8,
  seconds: 1,
  history: [{ step: 4, epoch: 1, trainLoss: 1.2, trainAccuracy: 0.6, seconds: 1 }],
};

function record(over: Record<string, unknown> = {}): Record<string, unknown> {
  const c: Checkpoint = {
    config: smallConfig(),
    progress,
    state: {},
    lr: 0.05,
    optimizerSteps: 4,
    savedAt: 1,
  };
  return { ...toRecord(c), ...over };
}

describe('parseSavedRun / fromRecord on bad saved state', () => {
  it('accepts a good record', () => {
    expect(parseSavedRun(record() as never).config.preset).toBe('small');
  });
  it('an unknown preset, an absurd epoch, a network without an input shape, a history that is not a list', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ config: { ...smallConfig(), preset: 'huge' } }, /config\.preset/],
      [{ progress: { ...progress, epoch: 1e308 } }, /progress\.epoch/],
      [
        { config: { ...smallConfig(), network: { ...tinyNet, inputShape: 5 } } },
        /config\.network\.inputShape/,
      ],
      [{ progress: { ...progress, history: {} } }, /progress\.history/],
      [
        { config: { ...smallConfig(), optimizer: { type: 'sgd', lr: Number.NaN } } },
        /config\.optimizer\.lr/,
      ],
      [{ progress: { ...progress, epoch: 3 } }, /past its 2 epochs/],
      [
        { config: { ...smallConfig(), lrSchedule: 'cosine' } },
        /config\.lrSchedule: is not a schedule/,
      ],
      [
        { config: { ...smallConfig(), network: { ...tinyNet, layers: [{ type: 'conv2d' }] } } },
        /network is not valid/,
      ],
    ];
    for (const [over, message] of cases) {
      expect(() => fromRecord(record(over))).toThrow(RangeError);
      expect(() => fromRecord(record(over))).toThrow(message);
    }
  });
  it('lesson 12’s run of the older 11-channel segmenter is named as such; the head’s run loads', () => {
    const scenes = (network: unknown) => ({
      config: { ...smallConfig(), preset: 'scenes', task: 'segment', network },
    });
    expect(() => fromRecord(record(scenes(sceneSegNet)))).toThrow(
      /older segmenter, from before the detection head .*; train again/,
    );
    expect(parseSavedRun(record(scenes(sceneDetectNet)) as never).config.network).toEqual(
      sceneDetectNet,
    );
  });
  it('a run saved before schedules could be chosen (no lrSchedule) loads; a linear one keeps it', () => {
    expect(parseSavedRun(record() as never).config.lrSchedule).toBeUndefined();
    const linear = { config: { ...smallConfig(), lrSchedule: 'linear' } };
    expect(parseSavedRun(record(linear) as never).config.lrSchedule).toBe('linear');
  });
  it('says what is wrong and what was found, in words (zod/mini alone says "Invalid input")', () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { progress: { ...progress, epoch: 1e308 } },
        'progress.epoch: must be at most 1000, not 1e+308',
      ],
      [
        { progress: { ...progress, epoch: 2.5 } },
        'progress.epoch: must be a whole number, not 2.5',
      ],
      [
        { progress: { ...progress, history: {} } },
        'progress.history: must be a list, not an object',
      ],
      [
        { config: { ...smallConfig(), network: { ...tinyNet, inputShape: 5 } } },
        'config.network.inputShape: must be a list, not 5',
      ],
      [
        { config: { ...smallConfig(), network: { ...tinyNet, layers: [] } } },
        'config.network.layers: must have at least 1 entry',
      ],
      [
        { config: { ...smallConfig(), batchSize: '64' } },
        'config.batchSize: must be a number, not "64"',
      ],
      [
        { config: { ...smallConfig(), seed: undefined } },
        'config.seed: must be a number, not missing',
      ],
      [
        { config: { ...smallConfig(), optimizer: { type: 'rmsprop', lr: 1 } } },
        'config.optimizer.type: must be "sgd" or "adam", not "rmsprop"',
      ],
      [{ config: 'a run' }, 'config: must be an object, not "a run"'],
    ];
    for (const [over, message] of cases) {
      expect(() => fromRecord(record(over))).toThrow(`saved run: ${message}`);
    }
  });
  it('an older version is named as such', () => {
    expect(() => fromRecord(record({ version: 0 }))).toThrow(/version 0, expected 1/);
  });
});

describe('checkRunWeights(network, state)', () => {
  const state = () =>
    Object.fromEntries(
      Object.entries(initParams(tinyNet, 1)).map(([k, t]) => [k, { dims: t.shape, data: t.data }]),
    );
  it('passes the network’s own parameters', () => {
    expect(checkRunWeights(tinyNet, state())).toEqual({ kind: 'ok' });
  });
  it('calls NaN or ∞ weights a diverged run', () => {
    const s = state();
    s['0.kernel']!.data[3] = Number.NaN;
    expect(checkRunWeights(tinyNet, s)).toMatchObject({ kind: 'diverged' });
    expect(
      checkRunWeights(tinyNet, s).kind === 'diverged' && checkRunWeights(tinyNet, s),
    ).toMatchObject({
      message: expect.stringMatching(/not numbers .*diverged/),
    });
  });
  it('names a missing or misshapen parameter', () => {
    const s = state();
    delete s['0.bias'];
    expect(checkRunWeights(tinyNet, s)).toEqual({
      kind: 'mismatch',
      message: 'its parameter 0.bias is missing',
    });
    const t = state();
    t['0.kernel'] = { dims: [1, 2], data: new Float32Array(2) };
    expect(checkRunWeights(tinyNet, t)).toMatchObject({ kind: 'mismatch' });
  });
});
