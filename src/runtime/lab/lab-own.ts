/**
 * The lab's 'own' task (lesson 15): the reader's classes and examples come with the config (no
 * MNIST), a seeded 20 % of each class is held out (src/data/own.ts), and an epoch is
 * OWN_EPOCH_IMAGES augmented draws from the rest, so a few dozen examples still give a useful
 * epoch. Pure.
 */
import { outputShapes } from '../../cnn/index';
import type { NetworkSpec } from '../../cnn/index';
import { oneHot, toFloatBatch } from '../../data/mnist';
import type { MnistSplit } from '../../data/mnist';
import { holdOut, MAX_CLASSES, MIN_CLASSES, MIN_EXAMPLES } from '../../data/own';
import { epochOrder } from '../../data/random';
import { augment, batchIndices, stepSeed } from './data';
import type { Batch, BatchSource } from './data';
import type { LabConfig } from './protocol';

/** Images one epoch of task 'own' draws (each an augmented copy of a training example). */
export const OWN_EPOCH_IMAGES = 256;

/** How many classes a classifier's last layer scores ([N, K] outputs), or a RangeError. */
export function classesOf(spec: NetworkSpec): number {
  const out = outputShapes(spec, 1).at(-1)!;
  if (out.length !== 2) throw new RangeError(`${spec.name} does not end in one score per class`);
  return out[1]!;
}

/** Checks a task 'own' config: its classes, examples and network agree (RangeError if not). */
export function checkOwn(config: LabConfig): void {
  const own = config.own;
  if (!own) throw new RangeError('task own: the config carries no examples');
  const k = own.classes.length;
  if (k < MIN_CLASSES || k > MAX_CLASSES)
    throw new RangeError(`task own: ${k} classes; ${MIN_CLASSES} to ${MAX_CLASSES} are trained`);
  if (own.images.length !== own.labels.length * 784)
    throw new RangeError(
      `task own: ${own.labels.length} labels but ${own.images.length / 784} images`,
    );
  const counts = new Array<number>(k).fill(0);
  for (const l of own.labels) {
    if (l >= k) throw new RangeError(`task own: label ${l} is not one of the ${k} classes`);
    counts[l]! += 1;
  }
  const short = counts.findIndex((n) => n < MIN_EXAMPLES);
  if (short >= 0)
    throw new RangeError(
      `task own: “${own.classes[short]}” has ${counts[short]} examples; each class needs at least ${MIN_EXAMPLES}`,
    );
  const scores = classesOf(config.network);
  if (scores !== k)
    throw new RangeError(`task own: the network scores ${scores} classes, the examples have ${k}`);
}

/** The run's training examples and its held-out ones (the test split). */
export function ownSplits(config: LabConfig): { train: MnistSplit; test: MnistSplit } {
  checkOwn(config);
  const { train, test } = holdOut(config.own!, config.seed);
  return { train, test };
}

/** The batches of a task 'own' run: step `step` of epoch `epoch` is always the same batch. */
export class OwnData implements BatchSource {
  readonly count: number;
  readonly stepsPerEpoch: number;
  private readonly repeats: number;
  private readonly classes: number;
  private cachedEpoch = -1;
  private order = new Uint32Array(0);

  constructor(
    private readonly split: MnistSplit,
    private readonly config: Pick<LabConfig, 'batchSize' | 'seed' | 'augmentation'>,
  ) {
    this.count = split.count;
    this.classes = split.perClass.length;
    this.repeats = Math.max(1, Math.ceil(OWN_EPOCH_IMAGES / split.count));
    this.stepsPerEpoch = Math.max(1, Math.floor((split.count * this.repeats) / config.batchSize));
  }

  batch(epoch: number, step: number): Batch {
    if (epoch !== this.cachedEpoch) {
      const order = epochOrder(this.count * this.repeats, this.config.seed, epoch);
      this.order = order.map((i) => i % this.count);
      this.cachedEpoch = epoch;
    }
    const indices = batchIndices(this.order, step, this.config.batchSize);
    const images = augment(
      toFloatBatch(this.split.images, indices),
      this.config.augmentation,
      stepSeed(this.config.seed, epoch, step, 1),
    );
    return {
      images,
      oneHot: oneHot(this.split.labels, indices, this.classes),
      labels: Uint8Array.from(indices, (i) => this.split.labels[i]!),
      size: indices.length,
      dropoutSeed: stepSeed(this.config.seed, epoch, step, 2),
    };
  }
}
