/**
 * The loss of a segmentation + detection head (lesson 12), as the reference engine defines it
 * (src/cnn/ops/detectionLoss.ts): the map z [B, 2K + 4, h, w] laid out as rows [B·h·w, 2K + 4]
 * (Transpose, Reshape, as loss-map.ts), sliced into its three blocks, and with target rows
 * [B·h·w, 2K + 5] (one-hot segmentation, one-hot centre, four box numbers, mask):
 *   loss = CE(seg rows) + centreWeight · CE(centre rows) + (boxWeight / B) · Σ (mask · (box − t))²
 * each CE the row loss of loss.ts. The gradient on the rows is the Concat of the three blocks'
 * gradients, (2 · boxWeight / B) · mask · (box − t) for the box; back through Reshape and
 * Transpose. `probabilities` is the head's output map: the two softmaxes and the raw box numbers.
 */
import type { DetectionHead } from '../cnn/index.ts';
import type { GraphBuilder, Value } from './builder.ts';
import { emitSoftmaxCrossEntropy } from './loss.ts';
import type { LossValues } from './loss.ts';

/** Columns [from, to) of rows [R, ·]. */
function columns(b: GraphBuilder, x: Value, from: number, to: number, rows: number): Value {
  const ints = (v: number) => b.int64s([v]);
  return b.op('Slice', [x, ints(from), ints(to), ints(1)], {}, undefined, [rows, to - from]);
}

export function emitDetectionLoss(
  b: GraphBuilder,
  z: Value,
  targets: Value,
  batch: number,
  map: readonly number[],
  head: DetectionHead,
): LossValues {
  const [channels, h, w] = map as [number, number, number];
  const K = head.classes;
  const R = batch * h * w;
  b.prefix = 'loss.detect';
  const rows = b.reshape(b.transpose(z, [0, 2, 3, 1]), [R, channels]);
  const seg = emitSoftmaxCrossEntropy(
    b,
    columns(b, rows, 0, K, R),
    columns(b, targets, 0, K, R),
    R,
    K,
  );
  b.prefix = 'loss.detect';
  const centre = emitSoftmaxCrossEntropy(
    b,
    columns(b, rows, K, 2 * K, R),
    columns(b, targets, K, 2 * K, R),
    R,
    K,
  );
  b.prefix = 'loss.detect';
  const box = columns(b, rows, 2 * K, 2 * K + 4, R);
  const mask = columns(b, targets, 2 * K + 4, 2 * K + 5, R);
  const diff = b.mul(b.sub(box, columns(b, targets, 2 * K, 2 * K + 4, R)), mask, [R, 4]);
  const squares = b.reduce('ReduceSum', b.mul(diff, diff), [0, 1], false, []);
  const loss = b.add(
    b.add(seg.loss, b.mul(centre.loss, b.scalar(head.centreWeight))),
    b.mul(squares, b.scalar(head.boxWeight / batch)),
  );
  const concat = (parts: Value[]) => b.op('Concat', parts, { axis: 1 }, undefined, [R, channels]);
  const toMap = (v: Value) => b.transpose(b.reshape(v, [batch, h, w, channels]), [0, 3, 1, 2]);
  const dRows = concat([
    seg.dLogits,
    b.mul(centre.dLogits, b.scalar(head.centreWeight)),
    b.mul(diff, b.scalar((2 * head.boxWeight) / batch)),
  ]);
  const dLogits = toMap(dRows);
  const probabilities = toMap(concat([seg.probabilities, centre.probabilities, box]));
  b.prefix = '';
  return { loss, accuracy: seg.accuracy, probabilities, dLogits };
}

/** The head's output map for the forward graph: softmax of each K-block, box numbers as they are. */
export function emitDetectionOutputs(
  b: GraphBuilder,
  z: Value,
  head: DetectionHead,
  channels: number,
): Value {
  const K = head.classes;
  const block = (from: number, to: number) =>
    b.op('Slice', [z, b.int64s([from]), b.int64s([to]), b.int64s([1])]);
  return b.op(
    'Concat',
    [b.softmax(block(0, K), 1), b.softmax(block(K, 2 * K), 1), block(2 * K, channels)],
    { axis: 1 },
  );
}
