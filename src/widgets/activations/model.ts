/**
 * The activations graph: Conv (3×3 kernel, padding 1) → the chosen activation.
 *   x [1, 1, 28, 28], kernel [1, 1, 3, 3]  →  pre (the feature map), post (after the activation)
 */
import { GraphBuilder } from '../../onnx/index.ts';
import type { ActivationName } from './state';

export function activationModel(fn: ActivationName, alpha: number, size: number): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 1, size, size]);
  const k = b.input('kernel', 'float32', [1, 1, 3, 3]);
  const pre = b.conv(x, k, null, { kernelShape: [3, 3], pads: [1, 1, 1, 1] }, [1, 1, size, size]);
  b.output(pre, 'pre');
  const post =
    fn === 'relu'
      ? b.relu(pre)
      : fn === 'leakyRelu'
        ? b.leakyRelu(pre, alpha)
        : fn === 'sigmoid'
          ? b.sigmoid(pre)
          : b.tanh(pre);
  b.output(post, 'post');
  return b.toModelBytes({ opset: 17 });
}
