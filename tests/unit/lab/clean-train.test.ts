/**
 * The clean training accuracy (eval.ts): the first training digits as they are, through the
 * eval-mode forward pass, scored like the test set; kept on the epoch's history point; and runs
 * saved before it existed still load.
 */
import { describe, expect, it } from 'vitest';
import { cleanTrainAccuracy } from '../../../src/runtime/lab/eval';
import type { Evaluator } from '../../../src/runtime/lab/engines';
import { ProgressBook } from '../../../src/runtime/lab/progress';
import { parseSavedRun } from '../../../src/runtime/lab/saved-run';
import { smallConfig } from './fixtures';

/** Predicts, for each image, the class written in its first pixel (byte value = class). */
function firstPixelEvaluator(seen: number[][]): Evaluator {
  return {
    device: 'reference',
    async run(_params, images, n) {
      const probabilities = new Float32Array(n * 10);
      const firsts: number[] = [];
      for (let k = 0; k < n; k++) {
        const c = Math.round(images[k * 784]! * 255);
        firsts.push(c);
        probabilities[k * 10 + c] = 1;
      }
      seen.push(firsts);
      return { probabilities };
    },
    async release() {},
  };
}

/** Five digits labelled 0–4 whose first pixels say 0, 1, 9, 3, 9: digits 2 and 4 are missed. */
function split() {
  const images = new Uint8Array(5 * 784);
  [0, 1, 9, 3, 9].forEach((c, i) => (images[i * 784] = c));
  return { images, labels: Uint8Array.of(0, 1, 2, 3, 4), count: 5, perClass: [1, 1, 1, 1, 1] };
}

describe('cleanTrainAccuracy(evaluator, params, train, count, limit, batch)', () => {
  it('scores all the run’s digits in batches: 3 of 5 right', async () => {
    const seen: number[][] = [];
    const acc = await cleanTrainAccuracy(firstPixelEvaluator(seen), {}, split(), 5, 1000, 2);
    expect(acc).toBeCloseTo(3 / 5, 12);
    // the pixels arrive as they are (byte / 255, not augmented), two per batch
    expect(seen).toEqual([[0, 1], [9, 3], [9]]);
  });
  it('stops at the run’s count and at the limit, taking the first digits', async () => {
    const seen: number[][] = [];
    const ev = firstPixelEvaluator(seen);
    expect(await cleanTrainAccuracy(ev, {}, split(), 3, 1000, 8)).toBeCloseTo(2 / 3, 12);
    expect(await cleanTrainAccuracy(ev, {}, split(), 5, 2, 8)).toBe(1);
    expect(seen).toEqual([
      [0, 1, 9],
      [0, 1],
    ]);
  });
  it('rejects an empty set', async () => {
    await expect(cleanTrainAccuracy(firstPixelEvaluator([]), {}, split(), 0)).rejects.toThrow(
      /at least one digit, got 0/,
    );
  });
});

describe('ProgressBook.endEpoch(test, loss, clean)', () => {
  it('keeps the clean training accuracy on the epoch’s last point, and leaves it out when absent', () => {
    const b = new ProgressBook(2, 2);
    b.recordStep(1, 0.5, 0.1);
    b.recordStep(1, 0.5, 0.1);
    b.endEpoch(0.8, 0.4, 0.9);
    expect(b.history.at(-1)).toMatchObject({ testAccuracy: 0.8, cleanTrainAccuracy: 0.9 });
    b.recordStep(1, 0.5, 0.1);
    b.recordStep(1, 0.5, 0.1);
    b.endEpoch(0.8, 0.4);
    expect('cleanTrainAccuracy' in b.history.at(-1)!).toBe(false);
  });
});

describe('saved runs with and without the clean training accuracy', () => {
  const progress = (extra: Record<string, unknown>) => ({
    epoch: 1,
    step: 0,
    stepsPerEpoch: 4,
    totalSteps: 8,
    seconds: 1,
    history: [
      {
        step: 4,
        epoch: 1,
        trainLoss: 1,
        trainAccuracy: 0.6,
        testAccuracy: 0.5,
        seconds: 1,
        ...extra,
      },
    ],
  });
  it('an older run (no field) loads; a newer one keeps its figure', () => {
    const old = parseSavedRun({ config: smallConfig(), progress: progress({}) });
    expect(old.progress.history[0]!.cleanTrainAccuracy).toBeUndefined();
    const now = parseSavedRun({
      config: smallConfig(),
      progress: progress({ cleanTrainAccuracy: 0.7 }),
    });
    expect(now.progress.history[0]!.cleanTrainAccuracy).toBe(0.7);
  });
  it('names a clean training accuracy that is not a number', () => {
    expect(() =>
      parseSavedRun({ config: smallConfig(), progress: progress({ cleanTrainAccuracy: 'high' }) }),
    ).toThrow(/progress\.history\.0\.cleanTrainAccuracy/);
  });
});
