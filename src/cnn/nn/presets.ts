import type { NetworkSpec } from './spec.ts';

/** The TensorFlow.js MNIST tutorial net: ~0.32 M multiply-adds per image forward. */
export const mnistTutorialNet: NetworkSpec = {
  name: 'mnistTutorialNet',
  inputShape: [1, 28, 28],
  layers: [
    { type: 'conv2d', filters: 8, kernelShape: [5, 5], strides: [1, 1], pads: 'valid' }, // → 8×24×24
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [2, 2], strides: [2, 2] }, // → 8×12×12
    { type: 'conv2d', filters: 16, kernelShape: [5, 5], strides: [1, 1], pads: 'valid' }, // → 16×8×8
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [2, 2], strides: [2, 2] }, // → 16×4×4
    { type: 'flatten' }, // → 256
    { type: 'dense', units: 10 },
  ],
};

/** Small enough to follow every number by hand in the backprop lesson. */
export const tinyNet: NetworkSpec = {
  name: 'tinyNet',
  inputShape: [1, 28, 28],
  layers: [
    { type: 'conv2d', filters: 4, kernelShape: [3, 3] }, // → 4×26×26
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [2, 2] }, // → 4×13×13
    { type: 'flatten' }, // → 676
    { type: 'dense', units: 10 },
  ],
};

/** A larger net with 'same' padding and dropout, for the "going further" lesson. */
export const mnistLargeNet: NetworkSpec = {
  name: 'mnistLargeNet',
  inputShape: [1, 28, 28],
  layers: [
    { type: 'conv2d', filters: 16, kernelShape: [3, 3], pads: 'same' }, // → 16×28×28
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [2, 2] }, // → 16×14×14
    { type: 'conv2d', filters: 32, kernelShape: [3, 3], pads: 'same' }, // → 32×14×14
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [2, 2] }, // → 32×7×7
    { type: 'flatten' }, // → 1568
    { type: 'dropout', rate: 0.25 },
    { type: 'dense', units: 10 },
  ],
};

/**
 * A small residual net: a block of two 3×3 convolutions whose input skips ahead and is added to
 * their output (y = x + F(x)), for the lessons on deeper networks.
 */
export const residualNet: NetworkSpec = {
  name: 'residualNet',
  inputShape: [1, 28, 28],
  layers: [
    { type: 'conv2d', filters: 8, kernelShape: [3, 3], pads: 'same' }, // → 8×28×28
    { type: 'relu' }, // the block's input x
    { type: 'conv2d', filters: 8, kernelShape: [3, 3], pads: 'same' },
    { type: 'relu' },
    { type: 'conv2d', filters: 8, kernelShape: [3, 3], pads: 'same' }, // F(x)
    { type: 'add', from: 1 }, // x + F(x)
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [2, 2] }, // → 8×14×14
    { type: 'flatten' }, // → 1568
    { type: 'dense', units: 10 },
  ],
};
