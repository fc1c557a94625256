/**
 * The loss of a segmentation + detection head on one map (lesson 12): logits [N, 2K + 4, H, W]
 * hold, at every cell of the grid,
 *   channels 0 … K−1      K segmentation scores (which class covers this cell; K−1 background)
 *   channels K … 2K−1     K centre scores (which digit is centred in this cell; K−1: none)
 *   channels 2K … 2K+3    the box of a digit centred here: dx, dy (the centre's place in the
 *                         cell, 0…1) and w, h (its size over the canvas size), as boxes.ts encodes
 * and the targets are one row per cell [N·H·W, 2K + 5] in the order n, row, column: the one-hot
 * segmentation class, the one-hot centre class, the four box numbers and a mask (1 where a digit
 * is centred, else 0). The loss is
 *   L = CE(segmentation) + centreWeight · CE(centre) + (boxWeight / N) · Σ mask · Σ_c (b_c − t_c)²
 * with each CE the mean softmax cross-entropy over all N·H·W cells (as pixelCrossEntropy.ts) and
 * the box term summed over the cells that hold a centre, per scene. The accuracy is the pixel
 * accuracy of the segmentation. The ONNX training graph builds the same sum (src/onnx/loss-detect.ts).
 */
import { checkRank } from '../check.ts';
import type { Tensor } from '../tensor.ts';
import { accuracy, softmaxCrossEntropy, softmaxCrossEntropyBackward } from './crossEntropy.ts';
import { fromPixelRows, toPixelRows } from './pixelCrossEntropy.ts';
import { softmax } from './softmax.ts';

/** A network whose map output is read as segmentation + detection (NetworkSpec.head). */
export interface DetectionHead {
  readonly type: 'detect';
  /** K: classes of the segmentation and of the centre map, the last one background / none. */
  readonly classes: number;
  /** The weight of the centre map's cross-entropy. */
  readonly centreWeight: number;
  /** The weight of the masked squared error of the box numbers. */
  readonly boxWeight: number;
  /**
   * Not the loss's: how far from a digit's centre cell its targets say "centred here" (the
   * targets' rule, src/data/detect-head.ts; default 0, the centre cell only).
   */
  readonly centreRadius?: number;
}

/** Channels of the head's map (2K + 4) and columns of its target rows (2K + 5). */
export const headChannels = (head: DetectionHead): number => 2 * head.classes + 4;
export const targetColumns = (head: DetectionHead): number => 2 * head.classes + 5;

/** The index of the one 1 in row r's columns [from, from + K) of a one-hot block. */
function labelsOf(t: Tensor, from: number, K: number, what: string): number[] {
  const [R, T] = t.shape;
  const out: number[] = [];
  for (let r = 0; r < R; r++) {
    let label = -1;
    for (let k = 0; k < K; k++) if (t.data[r * T + from + k] === 1) label = k;
    if (label < 0)
      throw new RangeError(
        `detectionLoss: target row ${r} has no ${what} class (no 1 in its block)`,
      );
    out.push(label);
  }
  return out;
}

/** Columns [from, from + width) of rows [R, T]. */
function columns(rows: Tensor, from: number, width: number): Tensor {
  const [R, T] = rows.shape;
  const out = new Float32Array(R * width);
  for (let r = 0; r < R; r++)
    for (let c = 0; c < width; c++) out[r * width + c] = rows.data[r * T + from + c];
  return { shape: [R, width], data: out };
}

export interface DetectionLoss {
  readonly loss: number;
  /** The three terms, weights applied: loss = segmentation + centre + box. */
  readonly parts: { readonly segmentation: number; readonly centre: number; readonly box: number };
  /** Pixel accuracy of the segmentation channels (first maximum on ties). */
  readonly accuracy: number;
  readonly dLogits: Tensor;
}

export function detectionLoss(logits: Tensor, targets: Tensor, head: DetectionHead): DetectionLoss {
  checkRank('detectionLoss', 'logits', logits, 4, 'N, 2K + 4, H, W');
  const K = head.classes;
  const [N, C, H, W] = logits.shape;
  const R = N * H * W;
  if (C !== headChannels(head))
    throw new RangeError(
      `detectionLoss: a head of ${K} classes needs ${headChannels(head)} channels, the logits have ${C}`,
    );
  const T = targetColumns(head);
  if (targets.shape.length !== 2 || targets.shape[0] !== R || targets.shape[1] !== T)
    throw new RangeError(
      `detectionLoss: targets must be [${R}, ${T}] (one row per cell), got [${targets.shape.join(', ')}]`,
    );
  const rows = toPixelRows(logits); // [R, C]
  const seg = columns(rows, 0, K);
  const centre = columns(rows, K, K);
  const segLabels = labelsOf(targets, 0, K, 'segmentation');
  const centreLabels = labelsOf(targets, K, K, 'centre');
  const segCe = softmaxCrossEntropy(seg, segLabels);
  const centreCe = softmaxCrossEntropy(centre, centreLabels);
  const dSeg = softmaxCrossEntropyBackward(segCe.probs, segLabels);
  const dCentre = softmaxCrossEntropyBackward(centreCe.probs, centreLabels);
  const dRows = new Float32Array(R * C);
  let boxSum = 0;
  for (let r = 0; r < R; r++) {
    for (let k = 0; k < K; k++) {
      dRows[r * C + k] = dSeg.data[r * K + k];
      dRows[r * C + K + k] = head.centreWeight * dCentre.data[r * K + k];
    }
    const mask = targets.data[r * T + 2 * K + 4];
    for (let c = 0; c < 4; c++) {
      const diff = mask * (rows.data[r * C + 2 * K + c] - targets.data[r * T + 2 * K + c]);
      boxSum += diff * diff;
      dRows[r * C + 2 * K + c] = ((2 * head.boxWeight) / N) * diff * mask;
    }
  }
  const parts = {
    segmentation: segCe.loss,
    centre: head.centreWeight * centreCe.loss,
    box: (head.boxWeight / N) * boxSum,
  };
  return {
    loss: parts.segmentation + parts.centre + parts.box,
    parts,
    accuracy: accuracy(seg, segLabels),
    dLogits: fromPixelRows({ shape: [R, C], data: dRows }, logits.shape),
  };
}

/**
 * What the head says, as a map [N, 2K + 4, H, W]: the segmentation's class probabilities, the
 * centre map's class probabilities (each a softmax over its K channels) and the four box numbers
 * as they are. The forward graph's `probabilities` output is the same (src/onnx/forward.ts).
 */
export function detectionOutputs(logits: Tensor, head: DetectionHead): Tensor {
  checkRank('detectionOutputs', 'logits', logits, 4, 'N, 2K + 4, H, W');
  const K = head.classes;
  const C = logits.shape[1];
  if (C !== headChannels(head))
    throw new RangeError(
      `detectionOutputs: a head of ${K} classes needs ${headChannels(head)} channels, the logits have ${C}`,
    );
  const rows = toPixelRows(logits);
  const seg = softmax(columns(rows, 0, K));
  const centre = softmax(columns(rows, K, K));
  const R = rows.shape[0];
  const out = new Float32Array(R * C);
  for (let r = 0; r < R; r++) {
    for (let k = 0; k < K; k++) {
      out[r * C + k] = seg.data[r * K + k];
      out[r * C + K + k] = centre.data[r * K + k];
    }
    for (let c = 2 * K; c < C; c++) out[r * C + c] = rows.data[r * C + c];
  }
  return fromPixelRows({ shape: [R, C], data: out }, logits.shape);
}
