/**
 * Runs an op case on the reference engine (src/cnn), by the same op name. No Node-only imports.
 */
import {
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
  type Tensor,
} from '../../../src/cnn/index.ts';
import type { OpCase } from './cases.ts';

export function referenceOp(c: OpCase): Tensor {
  const [x, w, b] = c.inputs.map((i) => tensor(i.shape, i.data));
  const a = c.attributes;
  switch (c.op) {
    case 'conv2d':
      return conv2d(x!, w!, { ...a, bias: b ?? null });
    case 'convTranspose2d':
      return convTranspose2d(x!, w!, {
        strides: a.strides,
        pads: a.pads === 'same' ? undefined : a.pads,
        dilations: a.dilations,
        group: a.group,
        outputPadding: a.outputPadding,
        bias: b ?? null,
      });
    case 'maxPool2d':
      return maxPool2d(x!, { kernelShape: a.kernelShape!, strides: a.strides, pads: a.pads });
    case 'avgPool2d':
      return avgPool2d(x!, {
        kernelShape: a.kernelShape!,
        strides: a.strides,
        pads: a.pads,
        countIncludePad: a.countIncludePad,
      });
    case 'relu':
      return relu(x!);
    case 'leakyRelu':
      return leakyRelu(x!, a.alpha);
    case 'sigmoid':
      return sigmoid(x!);
    case 'tanh':
      return tanh(x!);
    case 'softmax':
      return softmax(x!);
    case 'linear':
      return linear(x!, w!, b ?? null);
  }
}
