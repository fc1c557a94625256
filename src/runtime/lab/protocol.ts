/**
 * The training lab's contract: the page sends commands to the lab worker (lab.worker.ts), which
 * owns the MNIST data, the training loop (ORT WebGPU/wasm trainer or the reference engine),
 * evaluation, checkpoints (IndexedDB) and fault recovery, and streams events back. The page only
 * draws. Shared by the worker, the lab widget (src/widgets/training-lab) and the tests.
 */
import type { NetworkSpec, OptimizerSpec } from '../../cnn/index';
import type { BackendStatus } from '../backends';
import type { BackendName } from '../crosscheck';
import type { TensorMsg } from '../protocol';
import type { ScoredImage } from '../../data/detection-metrics';

/** The digit classifiers of lessons 9–11 (the training lab's menu). */
export type ClassifierPreset = 'tutorial' | 'small' | 'large';
/**
 * 'scenes': lesson 12's segmenter, trained on scenes of several digits (task 'segment');
 * 'own': lesson 15's classifier of the reader's own classes (task 'own').
 */
export type PresetName = ClassifierPreset | 'scenes' | 'own';

/**
 * What a run learns. 'classify' (the default): one digit per 28 × 28 image. 'segment': a class
 * for every cell of the network's output map over a 64 × 64 scene of 1–4 digits, and from its
 * detection head which digit is centred in each cell and its box (scene-task.ts);
 * the scenes are made fresh for every epoch, so augmentation and trainSubset do not apply.
 */
export type LabTask = 'classify' | 'segment' | 'own';

/**
 * How the learning rate moves through a run (schedule.ts): 'decay' multiplies it by lrDecay after
 * every epoch; 'linear' lowers it every step, from lr to nearly 0 at the run's last step.
 */
export type LrSchedule = 'decay' | 'linear';

/**
 * Task 'own' (lesson 15): the reader's examples travel with the config (and are saved with the
 * run), so the lab needs no MNIST; it holds out a seeded 20 % of each class (src/data/own.ts).
 */
export interface OwnTaskData {
  readonly classes: readonly string[];
  /** count × 784 bytes, 0 = paper, 255 = ink. */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

export interface Augmentation {
  /** Random shift of up to ± this many pixels (0 = off). */
  readonly shift: number;
  /** Random rotation of up to ± this many degrees (0 = off). */
  readonly rotate: number;
  /** Random scale of 1 ± this fraction (0 = off). */
  readonly scale: number;
}

export interface LabConfig {
  readonly preset: PresetName;
  /** Filled from the preset by the page; kept so a saved run knows its exact network. */
  readonly network: NetworkSpec;
  readonly optimizer: OptimizerSpec;
  /** Schedule 'decay': learning rate multiplied by this after every epoch (1 = constant). */
  readonly lrDecay: number;
  /** How the learning rate moves through the run (schedule.ts); undefined = 'decay'. */
  readonly lrSchedule?: LrSchedule;
  readonly batchSize: number;
  readonly epochs: number;
  readonly backend: BackendName;
  readonly augmentation: Augmentation;
  /** Train on only the first N training digits (the overfitting lesson); undefined = all 8,000. */
  readonly trainSubset?: number;
  readonly seed: number;
  /** Undefined: 'classify'. */
  readonly task?: LabTask;
  /** Task 'own' only: the reader's classes and examples. */
  readonly own?: OwnTaskData;
  /** The run began from an imported .onnx's weights (the `import` command), not the seed's. */
  readonly imported?: boolean;
}

/** Where a run stands; persisted with its checkpoint so a reload can resume. */
export interface LabProgress {
  readonly epoch: number; // completed epochs
  readonly step: number; // steps done in the current epoch
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  readonly seconds: number; // training time so far (excludes evaluation)
  readonly history: readonly HistoryPoint[];
}

export interface HistoryPoint {
  readonly step: number; // global step
  readonly epoch: number; // fractional epoch
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testAccuracy?: number; // at epoch ends
  readonly testLoss?: number;
  /**
   * At epoch ends (classifiers): accuracy on up to CLEAN_TRAIN_DIGITS of the run's training
   * digits, not augmented, dropout off. Absent in runs saved before it was measured.
   */
  readonly cleanTrainAccuracy?: number;
  readonly seconds: number;
}

export type LabState =
  | 'idle'
  | 'loading-data'
  | 'compiling'
  | 'training'
  | 'paused'
  | 'evaluating'
  | 'done'
  | 'stopped-nan'
  | 'error';

export type LabCommand =
  | { readonly kind: 'start'; readonly config: LabConfig }
  /**
   * While no run exists: load the data and ORT and run throwaway steps of `config`'s graph, so
   * the first epochs after Start run at full speed (lab-warm.ts); answered with `warmed`.
   */
  | { readonly kind: 'warm'; readonly config: LabConfig }
  /** Resume the saved run (IndexedDB) if there is one; answers with `restored` or `status` idle. */
  | { readonly kind: 'restore' }
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' }
  /** One training step, then pause. */
  | { readonly kind: 'step' }
  /** Back to the initial weights of the same seed (keeps the config). */
  | { readonly kind: 'reset' }
  /** Forget the saved run (IndexedDB) and stop. */
  | { readonly kind: 'clear' }
  /**
   * Checkpoint now if the run has progress not saved yet (answered with `saved`), else nothing;
   * training goes on. For pagehide / visibilitychange, so a reload loses at most about a second.
   */
  | { readonly kind: 'save' }
  /** Continue with the last good weights after a NaN, at a lower learning rate. */
  | { readonly kind: 'recover'; readonly lr: number }
  /**
   * Class probabilities of one image in [0, 1] (the drawing pad: 28×28; a scene: 64×64, answered
   * with the map [classes, h, w]), with the current net.
   */
  | { readonly kind: 'predict'; readonly id: number; readonly pixels: Float32Array }
  /** The current net as a standalone inference .onnx. */
  | { readonly kind: 'export'; readonly id: number }
  /**
   * A network exported as .onnx comes back: imported (src/onnx's importer), checked against what
   * `config` trains (its input and its number of classes), and held paused at step 0 with those
   * weights in place of the seed's, to be explained or trained on. Answered with `imported`, or
   * `import-failed` with the importer's message (the lab keeps what it had). Unless `replace`,
   * a run the reader trained here (held, or saved in this browser) is not replaced: the answer
   * is `import-confirm`, and the page asks before sending the import again with `replace`.
   */
  | {
      readonly kind: 'import';
      readonly id: number;
      readonly bytes: Uint8Array;
      readonly config: LabConfig;
      readonly replace?: boolean;
    }
  /**
   * The current net's parameters for a page widget (answered with `weights`): the net the lab
   * holds, or, when it holds none, its saved run read back without restoring it (no data, no
   * engines).
   */
  | { readonly kind: 'weights'; readonly id: number }
  /** Test hooks: destroy the WebGPU device, or make the next step's loss NaN. */
  | { readonly kind: 'debug'; readonly action: 'lose-device' | 'poison-lr' }
  /** Benchmark hook: wasm threads for the worker's ORT; only before ORT loads (then ignored). */
  | { readonly kind: 'debug'; readonly action: 'wasm-threads'; readonly threads: number };

/** One parameter tensor handed to the page: plain numbers, a copy the page may keep. */
export interface LabTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** What a `weights` request hands back: the network, its parameters, and where they came from. */
export interface LabWeights {
  readonly network: NetworkSpec;
  /** By parameter name (`0.kernel`, `0.bias`, …), in the network's order. */
  readonly params: Readonly<Record<string, LabTensor>>;
  readonly progress: LabProgress;
  /** `live`: the net the lab holds now; `saved`: its saved run (IndexedDB). */
  readonly source: 'live' | 'saved';
  /** Task 'own': the names of the classes, in output order. */
  readonly classes?: readonly string[];
  /** Task 'own': the run's held-out examples (count × 784 bytes) and their classes. */
  readonly heldOut?: { readonly images: Uint8Array; readonly labels: Uint8Array };
  /** The weights came from an imported .onnx (untrained here, yet not the seed's). */
  readonly imported?: boolean;
}

/** How a segmenter did on the held-out scenes (made from test digits only). */
export interface SegmentationEval {
  readonly scenes: number;
  readonly pixelAccuracy: number;
  readonly meanIou: number;
  /** IoU of each class 0–10 (10 = background); NaN where a class never occurs. */
  readonly perClassIou: readonly number[];
  /** mAP at IoU 0.5 of the boxes the detection head decodes to (detect-head.ts), after NMS. */
  readonly map: number;
  /** Each held-out scene's detections and true boxes, for the precision–recall slider. */
  readonly images: readonly ScoredImage[];
}

export interface Misclassified {
  readonly index: number; // in the test set
  readonly label: number;
  readonly predicted: number;
  readonly confidence: number;
  readonly pixels: Uint8Array; // 784, 0…255
}

export type LabEvent =
  | {
      readonly kind: 'status';
      readonly state: LabState;
      readonly backend: BackendName;
      /** Why this backend (e.g. software WebGPU adapter → wasm), and any fallback. */
      readonly backends: readonly BackendStatus[];
      readonly message?: string;
    }
  | { readonly kind: 'data-progress'; readonly loaded: number; readonly total: number }
  /** The answer to `warm`: throwaway steps run (0: nothing to warm, or a run came first). */
  | { readonly kind: 'warmed'; readonly steps: number; readonly seconds: number }
  | {
      readonly kind: 'progress';
      readonly progress: LabProgress;
      readonly lr: number;
      readonly imagesPerSecond: number;
    }
  | {
      readonly kind: 'eval';
      readonly epoch: number;
      readonly testAccuracy: number;
      readonly testLoss: number;
      /** Classifiers: the clean training accuracy (HistoryPoint.cleanTrainAccuracy). */
      readonly cleanTrainAccuracy?: number;
      /** 10×10 counts, row = true label, column = prediction (segment: 11×11 cell counts). */
      readonly confusion: readonly number[];
      readonly misclassified: readonly Misclassified[];
      /** Task 'segment' only: the held-out scenes' scores. */
      readonly segmentation?: SegmentationEval;
    }
  | {
      readonly kind: 'snapshot';
      /** First conv layer's kernels [filters, C, kh, kw]. */
      readonly filters: TensorMsg;
      /** One fixed test digit's first-layer feature maps [1, filters, h, w], and the digit. */
      readonly featureMaps: TensorMsg;
      readonly sample: { readonly pixels: Uint8Array; readonly label: number };
    }
  /** One step re-run on the reference engine from the same weights and batch: do both agree? */
  | {
      readonly kind: 'crosscheck';
      readonly backend: BackendName;
      readonly maxAbsError: number;
      readonly tolerance: number;
      readonly agree: boolean;
      readonly step: number;
    }
  | { readonly kind: 'notice'; readonly text: string }
  | {
      readonly kind: 'nan';
      readonly step: number;
      readonly lr: number;
      /** The last good weights are kept; `recover` continues from them. */
      readonly lastGoodStep: number;
      readonly message: string;
    }
  | { readonly kind: 'restored'; readonly config: LabConfig; readonly progress: LabProgress }
  | { readonly kind: 'saved'; readonly step: number }
  | { readonly kind: 'prediction'; readonly id: number; readonly probabilities: readonly number[] }
  | { readonly kind: 'exported'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly kind: 'imported'; readonly id: number; readonly network: NetworkSpec }
  | { readonly kind: 'import-failed'; readonly id: number; readonly message: string }
  /** An import would replace this run (`epoch` and `step` reached, its last test accuracy). */
  | {
      readonly kind: 'import-confirm';
      readonly id: number;
      readonly epoch: number;
      readonly step: number;
      readonly testAccuracy?: number;
    }
  /**
   * The answer to `weights`: null when there is no network (none held, none saved), with
   * `problem` when the saved run could not be read.
   */
  | {
      readonly kind: 'weights';
      readonly id: number;
      readonly weights: LabWeights | null;
      readonly problem?: string;
    }
  | { readonly kind: 'error'; readonly message: string };
