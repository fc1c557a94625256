/**
 * The lab's 'segment' task (lesson 12): batches of fresh seeded scenes from the training digits,
 * with the detection head's target rows (segmentation cells, centres, boxes), and evaluation on
 * held-out scenes made from the test digits only — pixel accuracy and mean IoU of the
 * segmentation channels, and mAP at IoU 0.5 of the boxes the head's centre map and box channels
 * decode to. Pure apart from the Evaluator.
 */
import { decodeDetections, detectionTargets } from '../../data/detect-head';
import type { HeadGeometry } from '../../data/detect-head';
import {
  addConfusion,
  meanAveragePrecision,
  meanIou,
  pixelAccuracy,
} from '../../data/detection-metrics';
import type { ScoredImage } from '../../data/detection-metrics';
import type { MnistSplit } from '../../data/mnist';
import { SCENE_SIZE, SEG_CLASSES, downsampleLabels, sceneBatch } from '../../data/scenes';
import { outputShapes } from '../../cnn/index';
import type { NetworkSpec } from '../../cnn/index';
import { stepSeed } from './data';
import type { Batch } from './data';
import type { EvalResult } from './eval';
import type { Evaluator, State } from './engines';
import type { LabConfig, SegmentationEval } from './protocol';

/** Training scenes per epoch (each epoch's are new: scene indices never repeat). */
export const SCENES_PER_EPOCH = 2048;
/** Held-out scenes, from the test digits, and the seed that makes them (fixed: every run, the bench). */
export const HELD_OUT_SCENES = 500;
export const HELD_OUT_SEED = 20_261_202;
const EVAL_BATCH = 50;
/** Boxes overlapping more than this are one digit (NMS, across classes). */
export const NMS_IOU = 0.5;
/**
 * Evaluation keeps every box whose centre score reaches this (mAP ranks them all; the lesson's
 * slider then hides those under its threshold).
 */
export const SCORE_FLOOR = 0.01;

/**
 * The output map's geometry: [classes, h, w] of the segmentation, the head's channels, and how
 * many scene pixels one cell spans. The net must have the detection head (spec.head).
 */
export function mapGeometry(spec: NetworkSpec): {
  classes: number;
  channels: number;
  h: number;
  w: number;
  factor: number;
  head: HeadGeometry;
} {
  const out = outputShapes(spec, 1).at(-1)!;
  if (out.length !== 4 || spec.inputShape[1] !== SCENE_SIZE || spec.inputShape[2] !== SCENE_SIZE)
    throw new RangeError(
      `task segment: ${spec.name} must take [1, ${SCENE_SIZE}, ${SCENE_SIZE}] scenes and give a map of class scores`,
    );
  const [, channels, h, w] = out as [number, number, number, number];
  if (spec.head === undefined)
    throw new RangeError(
      `task segment: ${spec.name} has no detection head (an older ${channels}-channel segmenter); train again`,
    );
  if (spec.head.classes !== SEG_CLASSES || channels !== 2 * SEG_CLASSES + 4)
    throw new RangeError(
      `task segment: ${spec.name} gives ${channels} channels, expected ${2 * SEG_CLASSES + 4} (a head of ${SEG_CLASSES} classes)`,
    );
  if (h !== w || SCENE_SIZE % h !== 0)
    throw new RangeError(
      `task segment: a ${h}×${w} map does not tile the ${SCENE_SIZE}-pixel scene`,
    );
  return {
    classes: SEG_CLASSES,
    channels,
    h,
    w,
    factor: SCENE_SIZE / h,
    head: { classes: SEG_CLASSES, grid: h, size: SCENE_SIZE, radius: spec.head.centreRadius ?? 0 },
  };
}

/** The training scenes of a run: step `step` of epoch `epoch` is always the same batch. */
export class SceneData {
  readonly count = SCENES_PER_EPOCH;
  readonly stepsPerEpoch: number;
  private readonly geometry: ReturnType<typeof mapGeometry>;

  constructor(
    private readonly split: MnistSplit,
    private readonly config: Pick<LabConfig, 'batchSize' | 'seed' | 'network'>,
  ) {
    this.stepsPerEpoch = Math.max(1, Math.floor(SCENES_PER_EPOCH / config.batchSize));
    this.geometry = mapGeometry(config.network);
  }

  batch(epoch: number, step: number): Batch {
    const B = this.config.batchSize;
    const first = (epoch * this.stepsPerEpoch + step) * B;
    const indices = Array.from({ length: B }, (_, k) => first + k);
    const scenes = sceneBatch(this.split, this.config.seed, indices);
    const cells = downsampleLabels(scenes.labels, SCENE_SIZE, this.geometry.factor);
    const digits = scenes.scenes.map((s) => s.digits);
    return {
      images: scenes.images,
      // The head's target rows [B·h·w, 2K + 5]; `labels` keeps the segmentation's cell classes.
      oneHot: detectionTargets(cells, digits, this.geometry.head),
      labels: cells,
      size: B,
      dropoutSeed: stepSeed(this.config.seed, epoch, step, 2),
    };
  }
}

/**
 * Scores the net on the held-out scenes: the confusion of the segmentation's cell classes
 * (11 × 11), its mean cross-entropy per cell, and the head's detections (every box scoring at
 * least SCORE_FLOOR, after NMS) scored as mAP@0.5.
 */
export async function evaluateScenes(
  evaluator: Evaluator,
  params: State,
  test: MnistSplit,
  spec: NetworkSpec,
  count = HELD_OUT_SCENES,
): Promise<EvalResult & { segmentation: SegmentationEval }> {
  const { classes, channels, h, w, factor, head } = mapGeometry(spec);
  const confusion = new Array<number>(classes * classes).fill(0);
  const images: ScoredImage[] = [];
  let lossSum = 0;
  let cellsSeen = 0;
  const plane = h * w;
  for (let start = 0; start < count; start += EVAL_BATCH) {
    const n = Math.min(EVAL_BATCH, count - start);
    const b = sceneBatch(
      test,
      HELD_OUT_SEED,
      Array.from({ length: n }, (_, k) => start + k),
    );
    const cells = downsampleLabels(b.labels, SCENE_SIZE, factor);
    const probs = (await evaluator.run(params, b.images, n, ['probabilities'])).probabilities!;
    const predicted = new Uint8Array(n * plane);
    for (let m = 0; m < n; m++) {
      for (let p = 0; p < plane; p++) {
        let best = 0;
        for (let k = 1; k < classes; k++)
          if (probs[(m * channels + k) * plane + p]! > probs[(m * channels + best) * plane + p]!)
            best = k;
        predicted[m * plane + p] = best;
        const truth = cells[m * plane + p]!;
        lossSum += -Math.log(Math.max(probs[(m * channels + truth) * plane + p]!, 1e-12));
      }
      const one = probs.subarray(m * channels * plane, (m + 1) * channels * plane);
      const detections = decodeDetections(one, head, SCORE_FLOOR, NMS_IOU);
      images.push({
        detections,
        truths: b.scenes[m]!.digits.map(({ box, label }) => ({ box, label })),
      });
    }
    addConfusion(confusion, cells, predicted, classes);
    cellsSeen += n * plane;
  }
  const iou = meanIou(confusion, classes);
  const accuracy = pixelAccuracy(confusion, classes);
  return {
    testAccuracy: accuracy,
    testLoss: lossSum / cellsSeen,
    confusion,
    misclassified: [],
    segmentation: {
      scenes: count,
      pixelAccuracy: accuracy,
      meanIou: iou.meanIou,
      perClassIou: iou.perClass,
      map: meanAveragePrecision(images, 0.5).map,
      images,
    },
  };
}
