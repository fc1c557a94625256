/**
 * The lab's training data, pure: which digits an epoch visits, in which order, how each batch is
 * augmented. Everything depends only on (config.seed, epoch, step), so a resumed or re-run step
 * sees exactly the same batch — which is what lets the reference engine re-run an ORT step.
 */
import { CLASSES, IMAGE_PIXELS, oneHot, toFloatBatch } from '../../data/mnist';
import type { MnistSplit } from '../../data/mnist';
import { epochOrder, mulberry32 } from '../../data/random';
import { augmentBatch } from '../../data/augment';
import type { Augmentation, LabConfig } from './protocol';

export interface Batch {
  /** [B, 1, 28, 28] in [0, 1], augmented. */
  readonly images: Float32Array;
  /**
   * [B, 10] one-hot (the training graph's `labels` input): for scenes, one row per map cell, or
   * a detection head's target rows [B·h·w, 2K + 5] (src/data/detect-head.ts).
   */
  readonly oneHot: Float32Array;
  /** B class indices. */
  readonly labels: Uint8Array;
  readonly size: number;
  /** Seed of this step's dropout masks (both engines draw the same ones from it). */
  readonly dropoutSeed: number;
}

/** Where a run's batches come from: MNIST digits (TrainingData) or scenes (scene-task.ts). */
export interface BatchSource {
  readonly count: number;
  readonly stepsPerEpoch: number;
  batch(epoch: number, step: number): Batch;
}

/** How many training digits the run uses: the first `trainSubset`, or all of them. */
export function trainCount(config: Pick<LabConfig, 'trainSubset'>, available: number): number {
  const n = config.trainSubset;
  if (n === undefined) return available;
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`trainSubset must be a positive whole number, got ${n}`);
  return Math.min(n, available);
}

/**
 * Steps in one epoch. The training graph has a fixed batch size, so the leftover digits of an
 * epoch (fewer than a batch) are skipped; they are visited in other epochs, whose orders differ.
 * A subset smaller than one batch still gives one step (its digits repeat within the batch).
 */
export function stepsPerEpoch(count: number, batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be a positive whole number, got ${batchSize}`);
  if (count < 1) throw new RangeError(`no training digits (count ${count})`);
  return Math.max(1, Math.floor(count / batchSize));
}

/** The digits of step `step` of an epoch whose order is `order` (wraps when order is short). */
export function batchIndices(order: Uint32Array, step: number, batchSize: number): Uint32Array {
  const out = new Uint32Array(batchSize);
  for (let k = 0; k < batchSize; k++) out[k] = order[(step * batchSize + k) % order.length]!;
  return out;
}

/** A 32-bit seed mixing the run seed, epoch and step (for augmentation and dropout). */
export function stepSeed(seed: number, epoch: number, step: number, salt = 0): number {
  let h = (seed ^ 0x85ebca6b ^ Math.imul(salt + 1, 0x27d4eb2f)) >>> 0;
  h = Math.imul(h ^ (epoch + 0x9e3779b9), 0xcc9e2d51) >>> 0;
  h = Math.imul(h ^ (h >>> 15) ^ (step + 0x7f4a7c15), 0x1b873593) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/**
 * Applies the configured augmentation to a batch (new array; the input is unchanged, and returned
 * as it is when everything is off). The arithmetic is src/data/augment.ts's augmentBatch, which
 * lesson 10's augmentation figure calls too.
 */
export function augment(images: Float32Array, aug: Augmentation, seed: number): Float32Array {
  return augmentBatch(images, aug, mulberry32(seed));
}

/** Checks the augmentation ranges, naming the bad one. */
export function checkAugmentation(aug: Augmentation): void {
  const rule = (name: string, v: number, max: number) => {
    if (!Number.isFinite(v) || v < 0 || v > max)
      throw new RangeError(`augmentation.${name} must be in [0, ${max}], got ${v}`);
  };
  rule('shift', aug.shift, 8);
  rule('rotate', aug.rotate, 45);
  rule('scale', aug.scale, 0.5);
}

/** An epoch-by-epoch view of the training split for one run's config. */
export class TrainingData implements BatchSource {
  readonly count: number;
  readonly stepsPerEpoch: number;
  private cachedEpoch = -1;
  private order: Uint32Array = new Uint32Array(0);

  constructor(
    private readonly split: MnistSplit,
    private readonly config: Pick<LabConfig, 'trainSubset' | 'batchSize' | 'seed' | 'augmentation'>,
  ) {
    this.count = trainCount(config, split.count);
    this.stepsPerEpoch = stepsPerEpoch(this.count, config.batchSize);
  }

  /** The (augmented) batch of step `step` of epoch `epoch`. */
  batch(epoch: number, step: number): Batch {
    if (epoch !== this.cachedEpoch) {
      this.order = epochOrder(this.count, this.config.seed, epoch);
      this.cachedEpoch = epoch;
    }
    const indices = batchIndices(this.order, step, this.config.batchSize);
    const raw = toFloatBatch(this.split.images, indices);
    const images = augment(
      raw,
      this.config.augmentation,
      stepSeed(this.config.seed, epoch, step, 1),
    );
    const labels = new Uint8Array(indices.length);
    indices.forEach((i, k) => (labels[k] = this.split.labels[i]!));
    return {
      images,
      oneHot: oneHot(this.split.labels, indices, CLASSES),
      labels,
      size: indices.length,
      dropoutSeed: stepSeed(this.config.seed, epoch, step, 2),
    };
  }
}

export { IMAGE_PIXELS };
