/**
 * The lab's 'segment' task (lesson 12): batches of fresh seeded scenes from the training digits,
 * and evaluation on held-out scenes made from the test digits only — pixel accuracy and mean IoU
 * of the class map, and mAP at IoU 0.5 of the boxes read off it. Pure apart from the Evaluator.
 */
import { nms } from '../../data/boxes';
import {
  addConfusion,
  meanAveragePrecision,
  meanIou,
  pixelAccuracy,
  type ScoredImage,
} from '../../data/detection-metrics';
import type { MnistSplit } from '../../data/mnist';
import {
  BACKGROUND,
  SCENE_SIZE,
  SEG_CLASSES,
  downsampleLabels,
  sceneBatch,
} from '../../data/scenes';
import { boxesFromSegmentation } from '../../data/segment-boxes';
import { outputShapes, type NetworkSpec } from '../../cnn/index';
import { stepSeed, type Batch } from './data';
import type { EvalResult } from './eval';
import type { Evaluator, State } from './engines';
import type { LabConfig, SegmentationEval } from './protocol';

/** Training scenes per epoch (each epoch's are new: scene indices never repeat). */
export const SCENES_PER_EPOCH = 2048;
/** Held-out scenes, from the test digits, and the seed that makes them (fixed: every run, the bench). */
export const HELD_OUT_SCENES = 500;
export const HELD_OUT_SEED = 20_261_202;
const EVAL_BATCH = 50;
/** A region of fewer cells is noise, not a digit (a 2 × 2-pixel cell; digits cover dozens). */
export const MIN_REGION_CELLS = 4;
/** Boxes of one class overlapping more than this are one digit (NMS). */
export const NMS_IOU = 0.5;

/** The output map's [classes, h, w] and how many scene pixels one cell spans. */
export function mapGeometry(spec: NetworkSpec): {
  classes: number;
  h: number;
  w: number;
  factor: number;
} {
  const out = outputShapes(spec, 1).at(-1)!;
  if (out.length !== 4 || spec.inputShape[1] !== SCENE_SIZE || spec.inputShape[2] !== SCENE_SIZE)
    throw new RangeError(
      `task segment: ${spec.name} must take [1, ${SCENE_SIZE}, ${SCENE_SIZE}] scenes and give a map of class scores`,
    );
  const [, classes, h, w] = out as [number, number, number, number];
  if (classes !== SEG_CLASSES)
    throw new RangeError(
      `task segment: ${spec.name} gives ${classes} classes, expected ${SEG_CLASSES}`,
    );
  if (h !== w || SCENE_SIZE % h !== 0)
    throw new RangeError(
      `task segment: a ${h}×${w} map does not tile the ${SCENE_SIZE}-pixel scene`,
    );
  return { classes, h, w, factor: SCENE_SIZE / h };
}

/** Cell labels and their one-hot rows [n·h·w, classes] from full-resolution label maps. */
function cellTargets(
  labels: Uint8Array,
  factor: number,
): { cells: Uint8Array; oneHot: Float32Array } {
  const cells = downsampleLabels(labels, SCENE_SIZE, factor);
  const oneHot = new Float32Array(cells.length * SEG_CLASSES);
  cells.forEach((c, k) => (oneHot[k * SEG_CLASSES + c] = 1));
  return { cells, oneHot };
}

/** The training scenes of a run: step `step` of epoch `epoch` is always the same batch. */
export class SceneData {
  readonly count = SCENES_PER_EPOCH;
  readonly stepsPerEpoch: number;
  private readonly factor: number;

  constructor(
    private readonly split: MnistSplit,
    private readonly config: Pick<LabConfig, 'batchSize' | 'seed' | 'network'>,
  ) {
    this.stepsPerEpoch = Math.max(1, Math.floor(SCENES_PER_EPOCH / config.batchSize));
    this.factor = mapGeometry(config.network).factor;
  }

  batch(epoch: number, step: number): Batch {
    const B = this.config.batchSize;
    const first = (epoch * this.stepsPerEpoch + step) * B;
    const indices = Array.from({ length: B }, (_, k) => first + k);
    const scenes = sceneBatch(this.split, this.config.seed, indices);
    const { cells, oneHot } = cellTargets(scenes.labels, this.factor);
    return {
      images: scenes.images,
      oneHot,
      labels: cells,
      size: B,
      dropoutSeed: stepSeed(this.config.seed, epoch, step, 2),
    };
  }
}

/**
 * Scores the segmenter on the held-out scenes: the confusion of cell classes (11 × 11), the
 * mean cross-entropy per cell, and detection by segmentation scored as mAP@0.5.
 */
export async function evaluateScenes(
  evaluator: Evaluator,
  params: State,
  test: MnistSplit,
  spec: NetworkSpec,
  count = HELD_OUT_SCENES,
): Promise<EvalResult & { segmentation: SegmentationEval }> {
  const { classes, h, w, factor } = mapGeometry(spec);
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
    const { cells } = cellTargets(b.labels, factor);
    const probs = (await evaluator.run(params, b.images, n, ['probabilities'])).probabilities!;
    const predicted = new Uint8Array(n * plane);
    for (let m = 0; m < n; m++) {
      for (let p = 0; p < plane; p++) {
        let best = 0;
        for (let k = 1; k < classes; k++)
          if (probs[(m * classes + k) * plane + p]! > probs[(m * classes + best) * plane + p]!)
            best = k;
        predicted[m * plane + p] = best;
        const truth = cells[m * plane + p]!;
        lossSum += -Math.log(Math.max(probs[(m * classes + truth) * plane + p]!, 1e-12));
      }
      const one = probs.subarray(m * classes * plane, (m + 1) * classes * plane);
      const detections = nms(
        boxesFromSegmentation(one, classes, h, w, {
          background: BACKGROUND,
          scale: factor,
          minCells: MIN_REGION_CELLS,
        }),
        NMS_IOU,
      );
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
