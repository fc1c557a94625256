/**
 * Softmax cross-entropy, batch mean, written without LogSoftmax (which ORT's WebGPU EP runs on
 * the CPU): with z the logits [B, K] and Y one-hot labels [B, K] (float),
 *   s = z − max_k z        e = exp(s)        S = Σ_k e
 *   loss = −(1/B) Σ_b Σ_k Y·(s − log S)        p = e / S        dz = (p − Y) / B
 *   accuracy = mean_b [z_label == max_k z]  (no integer ops; ties count as correct)
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
  const picked = b.reduce('ReduceSum', b.mul(labels, z), [1], true, [batch, 1]);
  const correct = b.cast(b.op('GreaterOrEqual', [picked, max], {}, 'bool', [batch, 1]), 'float32');
  const accuracy = b.reduce('ReduceMean', correct, [0, 1], false, []);
  b.prefix = '';
  return { loss, accuracy, probabilities, dLogits };
}
