/**
 * The lab's 'segment' task in Node (lesson 12): scene batches, the held-out evaluation and its
 * scores, the cross-check of a map loss, prediction of a scene's map, save and restore.
 */
import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../src/cnn/index';
import { memoryStore } from '../../../src/runtime/lab/checkpoint';
import { Lab } from '../../../src/runtime/lab/lab';
import {
  HELD_OUT_SCENES,
  SCENES_PER_EPOCH,
  SceneData,
  mapGeometry,
} from '../../../src/runtime/lab/scene-task';
import { SCENE_PIXELS } from '../../../src/data/scenes';
import { host, of } from './fake-host';
import { smallConfig, syntheticMnist } from './fixtures';

/** Cheap on the reference engine: 64×64 → a detection head's 26 channels on a 16×16 grid. */
const smallSeg: NetworkSpec = {
  name: 'smallSeg',
  inputShape: [1, 64, 64],
  layers: [
    { type: 'conv2d', filters: 4, kernelShape: [3, 3], pads: 'same' },
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [4, 4] },
    { type: 'conv2d', filters: 26, kernelShape: [1, 1] },
  ],
  head: { type: 'detect', classes: 11, centreWeight: 2, boxWeight: 1 },
};
/** Lesson 12's net before the detection head: 11 segmentation scores only. */
const olderSeg: NetworkSpec = {
  name: 'olderSeg',
  inputShape: [1, 64, 64],
  layers: [...smallSeg.layers.slice(0, -1), { type: 'conv2d', filters: 11, kernelShape: [1, 1] }],
};

const segConfig = smallConfig({
  preset: 'scenes',
  task: 'segment',
  network: smallSeg,
  batchSize: 256,
  epochs: 1,
  backend: 'wasm',
});

describe('SceneData', () => {
  it('gives a fixed batch per (epoch, step), one label and one target row per map cell', () => {
    const data = new SceneData(syntheticMnist().train, segConfig);
    expect(data.stepsPerEpoch).toBe(SCENES_PER_EPOCH / 256);
    const a = data.batch(1, 2);
    expect(a.images.length).toBe(256 * SCENE_PIXELS);
    expect(a.labels.length).toBe(256 * 16 * 16);
    expect(a.oneHot.length).toBe(256 * 16 * 16 * 27);
    expect(data.batch(1, 2).images).toEqual(a.images);
    expect(data.batch(1, 3).images).not.toEqual(a.images);
    for (let k = 0; k < 50; k++) expect(a.oneHot[k * 27 + a.labels[k]!]).toBe(1);
    // one centre (mask 1) per digit of each scene, at most: two may share a cell
    let centres = 0;
    for (let k = 0; k < 256 * 256; k++) centres += a.oneHot[k * 27 + 26]!;
    expect(centres).toBeGreaterThanOrEqual(256);
    expect(centres).toBeLessThanOrEqual(256 * 4);
  });
  it('mapGeometry refuses a classifier, an older net without a head, and a map that does not tile', () => {
    expect(mapGeometry(smallSeg)).toMatchObject({ classes: 11, channels: 26, h: 16, factor: 4 });
    expect(() => mapGeometry(smallConfig().network)).toThrow(/must take \[1, 64, 64\] scenes/);
    expect(() => mapGeometry(olderSeg)).toThrow(
      /olderSeg has no detection head \(an older 11-channel segmenter\); train again/,
    );
  });
});

describe('Lab, task segment', () => {
  it('trains an epoch, cross-checks it, scores the held-out scenes and predicts a map', async () => {
    const store = memoryStore();
    const { h, events, until } = host({ store });
    const lab = new Lab(h);
    await lab.handle({ kind: 'start', config: segConfig });
    await until((e) => e.kind === 'status' && e.state === 'done', 60_000);
    const checks = of(events, 'crosscheck');
    expect(checks.length).toBeGreaterThan(0);
    for (const c of checks) expect(c.agree).toBe(true);
    const ev = of(events, 'eval')[0]!;
    const seg = ev.segmentation!;
    expect(seg.scenes).toBe(HELD_OUT_SCENES);
    expect(seg.images).toHaveLength(HELD_OUT_SCENES);
    expect(ev.confusion).toHaveLength(121);
    expect(ev.confusion.reduce((a, b) => a + b, 0)).toBe(HELD_OUT_SCENES * 16 * 16);
    expect(seg.pixelAccuracy).toBe(ev.testAccuracy);
    for (const v of [seg.pixelAccuracy, seg.meanIou, seg.map]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(of(events, 'snapshot')).toEqual([]);
    const hist = of(events, 'progress').at(-1)!.progress.history;
    expect(hist.at(-1)!.trainLoss).toBeLessThan(hist[0]!.trainLoss);

    await lab.handle({ kind: 'predict', id: 3, pixels: new Float32Array(SCENE_PIXELS) });
    const p = of(events, 'prediction')[0]!;
    expect(p.probabilities).toHaveLength(26 * 16 * 16);
    let cell0 = 0;
    for (let k = 0; k < 11; k++) cell0 += p.probabilities[k * 256]!;
    expect(cell0).toBeCloseTo(1, 5);
    await lab.handle({ kind: 'predict', id: 4, pixels: new Float32Array(784) });
    expect(of(events, 'error').at(-1)!.message).toBe('predict: 784 pixels, expected 4096');

    // A fresh lab restores the run with its task.
    const again = host({ store });
    await new Lab(again.h).handle({ kind: 'restore' });
    const restored = await again.until((e) => e.kind === 'restored');
    expect(restored.kind === 'restored' && restored.config.task).toBe('segment');
  }, 90_000);
});
