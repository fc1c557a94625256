/**
 * Networks as data. A network is an input shape and a list of layer specs; the reference engine
 * (src/cnn), the ONNX emitters (src/onnx) and the widgets all read this one description.
 *
 * Attribute names and meanings follow ONNX: kernelShape [kh, kw], strides [sh, sw],
 * pads [top, left, bottom, right] (or "same"/"valid"), dilations [dh, dw], group.
 *
 * Each layer type's spec is declared beside its record in src/cnn/layers/ (conv2d.ts: Conv2dSpec,
 * …), and LayerSpec, their union, in src/cnn/layers/index.ts. Parameters are named
 * `<layerIndex>.<role>` (see paramNames in ./params.ts):
 *   conv2d:  `${i}.kernel` [filters, inChannels / group, kh, kw], `${i}.bias` [filters]
 *   dense:   `${i}.weight` [units, inFeatures] (y = x·Wᵀ + b, ONNX Gemm with transB = 1),
 *            `${i}.bias` [units]
 * The last layer's output is the logits; the loss is the batch mean of softmax cross-entropy.
 */
export type { Pair, Padding } from '../layers/attributes.ts';

export type * from '../layers/index.ts';
import type { LayerSpec } from '../layers/index.ts';
import type { DetectionHead } from '../ops/detectionLoss.ts';
export type { DetectionHead } from '../ops/detectionLoss.ts';

export interface NetworkSpec {
  readonly name: string;
  /** One image: [channels, height, width]. */
  readonly inputShape: readonly [number, number, number];
  readonly layers: readonly LayerSpec[];
  /**
   * How the last layer's map is read and trained, when it is not plain class scores: 'detect'
   * splits it into segmentation, centre and box channels (src/cnn/ops/detectionLoss.ts).
   */
  readonly head?: DetectionHead;
}
