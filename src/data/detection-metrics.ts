/**
 * How detections and segmentations are scored. Detection: a detection is a true positive when it
 * matches a not-yet-matched ground-truth box of its class with IoU ≥ 0.5 (highest score first);
 * precision and recall at a confidence threshold; average precision as the area under the
 * precision–recall curve with precision made monotone (the all-points rule of PASCAL VOC 2010+);
 * mAP the mean over the classes that occur. Segmentation: pixel accuracy and mean IoU from the
 * confusion matrix of pixel counts. Pure.
 */
import { iou } from './boxes.ts';
import type { Detection } from './boxes.ts';
import type { Box } from './scenes.ts';

export interface Truth {
  readonly box: Box;
  readonly label: number;
}

/** One image's detections and its ground truth. */
export interface ScoredImage {
  readonly detections: readonly Detection[];
  readonly truths: readonly Truth[];
}

/** Every detection of every image, highest score first, marked true or false positive. */
export function matchDetections(
  images: readonly ScoredImage[],
  iouThreshold = 0.5,
): { score: number; label: number; truePositive: boolean }[] {
  const out: { score: number; label: number; truePositive: boolean }[] = [];
  for (const img of images) {
    const used = new Array<boolean>(img.truths.length).fill(false);
    const order = [...img.detections].sort((a, b) => b.score - a.score);
    for (const d of order) {
      let best = -1;
      let bestIou = iouThreshold;
      img.truths.forEach((t, k) => {
        if (used[k] || t.label !== d.label) return;
        const v = iou(d.box, t.box);
        if (v >= bestIou) {
          bestIou = v;
          best = k;
        }
      });
      if (best >= 0) used[best] = true;
      out.push({ score: d.score, label: d.label, truePositive: best >= 0 });
    }
  }
  return out.sort((a, b) => b.score - a.score);
}

/** Precision and recall of the detections scoring at least `threshold` (precision 1 when none). */
export function precisionRecall(
  images: readonly ScoredImage[],
  threshold: number,
  iouThreshold = 0.5,
): {
  precision: number;
  recall: number;
  truePositives: number;
  detections: number;
  truths: number;
} {
  const kept = images.map((img) => ({
    truths: img.truths,
    detections: img.detections.filter((d) => d.score >= threshold),
  }));
  const matched = matchDetections(kept, iouThreshold);
  const tp = matched.filter((m) => m.truePositive).length;
  const truths = images.reduce((s, img) => s + img.truths.length, 0);
  return {
    precision: matched.length ? tp / matched.length : 1,
    recall: truths ? tp / truths : 1,
    truePositives: tp,
    detections: matched.length,
    truths,
  };
}

/** Average precision of one ranked list (true/false positives, best first) against `truths`. */
export function averagePrecision(ranked: readonly boolean[], truths: number): number {
  if (truths === 0) return Number.NaN;
  const precision: number[] = [];
  const recall: number[] = [];
  let tp = 0;
  ranked.forEach((hit, k) => {
    if (hit) tp += 1;
    precision.push(tp / (k + 1));
    recall.push(tp / truths);
  });
  // Precision made non-increasing from the right, then summed over the recall steps.
  for (let k = precision.length - 2; k >= 0; k--)
    precision[k] = Math.max(precision[k]!, precision[k + 1]!);
  let ap = 0;
  let prev = 0;
  for (let k = 0; k < recall.length; k++) {
    ap += (recall[k]! - prev) * precision[k]!;
    prev = recall[k]!;
  }
  return ap;
}

/** mAP at `iouThreshold`: the mean of the classes' average precisions (classes with truths). */
export function meanAveragePrecision(
  images: readonly ScoredImage[],
  iouThreshold = 0.5,
  classes = 10,
): { map: number; perClass: number[] } {
  const matched = matchDetections(images, iouThreshold);
  const perClass: number[] = [];
  for (let c = 0; c < classes; c++) {
    const truths = images.reduce((s, img) => s + img.truths.filter((t) => t.label === c).length, 0);
    const ranked = matched.filter((m) => m.label === c).map((m) => m.truePositive);
    perClass.push(averagePrecision(ranked, truths));
  }
  const present = perClass.filter((v) => !Number.isNaN(v));
  return {
    map: present.length ? present.reduce((a, b) => a + b, 0) / present.length : 0,
    perClass,
  };
}

/** Adds pixel counts to a K × K confusion matrix (row = true class, column = predicted). */
export function addConfusion(
  confusion: number[],
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
): void {
  if (truth.length !== predicted.length)
    throw new RangeError(
      `addConfusion: ${truth.length} true labels but ${predicted.length} predicted`,
    );
  if (confusion.length !== classes * classes)
    throw new RangeError(`addConfusion: the matrix must have ${classes * classes} cells`);
  for (let k = 0; k < truth.length; k++) confusion[truth[k]! * classes + predicted[k]!]! += 1;
}

/** The share of pixels whose predicted class is the true one. */
export function pixelAccuracy(confusion: readonly number[], classes: number): number {
  let right = 0;
  let all = 0;
  for (let i = 0; i < classes; i++)
    for (let j = 0; j < classes; j++) {
      all += confusion[i * classes + j]!;
      if (i === j) right += confusion[i * classes + j]!;
    }
  return all ? right / all : 0;
}

/**
 * Per class, IoU = TP / (TP + FP + FN) over pixels; mean IoU averages the classes that occur in
 * the truth or the prediction (a class absent from both says nothing).
 */
export function meanIou(
  confusion: readonly number[],
  classes: number,
): { meanIou: number; perClass: number[] } {
  const perClass: number[] = [];
  for (let c = 0; c < classes; c++) {
    const tp = confusion[c * classes + c]!;
    let row = 0;
    let col = 0;
    for (let k = 0; k < classes; k++) {
      row += confusion[c * classes + k]!;
      col += confusion[k * classes + c]!;
    }
    const union = row + col - tp;
    perClass.push(union ? tp / union : Number.NaN);
  }
  const present = perClass.filter((v) => !Number.isNaN(v));
  return {
    meanIou: present.length ? present.reduce((a, b) => a + b, 0) / present.length : 0,
    perClass,
  };
}
