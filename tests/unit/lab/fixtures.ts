/** A small synthetic MNIST-shaped dataset: digit k is a bright bar on row 3 + 2k, plus noise. */
import type { MnistDataset, MnistSplit } from '../../../src/data/mnist';
import { mulberry32 } from '../../../src/data/random';
import type { LabConfig } from '../../../src/runtime/lab/protocol';
import { tinyNet } from '../../../src/cnn/index';

function split(count: number, seed: number): MnistSplit {
  const rng = mulberry32(seed);
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  const perClass = new Array<number>(10).fill(0);
  for (let i = 0; i < count; i++) {
    const k = i % 10;
    labels[i] = k;
    perClass[k]! += 1;
    for (let p = 0; p < 784; p++) images[i * 784 + p] = rng() < 0.05 ? 80 : 0;
    const row = 3 + 2 * k;
    for (let x = 4; x < 24; x++) images[i * 784 + row * 28 + x] = 255;
  }
  return { images, labels, count, perClass };
}

export function syntheticMnist(train = 64, test = 40): MnistDataset {
  return { train: split(train, 1), test: split(test, 2), imageSize: 28, seed: 7 };
}

export function smallConfig(over: Partial<LabConfig> = {}): LabConfig {
  return {
    preset: 'small',
    network: tinyNet,
    optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 },
    lrDecay: 0.9,
    batchSize: 8,
    epochs: 2,
    backend: 'reference',
    augmentation: { shift: 1, rotate: 0, scale: 0 },
    trainSubset: 32,
    seed: 5,
    ...over,
  };
}
