/**
 * Runs an op case on the reference engine (src/cnn), by the same op name. No Node-only imports.
 */
import {
  add,
  avgPool2d,
  conv2d,
  convTranspose2d,
  leakyRelu,
  linear,
  maxPool2d,
  relu,
  sigmoid,
  softmax,
  tanh,
  tensor,
} from '../../../src/cnn/index.ts';
import type { Tensor } from '../../../src/cnn/index.ts';
import type { OpAttributes, OpName } from '../../../src/onnx/single-op.ts';
import type { OpCase } from './cases.ts';

type Inputs = [Tensor, Tensor | undefined, Tensor | undefined];

/** The reference engine's op for every ONNX single-op name (a missing one is a compile error). */
const REFERENCE_OPS = {
  conv2d: ([x, w, b], a) => conv2d(x, w!, { ...a, bias: b ?? null }),
  convTranspose2d: ([x, w, b], a) =>
    convTranspose2d(x, w!, {
      strides: a.strides,
      pads: a.pads === 'same' ? undefined : a.pads,
      dilations: a.dilations,
      group: a.group,
      outputPadding: a.outputPadding,
      bias: b ?? null,
    }),
  maxPool2d: ([x], a) =>
    maxPool2d(x, { kernelShape: a.kernelShape!, strides: a.strides, pads: a.pads }),
  avgPool2d: ([x], a) =>
    avgPool2d(x, {
      kernelShape: a.kernelShape!,
      strides: a.strides,
      pads: a.pads,
      countIncludePad: a.countIncludePad,
    }),
  relu: ([x]) => relu(x),
  leakyRelu: ([x], a) => leakyRelu(x, a.alpha),
  sigmoid: ([x]) => sigmoid(x),
  tanh: ([x]) => tanh(x),
  softmax: ([x]) => softmax(x),
  linear: ([x, w, b]) => linear(x, w!, b ?? null),
  add: ([a, b]) => add(a, b!),
} satisfies Record<OpName, (inputs: Inputs, a: OpAttributes) => Tensor>;

export function referenceOp(c: OpCase): Tensor {
  const inputs = c.inputs.map((i) => tensor(i.shape, i.data));
  return REFERENCE_OPS[c.op]([inputs[0]!, inputs[1], inputs[2]], c.attributes);
}
