/**
 * Seeded randomness for data order and augmentation: the same seed gives the same epochs on every
 * machine, so a training run can be replayed and the two engines can be fed identical batches.
 */
import { createRng } from '../cnn/index.ts';

/** A source of floats in [0, 1), like Math.random. */
export type Rng = () => number;

/**
 * mulberry32: the engine's seeded PRNG (createRng in src/cnn/random.ts), as a function; the build
 * script splits the data with the same generator.
 */
export function mulberry32(seed: number): Rng {
  return createRng(seed).uniform;
}

/** Shuffles `items` in place (Fisher–Yates) and returns it. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(
  items: T,
  rng: Rng,
): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}

/**
 * The order in which epoch `epoch` visits `count` examples: a permutation of 0 … count−1 that
 * depends only on (seed, epoch), so any epoch can be recomputed without replaying earlier ones.
 */
export function epochOrder(count: number, seed: number, epoch: number): Uint32Array {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  }
  if (!Number.isInteger(epoch) || epoch < 0) {
    throw new RangeError(`epoch must be a non-negative integer, got ${epoch}`);
  }
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  // Mix the epoch into the seed with a large odd constant so nearby epochs get unrelated streams.
  return shuffleInPlace(order, mulberry32((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0));
}

/** Splits an epoch order into consecutive batches of `batchSize` (the last one may be shorter). */
export function* batchesOf(order: Uint32Array, batchSize: number): Generator<Uint32Array> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  for (let start = 0; start < order.length; start += batchSize) {
    yield order.subarray(start, start + batchSize);
  }
}
