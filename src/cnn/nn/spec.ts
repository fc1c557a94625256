/**
 * Networks as data. A network is an input shape and a list of layer specs; the reference engine
 * (src/cnn), the ONNX emitters (src/onnx) and the widgets all read this one description.
 *
 * Attribute names and meanings follow ONNX: kernelShape [kh, kw], strides [sh, sw],
 * pads [top, left, bottom, right] (or "same"/"valid"), dilations [dh, dw], group.
 *
 * Parameters are named `<layerIndex>.<role>`; see `paramNames` in ./params.ts:
 *   conv2d:  `${i}.kernel` [filters, inChannels / group, kh, kw], `${i}.bias` [filters]
 *   dense:   `${i}.weight` [units, inFeatures] (y = x·Wᵀ + b, ONNX Gemm with transB = 1),
 *            `${i}.bias` [units]
 * The last layer's output is the logits; the loss is the batch mean of softmax cross-entropy.
 */
export type Pair = readonly [number, number];
/** [top, left, bottom, right] as in ONNX `pads`, or the usual shorthands. */
export type Padding = readonly [number, number, number, number] | 'same' | 'valid';

export interface Conv2dSpec {
  readonly type: 'conv2d';
  readonly filters: number;
  readonly kernelShape: Pair;
  readonly strides?: Pair; // default [1, 1]
  readonly pads?: Padding; // default 'valid'
  readonly dilations?: Pair; // default [1, 1]
  readonly group?: number; // default 1
  readonly bias?: boolean; // default true
}
export interface MaxPool2dSpec {
  readonly type: 'maxPool2d';
  readonly kernelShape: Pair;
  readonly strides?: Pair; // default = kernelShape
  readonly pads?: Padding; // default 'valid'
}
export interface AvgPool2dSpec {
  readonly type: 'avgPool2d';
  readonly kernelShape: Pair;
  readonly strides?: Pair; // default = kernelShape
  readonly pads?: Padding; // default 'valid'
  readonly countIncludePad?: boolean; // default false (ONNX count_include_pad = 0)
}
export interface ActivationSpec {
  readonly type: 'relu' | 'sigmoid' | 'tanh';
}
export interface LeakyReluSpec {
  readonly type: 'leakyRelu';
  readonly alpha?: number; // default 0.01, as ONNX LeakyRelu
}
export interface FlattenSpec {
  readonly type: 'flatten'; // NCHW → [N, C·H·W], ONNX Flatten(axis = 1)
}
export interface DenseSpec {
  readonly type: 'dense';
  readonly units: number;
  readonly bias?: boolean; // default true
}
export interface DropoutSpec {
  readonly type: 'dropout';
  readonly rate: number; // probability of zeroing; kept values are scaled by 1 / (1 − rate)
}

export type LayerSpec =
  | Conv2dSpec
  | MaxPool2dSpec
  | AvgPool2dSpec
  | ActivationSpec
  | LeakyReluSpec
  | FlattenSpec
  | DenseSpec
  | DropoutSpec;

export interface NetworkSpec {
  readonly name: string;
  /** One image: [channels, height, width]. */
  readonly inputShape: readonly [number, number, number];
  readonly layers: readonly LayerSpec[];
}
