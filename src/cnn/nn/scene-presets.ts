import type { NetworkSpec } from './spec.ts';

/**
 * Lesson 12's segmenter: fully convolutional (no flatten, no dense), so its output is a map —
 * 11 class scores (ten digits and background) for every cell of a 32 × 32 grid over the 64 × 64
 * scene (one cell per 2 × 2 pixels). Dilated 3 × 3 convolutions widen the view to 32 pixels, a
 * whole digit, without more pooling: ~14 M multiply-adds per scene forward.
 */
export const sceneSegNet: NetworkSpec = {
  name: 'sceneSegNet',
  inputShape: [1, 64, 64],
  layers: [
    { type: 'conv2d', filters: 12, kernelShape: [3, 3], pads: 'same' }, // → 12×64×64
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [2, 2] }, // → 12×32×32
    { type: 'conv2d', filters: 24, kernelShape: [3, 3], pads: 'same' }, // → 24×32×32
    { type: 'relu' },
    { type: 'conv2d', filters: 24, kernelShape: [3, 3], pads: [2, 2, 2, 2], dilations: [2, 2] },
    { type: 'relu' },
    { type: 'conv2d', filters: 24, kernelShape: [3, 3], pads: [4, 4, 4, 4], dilations: [4, 4] },
    { type: 'relu' },
    { type: 'conv2d', filters: 11, kernelShape: [1, 1] }, // → 11×32×32: the logits map
  ],
};

/** A tiny fully convolutional net on 8 × 8 inputs, for gradient checks and ORT agreement. */
export const tinySegNet: NetworkSpec = {
  name: 'tinySegNet',
  inputShape: [1, 8, 8],
  layers: [
    { type: 'conv2d', filters: 3, kernelShape: [3, 3], pads: 'same' }, // → 3×8×8
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [2, 2] }, // → 3×4×4
    { type: 'conv2d', filters: 4, kernelShape: [3, 3], pads: [2, 2, 2, 2], dilations: [2, 2] },
    { type: 'relu' },
    { type: 'conv2d', filters: 3, kernelShape: [1, 1] }, // → 3×4×4
  ],
};
