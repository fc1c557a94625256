/**
 * Lesson 12's scene lab, pure: the run it trains (the lab worker's 'segment' task), the held-out
 * scores the worker reports, the reader's scene (ink on a 64 × 64 canvas) and the box they draw,
 * the confidence threshold; and what the figures read off them — detections above the
 * threshold, precision and recall, IoU of the reader's box. No DOM.
 */
import { iou, intersection, area } from '../../data/boxes';
import type { Box, Detection } from '../../data/boxes';
import { decodeDetections } from '../../data/detect-head';
import { precisionRecall } from '../../data/detection-metrics';
import type { ScoredImage } from '../../data/detection-metrics';
import { SCENE_SIZE, SEG_CLASSES, paintDigit } from '../../data/scenes';
import type { BackendName } from '../../runtime/crosscheck';
import type { LabConfig, LabEvent, LabState } from '../../runtime/lab/protocol';
import { sceneDetectNet } from '../../cnn/index';
import type { NetworkSpec } from '../../cnn/index';

/** The lab's save slot for this lesson: its run never overwrites lesson 9's net. */
export const SCENES_SLOT = 'scenes';
/** Brush radius in scene pixels: strokes ~3 px wide, as MNIST's at a 25-pixel digit. */
export const SCENE_BRUSH = 1.2;
/** NMS overlap and the lowest score kept, as the worker's evaluation (scene-task.ts). */
export const NMS_IOU = 0.5;
export const SCORE_FLOOR = 0.01;
/** The head's output map: segmentation and centre probabilities, box numbers (2K + 4 channels). */
export const HEAD_CHANNELS = 2 * SEG_CLASSES + 4;

/**
 * Epochs of the default run: 6 of 2,048 fresh scenes at batch 32, 384 steps — about a minute on
 * two wasm threads (measured 60–95 s in Node on this project's shared 2-core machine).
 */
export const DEFAULT_EPOCHS = 6;

/** The default run: Adam, batch 32, DEFAULT_EPOCHS epochs of 2,048 fresh scenes. */
export function defaultConfig(backend: BackendName, epochs = DEFAULT_EPOCHS): LabConfig {
  return {
    preset: 'scenes',
    task: 'segment',
    network: sceneDetectNet,
    optimizer: { type: 'adam', lr: 0.005 },
    lrDecay: 0.9,
    batchSize: 32,
    epochs,
    backend,
    augmentation: { shift: 0, rotate: 0, scale: 0 },
    seed: 1,
  };
}

export interface Scores {
  readonly epoch: number;
  readonly pixelAccuracy: number;
  readonly meanIou: number;
  readonly map: number;
  readonly images: readonly ScoredImage[];
}

export interface Weights {
  /** Bumped for every new set of weights (the compute key). */
  readonly id: number;
  readonly network: NetworkSpec;
  readonly params: Readonly<Record<string, { shape: readonly number[]; data: Float32Array }>>;
}

export interface SceneState {
  readonly lab: LabState;
  readonly backend: BackendName | undefined;
  readonly progress:
    | {
        readonly done: number;
        readonly total: number;
        readonly seconds: number;
        readonly loss: number;
      }
    | undefined;
  readonly scores: Scores | undefined;
  readonly weights: Weights | undefined;
  /** SCENE_SIZE² ink values in [0, 1]; a new array for every finished stroke. */
  readonly ink: Float32Array;
  /** Bumped for every change of the ink (the compute key). */
  readonly inkId: number;
  readonly tool: 'ink' | 'box';
  readonly userBox: Box | undefined;
  /** Detections at or above it are shown and counted. */
  readonly threshold: number;
  /** Epochs of the run the Train button starts (the link may ask for fewer). */
  readonly epochs: number;
  /** How many sample digits were added (where the next one goes). */
  readonly samples: number;
  /** The lab's last check of a training step against the reference engine. */
  readonly stepCheck:
    | { readonly backend: BackendName; readonly agree: boolean; readonly maxAbsError: number }
    | undefined;
  readonly message: string | undefined;
}

export type SceneAction =
  | { readonly kind: 'lab'; readonly event: LabEvent }
  | { readonly kind: 'weights'; readonly weights: Omit<Weights, 'id'> }
  | { readonly kind: 'ink'; readonly ink: Float32Array }
  /** A sample digit (28 × 28 in [0, 1]) painted into the next free corner of the scene. */
  | { readonly kind: 'sample'; readonly pixels: readonly number[] }
  | { readonly kind: 'tool'; readonly tool: 'ink' | 'box' }
  | { readonly kind: 'box'; readonly box: Box | undefined }
  | { readonly kind: 'threshold'; readonly value: number };

export const INITIAL: SceneState = {
  lab: 'idle',
  backend: undefined,
  progress: undefined,
  scores: undefined,
  weights: undefined,
  ink: new Float32Array(SCENE_SIZE * SCENE_SIZE),
  inkId: 0,
  tool: 'ink',
  userBox: undefined,
  threshold: 0.5,
  epochs: DEFAULT_EPOCHS,
  samples: 0,
  stepCheck: undefined,
  message: undefined,
};

function onEvent(s: SceneState, e: LabEvent): SceneState {
  switch (e.kind) {
    case 'status':
      return {
        ...s,
        lab: e.state,
        backend: e.backend,
        message: e.state === 'error' ? e.message : s.message,
        ...(e.state === 'idle' ? { progress: undefined, scores: undefined } : {}),
      };
    case 'progress': {
      const p = e.progress;
      const last = p.history.at(-1);
      return {
        ...s,
        progress: {
          done: p.epoch * p.stepsPerEpoch + p.step,
          total: p.totalSteps,
          seconds: p.seconds,
          loss: last?.trainLoss ?? Number.NaN,
        },
      };
    }
    case 'eval':
      if (!e.segmentation) return s;
      return {
        ...s,
        scores: {
          epoch: e.epoch,
          pixelAccuracy: e.segmentation.pixelAccuracy,
          meanIou: e.segmentation.meanIou,
          map: e.segmentation.map,
          images: e.segmentation.images,
        },
      };
    case 'crosscheck':
      return {
        ...s,
        stepCheck: { backend: e.backend, agree: e.agree, maxAbsError: e.maxAbsError },
      };
    case 'notice':
      return { ...s, message: e.text };
    case 'nan':
      return { ...s, message: e.message };
    case 'error':
      return { ...s, message: e.message };
    default:
      return s;
  }
}

export function reduce(s: SceneState, a: SceneAction): SceneState {
  switch (a.kind) {
    case 'lab':
      return onEvent(s, a.event);
    case 'weights':
      return { ...s, weights: { ...a.weights, id: (s.weights?.id ?? 0) + 1 } };
    case 'ink':
      return { ...s, ink: a.ink, inkId: s.inkId + 1, samples: inkIsEmpty(a.ink) ? 0 : s.samples };
    case 'sample':
      return {
        ...s,
        ink: withSample(s.ink, a.pixels, s.samples),
        inkId: s.inkId + 1,
        samples: s.samples + 1,
      };
    case 'tool':
      return a.tool === s.tool ? s : { ...s, tool: a.tool };
    case 'box':
      return { ...s, userBox: a.box };
    case 'threshold': {
      if (!(a.value >= 0 && a.value <= 1)) return s;
      return { ...s, threshold: a.value };
    }
  }
}

/** Where the n-th sample digit goes (top-left corner, side): the four quarters, then the middle. */
export const SAMPLE_PLACES: readonly (readonly [number, number, number])[] = [
  [3, 3, 26],
  [35, 5, 24],
  [6, 35, 24],
  [36, 36, 26],
  [20, 18, 28],
];

/** The ink with sample digit `pixels` painted at place n (mod the places), as scenes are made. */
export function withSample(ink: Float32Array, pixels: readonly number[], n: number): Float32Array {
  if (pixels.length !== 784) throw new RangeError(`a digit has 784 pixels, got ${pixels.length}`);
  const [left, top, side] = SAMPLE_PLACES[n % SAMPLE_PLACES.length]!;
  const scene = { pixels: ink.slice(), labels: new Uint8Array(SCENE_SIZE * SCENE_SIZE) };
  const split = {
    images: Uint8Array.from(pixels, (v) => Math.round(v * 255)),
    labels: Uint8Array.of(0),
  };
  paintDigit(scene, split, 0, top, left, side);
  return scene.pixels;
}

export const inkIsEmpty = (ink: Float32Array): boolean => !ink.some((v) => v > 0.2);

/**
 * The reader's scene read by the head (its output map for one scene, HEAD_CHANNELS × side²):
 * every detection scoring at least SCORE_FLOOR (the slider hides those under its threshold),
 * after NMS.
 */
export function detectionsOf(outputs: Float32Array): Detection[] {
  const side = Math.round(Math.sqrt(outputs.length / HEAD_CHANNELS));
  return decodeDetections(
    outputs,
    { classes: SEG_CLASSES, grid: side, size: SCENE_SIZE },
    SCORE_FLOOR,
    NMS_IOU,
  );
}

export const shown = (ds: readonly Detection[], threshold: number): Detection[] =>
  ds.filter((d) => d.score >= threshold);

/** Precision and recall on the held-out scenes at the threshold. */
export function heldOutAt(scores: Scores, threshold: number) {
  return precisionRecall(scores.images, threshold, 0.5);
}

/** The reader's box against the detection it overlaps most: IoU and its two areas. */
export function userBoxIou(
  box: Box,
  detections: readonly Detection[],
): { iou: number; inter: number; union: number; against: Detection } | undefined {
  let best: Detection | undefined;
  let bestIou = -1;
  for (const d of detections) {
    const v = iou(box, d.box);
    if (v > bestIou) {
      bestIou = v;
      best = d;
    }
  }
  if (!best) return undefined;
  const i = intersection(box, best.box);
  const inter = i ? area(i) : 0;
  return { iou: bestIou, inter, union: area(box) + area(best.box) - inter, against: best };
}

/** A box from two corner points in scene pixels, clamped to the canvas; none if it is a line. */
export function boxFromCorners(
  a: { x: number; y: number },
  b: { x: number; y: number },
): Box | undefined {
  const clamp = (v: number) => Math.max(0, Math.min(SCENE_SIZE, Math.round(v)));
  const x0 = clamp(Math.min(a.x, b.x));
  const x1 = clamp(Math.max(a.x, b.x));
  const y0 = clamp(Math.min(a.y, b.y));
  const y1 = clamp(Math.max(a.y, b.y));
  return x1 - x0 >= 2 && y1 - y0 >= 2 ? { x0, y0, x1, y1 } : undefined;
}

/** " A training step on wasm matched the reference engine (max error 2e-7)." */
function checked(s: SceneState): string {
  const c = s.stepCheck;
  if (!c) return '';
  return c.agree
    ? ` A training step on ${c.backend} matched the reference engine (largest difference ${c.maxAbsError.toExponential(1)}).`
    : ` A training step on ${c.backend} differed from the reference engine by ${c.maxAbsError.toExponential(1)}, more than the tolerance.`;
}

/** What the status line says about the run. */
export function runStatus(s: SceneState): string {
  const p = s.progress;
  const steps = p
    ? `step ${p.done} of ${p.total}, ${p.seconds.toFixed(0)} s, loss ${p.loss.toFixed(3)}`
    : '';
  switch (s.lab) {
    case 'idle':
      return `No network yet: press Train (${DEFAULT_EPOCHS * 64} steps, about a minute on a laptop’s CPU).`;
    case 'loading-data':
      return 'Loading the MNIST digits…';
    case 'compiling':
      return 'Building the training graph…';
    case 'training':
      return `Training on ${s.backend ?? '…'}: ${steps}.${checked(s)}`;
    case 'evaluating':
      return `Scoring 500 held-out scenes… (${steps})`;
    case 'paused':
      return `Paused at ${steps}.${checked(s)}`;
    case 'done':
      return `Trained: ${steps}.${checked(s)}`;
    case 'stopped-nan':
      return `Training stopped: the loss was not a number. ${s.message ?? ''}`;
    case 'error':
      return `The lab failed: ${s.message ?? 'unknown error'}`;
  }
}
