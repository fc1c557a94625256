/**
 * The softmax graph: x [1, 784] → Gemm(W [10, 784], b [10], transB) → logits; Div by the
 * temperature T [1] → Softmax (axis −1) → probs.
 */
import { GraphBuilder } from '../../onnx/index.ts';

export function softmaxModel(features: number, classes: number): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, features]);
  const w = b.input('weight', 'float32', [classes, features]);
  const bias = b.input('bias', 'float32', [classes]);
  const t = b.input('t', 'float32', [1]);
  const logits = b.gemm(x, w, bias, { transB: true }, [1, classes]);
  b.output(logits, 'logits');
  b.output(b.softmax(b.div(logits, t, [1, classes]), -1), 'probs');
  return b.toModelBytes({ opset: 17 });
}
