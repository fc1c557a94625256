/**
 * Softmax cross-entropy on a map of logits z [B, K, H, W] (segmentation), as the reference
 * engine defines it (src/cnn/ops/pixelCrossEntropy.ts): the map laid out as rows — Transpose to
 * [B, H, W, K], Reshape to [B·H·W, K] — then the row loss of loss.ts with B·H·W rows, so the loss
 * is the mean over every position and the accuracy is pixel accuracy. The gradient on the rows
 * goes back through the same Reshape and Transpose. Labels are one-hot rows [B·H·W, K] in the
 * order b, h, w.
 */
import type { GraphBuilder, Value } from './builder.ts';
import { emitSoftmaxCrossEntropy } from './loss.ts';
import type { LossValues } from './loss.ts';

export function emitPixelSoftmaxCrossEntropy(
  b: GraphBuilder,
  z: Value,
  labels: Value,
  batch: number,
  map: readonly number[],
): LossValues {
  const [classes, h, w] = map as [number, number, number];
  b.prefix = 'loss.map';
  const rows = b.reshape(b.transpose(z, [0, 2, 3, 1]), [batch * h * w, classes]);
  const l = emitSoftmaxCrossEntropy(b, rows, labels, batch * h * w, classes);
  b.prefix = 'loss.map';
  const dLogits = b.transpose(b.reshape(l.dLogits, [batch, h, w, classes]), [0, 3, 1, 2]);
  const probabilities = b.transpose(
    b.reshape(l.probabilities, [batch, h, w, classes]),
    [0, 3, 1, 2],
  );
  b.prefix = '';
  return { loss: l.loss, accuracy: l.accuracy, probabilities, dLogits };
}
