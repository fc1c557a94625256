/**
 * The element-wise activations: relu, leakyRelu, sigmoid, tanh (same shape out as in).
 * ReLU and leaky ReLU differentiate at their input x; sigmoid and tanh at their output y.
 */
import { leakyRelu, leakyReluBackward } from '../ops/leakyRelu.ts';
import { relu, reluBackward } from '../ops/relu.ts';
import { sigmoid, sigmoidBackward } from '../ops/sigmoid.ts';
import { tanh, tanhBackward } from '../ops/tanh.ts';
import type { LayerRecord } from './types.ts';

export interface ReluSpec {
  readonly type: 'relu';
}
export interface SigmoidSpec {
  readonly type: 'sigmoid';
}
export interface TanhSpec {
  readonly type: 'tanh';
}
export interface LeakyReluSpec {
  readonly type: 'leakyRelu';
  readonly alpha?: number; // default 0.01, as ONNX LeakyRelu
}
/** The activations without attributes. */
export type ActivationSpec = ReluSpec | SigmoidSpec | TanhSpec;

const sameShape = (_layer: unknown, inShape: readonly number[]): number[] => [...inShape];

export const reluLayer: LayerRecord<ReluSpec> = {
  outputShape: sameShape,
  forward: (_layer, x) => ({ y: relu(x), backward: (dy) => ({ dx: reluBackward(x, dy) }) }),
};

export const leakyReluLayer: LayerRecord<LeakyReluSpec> = {
  outputShape: sameShape,
  forward: (layer, x) => ({
    y: leakyRelu(x, layer.alpha),
    backward: (dy) => ({ dx: leakyReluBackward(x, dy, layer.alpha) }),
  }),
};

export const sigmoidLayer: LayerRecord<SigmoidSpec> = {
  outputShape: sameShape,
  forward(_layer, x) {
    const y = sigmoid(x);
    return { y, backward: (dy) => ({ dx: sigmoidBackward(y, dy) }) };
  },
};

export const tanhLayer: LayerRecord<TanhSpec> = {
  outputShape: sameShape,
  forward(_layer, x) {
    const y = tanh(x);
    return { y, backward: (dy) => ({ dx: tanhBackward(y, dy) }) };
  },
};
