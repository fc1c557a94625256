/**
 * Evaluation on the test split: accuracy, mean cross-entropy, the confusion matrix and the most
 * confident mistakes. The bookkeeping is pure (EvalAccumulator); `evaluate` feeds it batches from
 * any Evaluator (ORT's forward session or the reference engine).
 */
import { CLASSES, IMAGE_PIXELS, toFloatBatch } from '../../data/mnist';
import type { MnistSplit } from '../../data/mnist';
import type { Evaluator, State } from './engines';
import type { Misclassified } from './protocol';

export const MAX_MISCLASSIFIED = 24;
export const EVAL_BATCH = 500;
/** How many of the run's training digits the clean training accuracy is measured on. */
export const CLEAN_TRAIN_DIGITS = 1000;

export interface EvalResult {
  readonly testAccuracy: number;
  readonly testLoss: number;
  readonly confusion: number[];
  readonly misclassified: Misclassified[];
}

export class EvalAccumulator {
  private correct = 0;
  private count = 0;
  private lossSum = 0;
  readonly confusion: number[];
  private mistakes: Misclassified[] = [];

  constructor(
    private readonly split: Pick<MnistSplit, 'images' | 'labels'>,
    private readonly maxMistakes = MAX_MISCLASSIFIED,
    private readonly classes = CLASSES,
  ) {
    this.confusion = new Array<number>(classes * classes).fill(0);
  }

  /** Probabilities [n, classes] of the test images start … start + n − 1. */
  add(start: number, probabilities: Float32Array): void {
    const CLASSES = this.classes;
    const n = probabilities.length / CLASSES;
    for (let k = 0; k < n; k++) {
      const index = start + k;
      const label = this.split.labels[index]!;
      let best = 0;
      for (let c = 1; c < CLASSES; c++)
        if (probabilities[k * CLASSES + c]! > probabilities[k * CLASSES + best]!) best = c;
      const p = probabilities[k * CLASSES + label]!;
      this.lossSum += -Math.log(Math.max(p, 1e-12));
      this.count += 1;
      this.confusion[label * CLASSES + best]! += 1;
      if (best === label) {
        this.correct += 1;
      } else {
        this.mistakes.push({
          index,
          label,
          predicted: best,
          confidence: probabilities[k * CLASSES + best]!,
          pixels: this.split.images.slice(index * IMAGE_PIXELS, (index + 1) * IMAGE_PIXELS),
        });
        if (this.mistakes.length > this.maxMistakes * 4) this.trim();
      }
    }
  }

  private trim(): void {
    this.mistakes.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
    this.mistakes.length = Math.min(this.mistakes.length, this.maxMistakes);
  }

  result(): EvalResult {
    this.trim();
    return {
      testAccuracy: this.count ? this.correct / this.count : 0,
      testLoss: this.count ? this.lossSum / this.count : Number.NaN,
      confusion: [...this.confusion],
      misclassified: [...this.mistakes],
    };
  }
}

/** Evaluates `params` on the whole test split, `batch` images per run, `classes` scores each. */
export async function evaluate(
  evaluator: Evaluator,
  params: State,
  test: MnistSplit,
  batch = EVAL_BATCH,
  classes = CLASSES,
): Promise<EvalResult> {
  const acc = new EvalAccumulator(test, MAX_MISCLASSIFIED, classes);
  for (let start = 0; start < test.count; start += batch) {
    const n = Math.min(batch, test.count - start);
    const indices = Array.from({ length: n }, (_, k) => start + k);
    const images = toFloatBatch(test.images, indices);
    const out = await evaluator.run(params, images, n, ['probabilities']);
    acc.add(start, out.probabilities!);
  }
  return acc.result();
}

/**
 * The clean training accuracy: the first min(count, limit) training digits as they are (no
 * augmentation) through the eval-mode network (dropout off), the same forward pass as the test
 * evaluation. The batch accuracy the trainer reports is measured on augmented digits with units
 * dropped; this one isolates memorisation from those two handicaps. The split is stratified, so
 * its first digits are a fair sample of every class (and with lesson 10's 500 digits, all of them).
 */
export async function cleanTrainAccuracy(
  evaluator: Evaluator,
  params: State,
  train: MnistSplit,
  count: number,
  limit = CLEAN_TRAIN_DIGITS,
  batch = EVAL_BATCH,
  classes = CLASSES,
): Promise<number> {
  const n = Math.min(count, limit, train.count);
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`clean training accuracy needs at least one digit, got ${n}`);
  const acc = new EvalAccumulator(train, 0, classes);
  for (let start = 0; start < n; start += batch) {
    const size = Math.min(batch, n - start);
    const indices = Array.from({ length: size }, (_, k) => start + k);
    const out = await evaluator.run(params, toFloatBatch(train.images, indices), size, [
      'probabilities',
    ]);
    acc.add(start, out.probabilities!);
  }
  return acc.result().testAccuracy;
}
