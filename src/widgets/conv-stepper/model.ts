/**
 * The stepper's ONNX graph: one Conv (3×3, padding 1, bias) applied to the full 28×28 image and to
 * the stepper's 14×14 image, so both maps the widget shows are checked on onnxruntime-web.
 * Weights are graph inputs, so editing the kernel reuses the session. For true convolution the
 * page feeds the flipped kernel: ONNX Conv, like every deep-learning library, cross-correlates.
 */
import { GraphBuilder } from '../../onnx/builder.ts';
import { FULL, K, PAD, SMALL } from './state';

export const MODEL_KEY = 'conv-stepper:3x3-pad1';

export function stepperModel(): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 1, FULL, FULL]);
  const xs = b.input('xSmall', 'float32', [1, 1, SMALL, SMALL]);
  const w = b.input('kernel', 'float32', [1, 1, K, K]);
  const bias = b.input('bias', 'float32', [1]);
  const attrs = { kernelShape: [K, K], strides: [1, 1], pads: [PAD, PAD, PAD, PAD] };
  b.output(b.conv(x, w, bias, attrs), 'featureMap');
  b.output(b.conv(xs, w, bias, attrs), 'stepperMap');
  return b.toModelBytes({ opset: 17 });
}
