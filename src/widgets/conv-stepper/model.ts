/**
 * The stepper's ONNX graph: one Conv (size×size kernel, "same" zero padding, bias) applied to the
 * full 28×28 image and to the stepper's 14×14 image, so both maps the widget shows are checked on
 * onnxruntime-web. Weights are graph inputs, so editing the kernel reuses the session. For true
 * convolution the page feeds the flipped kernel: ONNX Conv, like every deep-learning library,
 * cross-correlates.
 */
import { GraphBuilder } from '../../onnx/index.ts';
import { FULL, K, SMALL, padFor } from './state';

export const modelKey = (size: number = K): string => `conv-stepper:${size}x${size}-same`;

export function stepperModel(size: number = K): Uint8Array {
  const pad = padFor(size);
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 1, FULL, FULL]);
  const xs = b.input('xSmall', 'float32', [1, 1, SMALL, SMALL]);
  const w = b.input('kernel', 'float32', [1, 1, size, size]);
  const bias = b.input('bias', 'float32', [1]);
  const attrs = { kernelShape: [size, size], strides: [1, 1], pads: [pad, pad, pad, pad] };
  b.output(b.conv(x, w, bias, attrs), 'featureMap');
  b.output(b.conv(xs, w, bias, attrs), 'stepperMap');
  return b.toModelBytes({ opset: 17 });
}
