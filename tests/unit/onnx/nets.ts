/**
 * Networks for the ONNX tests (until the reference engine's presets exist, the same layers as
 * mnistTutorialNet: the TensorFlow.js MNIST tutorial net).
 */
import type { NetworkSpec } from '../../../src/cnn/nn/spec.ts';

export const mnistTutorial: NetworkSpec = {
  name: 'mnistTutorial',
  inputShape: [1, 28, 28],
  layers: [
    { type: 'conv2d', filters: 8, kernelShape: [5, 5] },
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [2, 2] },
    { type: 'conv2d', filters: 16, kernelShape: [5, 5] },
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [2, 2] },
    { type: 'flatten' },
    { type: 'dense', units: 10 },
  ],
};
