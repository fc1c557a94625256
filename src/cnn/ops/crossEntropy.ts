import { checkRank } from '../check.ts';
import type { Tensor } from '../tensor.ts';
import { softmax } from './softmax.ts';

/** Labels are class indices, one per row of the logits. */
export type Labels = ArrayLike<number>;

function checkLabels(op: string, logits: Tensor, labels: Labels): void {
  checkRank(op, 'logits', logits, 2, 'N, classes');
  const [N, K] = logits.shape;
  if (labels.length !== N) {
    throw new RangeError(`${op}: got ${labels.length} labels for a batch of ${N} logit rows`);
  }
  for (let n = 0; n < N; n++) {
    const label = labels[n];
    if (!Number.isInteger(label) || label < 0 || label >= K) {
      throw new RangeError(`${op}: label ${n} must be an integer class in [0, ${K}), got ${label}`);
    }
  }
}

/**
 * loss = (1/N) Σ_n [ logsumexp(z[n]) − z[n, label[n]] ], computed in float64 with the row max
 * subtracted first, so large logits neither overflow nor lose the answer (−log softmax).
 */
export function softmaxCrossEntropy(
  logits: Tensor,
  labels: Labels,
): { loss: number; probs: Tensor } {
  checkLabels('softmaxCrossEntropy', logits, labels);
  const [N, K] = logits.shape;
  let total = 0;
  for (let n = 0; n < N; n++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, logits.data[n * K + k]);
    let sumExp = 0;
    for (let k = 0; k < K; k++) sumExp += Math.exp(logits.data[n * K + k] - max);
    total += max + Math.log(sumExp) - logits.data[n * K + labels[n]];
  }
  return { loss: total / N, probs: softmax(logits) };
}

/** dL/dz[n,k] = (softmax(z)[n,k] − [k = label[n]]) / N   (the mean over the batch gives 1/N). */
export function softmaxCrossEntropyBackward(probs: Tensor, labels: Labels): Tensor {
  checkLabels('softmaxCrossEntropyBackward', probs, labels);
  const [N, K] = probs.shape;
  const dz = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      dz[n * K + k] = (probs.data[n * K + k] - (k === labels[n] ? 1 : 0)) / N;
    }
  }
  return { shape: [N, K], data: dz };
}

/** Share of rows whose largest logit (first one on ties) is the label. */
export function accuracy(logits: Tensor, labels: Labels): number {
  checkLabels('accuracy', logits, labels);
  const [N, K] = logits.shape;
  let correct = 0;
  for (let n = 0; n < N; n++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (logits.data[n * K + k] > logits.data[n * K + best]) best = k;
    if (best === labels[n]) correct++;
  }
  return correct / N;
}
