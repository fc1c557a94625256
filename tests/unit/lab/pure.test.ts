import { describe, expect, it } from 'vitest';
import {
  Rate,
  Throttle,
  learningRate,
  linearLearningRate,
  scheduledLearningRate,
  stepScalars,
} from '../../../src/runtime/lab/schedule';
import { ProgressBook } from '../../../src/runtime/lab/progress';
import { DIVERGED_LOSS, LastGood } from '../../../src/runtime/lab/last-good';
import {
  TrainingData,
  augment,
  batchIndices,
  stepsPerEpoch,
  trainCount,
} from '../../../src/runtime/lab/data';
import { EvalAccumulator } from '../../../src/runtime/lab/eval';
import { syntheticMnist } from './fixtures';

describe('learningRate(base, decay, epoch)', () => {
  it('decays geometrically per epoch', () => {
    expect(learningRate(0.05, 0.87, 0)).toBe(0.05);
    expect(learningRate(0.05, 0.87, 2)).toBeCloseTo(0.05 * 0.7569, 12);
    expect(learningRate(0.1, 1, 9)).toBe(0.1);
  });
  it('rejects a bad rate or decay, naming it', () => {
    expect(() => learningRate(0, 0.9, 0)).toThrow(/lr must be a positive number, got 0/);
    expect(() => learningRate(0.1, 1.5, 0)).toThrow(/lrDecay must be in \(0, 1\], got 1.5/);
  });
});

describe('linearLearningRate(base, step, total)', () => {
  it('falls by base/total every step, from base to base/total at the last step, never 0', () => {
    expect(linearLearningRate(0.05, 0, 1000)).toBe(0.05);
    expect(linearLearningRate(0.05, 500, 1000)).toBeCloseTo(0.025, 15);
    expect(linearLearningRate(0.05, 999, 1000)).toBeCloseTo(0.00005, 15);
    expect(linearLearningRate(0.05, 5000, 1000)).toBeCloseTo(0.00005, 15);
  });
  it('rejects a bad rate or step count', () => {
    expect(() => linearLearningRate(-1, 0, 10)).toThrow(/lr must be a positive number, got -1/);
    expect(() => linearLearningRate(0.1, 0, 0)).toThrow(/total steps must be a positive/);
  });
});

describe('scheduledLearningRate(config, step, stepsPerEpoch)', () => {
  const c = { optimizer: { lr: 0.08 }, lrDecay: 0.5, epochs: 4 };
  it('decay (also when lrSchedule is missing, as in older saved runs): one step down per epoch', () => {
    const rates = [0, 9, 10, 25, 39, 40, 99].map((s) => scheduledLearningRate(c, s, 10));
    expect(rates).toEqual([0.08, 0.08, 0.04, 0.02, 0.01, 0.01, 0.01]);
    expect(scheduledLearningRate({ ...c, lrSchedule: 'decay' }, 25, 10)).toBe(0.02);
  });
  it('linear: every step lower, over the whole run (epochs × steps per epoch), ignoring lrDecay', () => {
    const linear = { ...c, lrSchedule: 'linear' } as const;
    expect(scheduledLearningRate(linear, 0, 10)).toBe(0.08);
    expect(scheduledLearningRate(linear, 9, 10)).toBeCloseTo(0.08 * (31 / 40), 15);
    expect(scheduledLearningRate(linear, 10, 10)).toBeCloseTo(0.06, 15);
    expect(scheduledLearningRate(linear, 39, 10)).toBeCloseTo(0.002, 15);
  });
  it('rejects a schedule it does not know', () => {
    const bad = { ...c, lrSchedule: 'cosine' } as unknown as Parameters<
      typeof scheduledLearningRate
    >[0];
    expect(() => scheduledLearningRate(bad, 0, 10)).toThrow(
      /lrSchedule must be one of decay, linear, got cosine/,
    );
  });
});

describe('stepScalars(opt, t, lr)', () => {
  it('SGD feeds only lr; Adam adds its bias corrections at step t', () => {
    expect(stepScalars({ type: 'sgd', lr: 0.1 }, 3, 0.02)).toEqual({ lr: 0.02 });
    const a = stepScalars({ type: 'adam', lr: 1e-3 }, 2, 5e-4);
    expect(a.lr).toBe(5e-4);
    expect(a.biasCorrection1).toBeCloseTo(1 - 0.81, 12); // 1 − 0.9²
    expect(a.biasCorrection2).toBeCloseTo(1 - 0.998001, 12); // 1 − 0.999²
    expect(() => stepScalars({ type: 'sgd', lr: 0.1 }, 0, 0.1)).toThrow(/≥ 1/);
  });
});

describe('Throttle and Rate', () => {
  it('lets one event per interval through, forced ones always', () => {
    const t = new Throttle(100);
    expect([0, 50, 99, 100, 150, 210].map((n) => t.ready(n))).toEqual([
      true,
      false,
      false,
      true,
      false,
      true,
    ]);
    expect(t.ready(211, true)).toBe(true);
  });
  it('Rate averages images per second over its window', () => {
    const r = new Rate(1);
    r.add(64, 0.5);
    r.add(64, 0.5);
    expect(r.imagesPerSecond).toBeCloseTo(128);
    r.add(640, 0.5); // the first sample leaves the 1 s window
    expect(r.imagesPerSecond).toBeCloseTo(704);
  });
});

describe('ProgressBook', () => {
  it('averages training figures into ~25 points an epoch and attaches test figures at epoch ends', () => {
    const b = new ProgressBook(50, 3); // every 2 steps
    expect(b.every).toBe(2);
    for (let s = 0; s < 49; s++) expect(b.recordStep(s, 0.5, 0.01)).toBe(false);
    expect(b.nextEndsEpoch).toBe(true);
    expect(b.recordStep(49, 1, 0.01)).toBe(true);
    expect(b.history).toHaveLength(25);
    expect(b.history[0]).toMatchObject({ step: 2, trainLoss: 0.5, trainAccuracy: 0.5 });
    expect(b.history[24]).toMatchObject({
      step: 50,
      epoch: 1,
      trainLoss: 48.5,
      trainAccuracy: 0.75,
    });
    b.endEpoch(0.9, 0.3);
    expect(b.history[24]).toMatchObject({ testAccuracy: 0.9, testLoss: 0.3 });
    expect([b.epoch, b.step, b.globalStep, b.totalSteps]).toEqual([1, 0, 50, 150]);
    expect(b.seconds).toBeCloseTo(0.5);
  });
  it('rewinds to a step, dropping later points but keeping time spent', () => {
    const b = new ProgressBook(4, 2);
    for (let s = 0; s < 4; s++) b.recordStep(1, 1, 1);
    b.endEpoch(0.5, 1);
    for (let s = 0; s < 3; s++) b.recordStep(2, 1, 1);
    b.rewind(4);
    expect([b.epoch, b.step, b.globalStep]).toEqual([1, 0, 4]);
    expect(b.history.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(b.seconds).toBe(7);
    b.rewind(2);
    expect([b.epoch, b.step]).toEqual([0, 2]);
    expect(() => b.rewind(9)).toThrow(/cannot rewind to step 9 from step 2/);
  });
  it('round-trips through its snapshot', () => {
    const b = new ProgressBook(3, 2);
    b.recordStep(2, 0.1, 0.2);
    const c = ProgressBook.from(b.snapshot(), 2);
    expect(c.snapshot()).toEqual(b.snapshot());
  });
});

describe('LastGood (which weights survive a NaN)', () => {
  it('confirms a copy only when the next step computed a sane loss from it', () => {
    const g = new LastGood<string>();
    g.trust(0, 'w0');
    g.offer(10, 'w10');
    expect(g.last).toEqual({ step: 0, weights: 'w0' }); // pending until step 11's loss
    g.observe(11, 0.4);
    expect(g.last).toEqual({ step: 10, weights: 'w10' });
    g.offer(20, 'w20');
    g.observe(21, Number.NaN); // loss from w20 is NaN: w20 is bad
    expect(g.last?.step).toBe(10);
    g.observe(22, 0.3); // nothing pending any more
    expect(g.last?.step).toBe(10);
  });
  it('treats a diverged (finite but huge) loss as bad', () => {
    const g = new LastGood<string>();
    g.trust(0, 'w0');
    g.offer(10, 'w10');
    g.observe(11, DIVERGED_LOSS * 3);
    expect(g.last?.step).toBe(0);
  });
  it('is due every N steps and at epoch ends', () => {
    expect([10, 11, 13].map((s) => LastGood.due(s, 10, s === 13))).toEqual([true, false, true]);
  });
});

describe('training data', () => {
  it('trainCount / stepsPerEpoch / batchIndices', () => {
    expect(trainCount({}, 8000)).toBe(8000);
    expect(trainCount({ trainSubset: 500 }, 8000)).toBe(500);
    expect(trainCount({ trainSubset: 9000 }, 8000)).toBe(8000);
    expect(() => trainCount({ trainSubset: 0 }, 8000)).toThrow(/trainSubset/);
    expect(stepsPerEpoch(8000, 64)).toBe(125);
    expect(stepsPerEpoch(100, 64)).toBe(1);
    expect(stepsPerEpoch(130, 64)).toBe(2);
    expect(Array.from(batchIndices(Uint32Array.of(5, 6, 7), 1, 2))).toEqual([7, 5]);
  });
  it('visits only the first N digits, each once per epoch, in a seeded order', () => {
    const data = syntheticMnist(64, 10);
    const cfg = {
      trainSubset: 32,
      batchSize: 8,
      seed: 3,
      augmentation: { shift: 0, rotate: 0, scale: 0 },
    };
    const a = new TrainingData(data.train, cfg);
    expect(a.stepsPerEpoch).toBe(4);
    const seen: number[] = [];
    for (let s = 0; s < 4; s++) {
      const b = a.batch(0, s);
      expect(b.size).toBe(8);
      // which training digit it is: row of the bar → label; the images equal the source bytes
      seen.push(...b.labels);
      expect(Array.from(b.oneHot.subarray(0, 10)).indexOf(1)).toBe(b.labels[0]);
    }
    const counts = new Array(10).fill(0);
    for (const l of seen) counts[l]++;
    // digits 0…31 have labels i % 10: 4,4,3,3,… → exactly the first 32 visited once each
    expect(counts).toEqual([4, 4, 3, 3, 3, 3, 3, 3, 3, 3]);
    const again = new TrainingData(data.train, cfg).batch(1, 2);
    expect(Array.from(again.images)).toEqual(Array.from(a.batch(1, 2).images));
    expect(Array.from(a.batch(1, 2).labels)).not.toEqual(Array.from(a.batch(0, 2).labels));
  });
  it('augments deterministically per seed and leaves the input alone', () => {
    const img = new Float32Array(784);
    img[14 * 28 + 14] = 1;
    const aug = { shift: 2, rotate: 0, scale: 0 };
    const a = augment(img, aug, 9);
    expect(Array.from(a)).toEqual(Array.from(augment(img, aug, 9)));
    expect(img[14 * 28 + 14]).toBe(1);
    expect(a.reduce((s, v) => s + v, 0)).toBe(1); // a whole-pixel shift moves the one dot
    expect(augment(img, { shift: 0, rotate: 0, scale: 0 }, 9)).toBe(img);
    const r = augment(img, { shift: 0, rotate: 10, scale: 0.1 }, 9);
    expect(r).not.toBe(img);
  });
});

describe('EvalAccumulator', () => {
  it('counts accuracy, mean cross-entropy, confusion and the most confident mistakes', () => {
    const images = new Uint8Array(3 * 784).fill(1);
    const labels = Uint8Array.of(0, 1, 2);
    const acc = new EvalAccumulator({ images, labels }, 1);
    const probs = new Float32Array(30);
    probs[0] = 0.5; // digit 0 → 0 (p 0.5): right
    probs[10 + 3] = 0.9; // digit 1 → 3 (p 0.9), p(1) = 0.1
    probs[10 + 1] = 0.1;
    probs[20 + 4] = 0.6; // digit 2 → 4 (p 0.6), p(2) = 0.4
    probs[20 + 2] = 0.4;
    acc.add(0, probs);
    const r = acc.result();
    expect(r.testAccuracy).toBeCloseTo(1 / 3);
    expect(r.testLoss).toBeCloseTo(-(Math.log(0.5) + Math.log(0.1) + Math.log(0.4)) / 3, 6);
    expect(r.confusion[0]).toBe(1);
    expect(r.confusion[1 * 10 + 3]).toBe(1);
    expect(r.confusion[2 * 10 + 4]).toBe(1);
    expect(r.misclassified).toHaveLength(1); // max 1: the most confident
    expect(r.misclassified[0]).toMatchObject({ index: 1, label: 1, predicted: 3 });
    expect(r.misclassified[0]!.confidence).toBeCloseTo(0.9);
  });
});
