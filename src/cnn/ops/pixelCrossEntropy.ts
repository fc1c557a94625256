/**
 * Softmax cross-entropy on a map, for segmentation: logits [N, K, H, W] hold K class scores at
 * every position, and the loss is the mean of the usual softmax cross-entropy over all N·H·W
 * positions. Written as the row-wise op on the map laid out as rows — [N, K, H, W] transposed to
 * [N, H, W, K] and read as [N·H·W, K] — which is exactly what the ONNX training graph does
 * (Transpose, Reshape, then the same loss), so both engines share one definition. Labels are
 * class indices in the order n, h, w (a label map, row-major).
 */
import { checkRank } from '../check.ts';
import type { Tensor } from '../tensor.ts';
import { accuracy, softmaxCrossEntropy, softmaxCrossEntropyBackward } from './crossEntropy.ts';
import type { Labels } from './crossEntropy.ts';
import { softmax } from './softmax.ts';

/** [N, K, H, W] → [N·H·W, K]: the class scores of each position as one row. */
export function toPixelRows(x: Tensor): Tensor {
  checkRank('toPixelRows', 'input', x, 4, 'N, classes, H, W');
  const [N, K, H, W] = x.shape;
  const plane = H * W;
  const out = new Float32Array(N * plane * K);
  for (let n = 0; n < N; n++)
    for (let k = 0; k < K; k++)
      for (let p = 0; p < plane; p++)
        out[(n * plane + p) * K + k] = x.data[(n * K + k) * plane + p];
  return { shape: [N * plane, K], data: out };
}

/** The inverse of toPixelRows: rows [N·H·W, K] back to the map `shape` [N, K, H, W]. */
export function fromPixelRows(rows: Tensor, shape: readonly number[]): Tensor {
  const [N, K, H, W] = shape;
  const plane = H * W;
  if (rows.shape.length !== 2 || rows.shape[0] !== N * plane || rows.shape[1] !== K)
    throw new RangeError(
      `fromPixelRows: rows [${rows.shape.join(', ')}] do not fit a map [${shape.join(', ')}]`,
    );
  const out = new Float32Array(rows.data.length);
  for (let n = 0; n < N; n++)
    for (let k = 0; k < K; k++)
      for (let p = 0; p < plane; p++)
        out[(n * K + k) * plane + p] = rows.data[(n * plane + p) * K + k];
  return { shape: [N, K, H, W], data: out };
}

/** Class probabilities of a map: softmax over the class axis at every position. */
export function pixelSoftmax(logits: Tensor): Tensor {
  return fromPixelRows(softmax(toPixelRows(logits)), logits.shape);
}

/**
 * The mean softmax cross-entropy over every position of the map, its pixel accuracy (first
 * maximum on ties, as the row op) and the gradient on the logits, dz = (p − onehot) / (N·H·W).
 */
export function pixelSoftmaxCrossEntropy(
  logits: Tensor,
  labels: Labels,
): { loss: number; accuracy: number; probs: Tensor; dLogits: Tensor } {
  const rows = toPixelRows(logits);
  if (labels.length !== rows.shape[0])
    throw new RangeError(
      `pixelSoftmaxCrossEntropy: got ${labels.length} labels for ${rows.shape[0]} positions (N·H·W)`,
    );
  const ce = softmaxCrossEntropy(rows, labels);
  return {
    loss: ce.loss,
    accuracy: accuracy(rows, labels),
    probs: fromPixelRows(ce.probs, logits.shape),
    dLogits: fromPixelRows(softmaxCrossEntropyBackward(ce.probs, labels), logits.shape),
  };
}
