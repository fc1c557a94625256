import type { NetworkSpec } from './spec.ts';

/**
 * Lesson 12's segmenter: fully convolutional (no flatten, no dense), so its output is a map —
 * 11 class scores (ten digits and background) for every cell of a 16 × 16 grid over the 64 × 64
 * scene (one cell per 4 × 4 pixels). Dilated 3 × 3 convolutions widen its view to the whole
 * scene (66 pixels) without more pooling: ~7.5 M multiply-adds per scene forward. (A 32 × 32
 * map with 24 channels cost twice as much and, in the same 90 s, learned far less.)
 */
export const sceneSegNet: NetworkSpec = {
  name: 'sceneSegNet',
  inputShape: [1, 64, 64],
  layers: [
    { type: 'conv2d', filters: 8, kernelShape: [3, 3], pads: 'same' }, // → 8×64×64
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [2, 2] }, // → 8×32×32
    { type: 'conv2d', filters: 16, kernelShape: [3, 3], pads: 'same' }, // → 16×32×32
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [2, 2] }, // → 16×16×16
    { type: 'conv2d', filters: 32, kernelShape: [3, 3], pads: 'same' }, // → 32×16×16
    { type: 'relu' },
    { type: 'conv2d', filters: 32, kernelShape: [3, 3], pads: [2, 2, 2, 2], dilations: [2, 2] },
    { type: 'relu' },
    { type: 'conv2d', filters: 32, kernelShape: [3, 3], pads: [4, 4, 4, 4], dilations: [4, 4] },
    { type: 'relu' },
    { type: 'conv2d', filters: 11, kernelShape: [1, 1] }, // → 11×16×16: the logits map
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

/**
 * Lesson 12's segmenter with a detection head: the same trunk, its last 1 × 1 convolution giving
 * 26 channels instead of 11 — the 11 segmentation scores, 11 centre scores (which digit is
 * centred in this cell, or none) and a box (dx, dy, w, h) per cell (src/cnn/ops/detectionLoss.ts).
 */
export const sceneDetectNet: NetworkSpec = {
  name: 'sceneDetectNet',
  inputShape: sceneSegNet.inputShape,
  layers: [
    ...sceneSegNet.layers.slice(0, -1),
    { type: 'conv2d', filters: 26, kernelShape: [1, 1] }, // → 26×16×16: segmentation, centres, boxes
  ],
  // Weights from short runs of the bench (bench/ort/scenes-train.ts): a box weight of 1 let the
  // box error drown the segmentation early; the centre cell's 3 × 3 neighbours also mark the
  // digit (radius 1), nine times the positives of the centre cell alone, NMS merging the boxes.
  head: { type: 'detect', classes: 11, centreWeight: 0.5, boxWeight: 0.02, centreRadius: 1 },
};

/** tinySegNet with a detection head of 3 classes (10 channels), for gradient checks and ORT. */
export const tinyDetectNet: NetworkSpec = {
  name: 'tinyDetectNet',
  inputShape: tinySegNet.inputShape,
  layers: [
    ...tinySegNet.layers.slice(0, -1),
    { type: 'conv2d', filters: 10, kernelShape: [1, 1] }, // → 10×4×4
  ],
  head: { type: 'detect', classes: 3, centreWeight: 2, boxWeight: 1.5 },
};
