/**
 * Softmax cross-entropy, batch mean, written without LogSoftmax (which ORT's WebGPU EP runs on
 * the CPU): with z the logits [B, K] and Y one-hot labels [B, K] (float),
 *   s = z − max_k z        e = exp(s)        S = Σ_k e
 *   loss = −(1/B) Σ_b Σ_k Y·(s − log S)        p = e / S        dz = (p − Y) / B
 *   accuracy = mean_b [the first k with z_k = max z is the label]  (as the reference engine;
 *              no integer ops: "first" is a MatMul of the max mask with a strictly upper
 *              triangular matrix, which counts the maxima before each class)
 */
import type { GraphBuilder, Value } from './builder.ts';

export interface LossValues {
  readonly loss: Value;
  readonly accuracy: Value;
  readonly probabilities: Value;
  readonly dLogits: Value;
}

export function emitSoftmaxCrossEntropy(
  b: GraphBuilder,
  z: Value,
  labels: Value,
  batch: number,
  classes: number,
): LossValues {
  b.prefix = 'loss';
  const max = b.reduce('ReduceMax', z, [1], true, [batch, 1]);
  const s = b.sub(z, max);
  const e = b.exp(s);
  const sum = b.reduce('ReduceSum', e, [1], true, [batch, 1]);
  const logp = b.sub(s, b.log(sum));
  const total = b.reduce('ReduceSum', b.mul(labels, logp), [0, 1], false, []);
  const loss = b.mul(total, b.scalar(-1 / batch));
  const probabilities = b.div(e, sum, [batch, classes]);
  const dLogits = b.mul(b.sub(probabilities, labels), b.scalar(1 / batch));
  const isMax = b.cast(b.equal(z, max), 'float32'); // [B, K]
  const upper: number[] = [];
  for (let j = 0; j < classes; j++) for (let k = 0; k < classes; k++) upper.push(j < k ? 1 : 0);
  const before = b.matMul(isMax, b.constant(upper, [classes, classes]), [batch, classes]);
  const firstMax = b.mul(isMax, b.cast(b.equal(before, b.scalar(0)), 'float32'));
  const correct = b.reduce('ReduceSum', b.mul(firstMax, labels), [0, 1], false, []);
  const accuracy = b.mul(correct, b.scalar(1 / batch));
  b.prefix = '';
  return { loss, accuracy, probabilities, dLogits };
}
