/**
 * own-data (lesson 15), pure: the reader's classes and examples (src/data/own.ts), the class new
 * examples go to, the lab's run as its events tell it, the trained network the page explains,
 * the drawing it explains, and the one message the last thing the reader did earned. The config
 * the lab trains, and the batch both engines compute: the held-out examples, the drawing, and the
 * drawing once per occluded patch.
 */
import type { NetworkSpec, Params } from '../../cnn/index.ts';
import {
  addClass,
  addExample,
  EMPTY_DATASET,
  exampleCount,
  readiness,
  removeClass,
  removeExample,
  renameClass,
  pack,
  unpack,
} from '../../data/own.ts';
import type { Edit, OwnDataset } from '../../data/own.ts';
import type { LabConfig, LabEvent, LabProgress, LabState } from '../../runtime/lab/protocol';
import type { BackendName } from '../../runtime/crosscheck';
import { occludedBatch, occlusionGrid, SIDE } from '../shared/explain';
import type { OcclusionSettings } from '../shared/explain';

/** The own-class runs' save slot: lesson 9's run is never touched. */
export const OWN_SLOT = 'own';
export const OCCLUSION: OcclusionSettings = { size: 8, stride: 4 };
export const PIXELS = SIDE * SIDE;

/** The tutorial net of lessons 9–11 with one score per class of the reader's. */
export function ownNetwork(classes: number): NetworkSpec {
  return {
    name: `own${classes}`,
    inputShape: [1, 28, 28],
    layers: [
      { type: 'conv2d', filters: 8, kernelShape: [5, 5], strides: [1, 1], pads: 'valid' },
      { type: 'relu' },
      { type: 'maxPool2d', kernelShape: [2, 2], strides: [2, 2] },
      { type: 'conv2d', filters: 16, kernelShape: [5, 5], strides: [1, 1], pads: 'valid' },
      { type: 'relu' },
      { type: 'maxPool2d', kernelShape: [2, 2], strides: [2, 2] },
      { type: 'flatten' },
      { type: 'dense', units: classes },
    ],
  };
}

/** What the lab trains: augmentation on (so few examples), Adam, a fixed seed. */
export function ownConfig(d: OwnDataset, backend: BackendName, epochs: number): LabConfig {
  return {
    preset: 'own',
    task: 'own',
    network: ownNetwork(d.classes.length),
    optimizer: { type: 'adam', lr: 0.003 },
    lrDecay: 0.95,
    batchSize: 32,
    epochs,
    backend,
    augmentation: { shift: 2, rotate: 12, scale: 0.1 },
    seed: 15,
    own: pack(d),
  };
}

export interface OwnNet {
  readonly id: number;
  readonly spec: NetworkSpec;
  readonly params: Params;
  readonly classes: readonly string[];
  /** The run's held-out examples (count × 784 bytes) and their classes. */
  readonly heldOut: { readonly images: Uint8Array; readonly labels: Uint8Array };
  readonly about: string;
}

export interface Message {
  readonly text: string;
  readonly tone: 'error' | 'info';
}

export interface OwnState {
  readonly dataset: OwnDataset;
  /** The class a new example goes to. */
  readonly selected: number;
  readonly message?: Message;
  readonly lab: LabState;
  readonly progress?: LabProgress;
  readonly lastEval?: { readonly epoch: number; readonly accuracy: number };
  readonly net?: OwnNet;
  /** The drawing on the pad (28 × 28 in [0, 1]), with an id per stroke. */
  readonly drawing?: { readonly id: number; readonly pixels: Float32Array };
  readonly epochs: number;
}

export const initialOwn = (epochs: number): OwnState => ({
  dataset: EMPTY_DATASET,
  selected: 0,
  lab: 'idle',
  epochs,
});

export type OwnAction =
  | { readonly kind: 'add-class'; readonly name: string }
  | { readonly kind: 'rename'; readonly index: number; readonly name: string }
  | { readonly kind: 'remove-class'; readonly index: number }
  | { readonly kind: 'select'; readonly index: number }
  | { readonly kind: 'add-example'; readonly pixels: Float32Array }
  | { readonly kind: 'remove-example'; readonly index: number; readonly example: number }
  /** Examples read back (the store, an archive, the saved run): `text` says from where. */
  | { readonly kind: 'loaded'; readonly dataset: OwnDataset; readonly text?: string }
  | { readonly kind: 'message'; readonly text: string; readonly tone: Message['tone'] }
  | { readonly kind: 'lab'; readonly event: LabEvent }
  | { readonly kind: 'net'; readonly net: OwnNet | undefined }
  | { readonly kind: 'drawing'; readonly id: number; readonly pixels: Float32Array | undefined };

function edited(s: OwnState, e: Edit, text: string, selected = s.selected): OwnState {
  if (!e.ok) return { ...s, message: { text: e.error, tone: 'error' } };
  const last = Math.max(0, e.dataset.classes.length - 1);
  return {
    ...s,
    dataset: e.dataset,
    selected: Math.min(selected, last),
    message: { text, tone: 'info' },
  };
}

function labEvent(s: OwnState, e: LabEvent): OwnState {
  switch (e.kind) {
    case 'status':
      return {
        ...s,
        lab: e.state,
        ...(e.state === 'error' && e.message
          ? { message: { text: `Training stopped: ${e.message}`, tone: 'error' as const } }
          : {}),
      };
    case 'progress':
      return { ...s, progress: e.progress };
    case 'eval':
      return { ...s, lastEval: { epoch: e.epoch, accuracy: e.testAccuracy } };
    case 'restored': {
      const own = e.config.own;
      // The saved run carries its examples: with none on the page, they come back from it.
      const adopt = own && s.dataset.classes.length === 0;
      return {
        ...s,
        progress: e.progress,
        ...(adopt ? { dataset: unpack(own), selected: 0 } : {}),
      };
    }
    case 'notice':
      return { ...s, message: { text: e.text, tone: 'info' } };
    case 'nan':
      return { ...s, message: { text: e.message, tone: 'error' } };
    case 'import-failed':
      return {
        ...s,
        message: { text: `That network could not be loaded: ${e.message}.`, tone: 'error' },
      };
    case 'imported':
      return {
        ...s,
        message: {
          text: 'Your network is loaded back: it predicts, and Train goes on from its weights.',
          tone: 'info',
        },
      };
    default:
      return s;
  }
}

export function reduce(s: OwnState, a: OwnAction): OwnState {
  const d = s.dataset;
  switch (a.kind) {
    case 'add-class':
      return edited(
        s,
        addClass(d, a.name),
        `Added the class “${a.name.trim()}”.`,
        d.classes.length,
      );
    case 'rename':
      return edited(s, renameClass(d, a.index, a.name), `Renamed to “${a.name.trim()}”.`);
    case 'remove-class':
      return edited(
        s,
        removeClass(d, a.index),
        `Removed “${d.classes[a.index]?.name ?? ''}” and its examples.`,
      );
    case 'select':
      return a.index >= 0 && a.index < d.classes.length ? { ...s, selected: a.index } : s;
    case 'add-example': {
      const c = d.classes[s.selected];
      if (!c) return { ...s, message: { text: 'Name a class first.', tone: 'error' } };
      return edited(
        s,
        addExample(d, s.selected, a.pixels),
        `Added example ${c.examples.length} to “${c.name}”.`,
      );
    }
    case 'remove-example':
      return edited(s, removeExample(d, a.index, a.example), 'Removed that example.');
    case 'loaded':
      return {
        ...s,
        dataset: a.dataset,
        selected: 0,
        ...(a.text ? { message: { text: a.text, tone: 'info' as const } } : {}),
      };
    case 'message':
      return { ...s, message: { text: a.text, tone: a.tone } };
    case 'lab':
      return labEvent(s, a.event);
    case 'net':
      return { ...s, net: a.net };
    case 'drawing':
      return { ...s, drawing: a.pixels ? { id: a.id, pixels: a.pixels } : undefined };
  }
}

/** What Train would say: why not yet, or null when it can start. */
export const trainProblem = (s: OwnState): string | null => readiness(s.dataset);

export function runStatus(s: OwnState): string {
  const n = exampleCount(s.dataset);
  const have = `${s.dataset.classes.length} classes, ${n} example${n === 1 ? '' : 's'}`;
  const p = s.progress;
  const at = p ? `epoch ${p.epoch} of ${Math.round(p.totalSteps / p.stepsPerEpoch)}` : '';
  const acc = s.lastEval
    ? `; ${(s.lastEval.accuracy * 100).toFixed(0)}% of the held-out examples right after epoch ${s.lastEval.epoch}`
    : '';
  switch (s.lab) {
    case 'training':
    case 'evaluating':
      return `Training (${have}): ${at}${acc}.`;
    case 'loading-data':
    case 'compiling':
      return `Preparing the network (${have})…`;
    case 'paused':
      return `Paused at ${at || 'the start'}${acc}.`;
    case 'done':
      return `Trained: ${at}${acc}.`;
    default:
      return `You have ${have}.`;
  }
}

// ---------------------------------------------------------------- the batch both engines compute

/** [held-out | drawing | the drawing once per occluded patch]: where each part starts. */
export interface BatchLayout {
  readonly heldOut: number;
  /** The drawing's row (−1 without one). */
  readonly drawing: number;
  readonly occluded: number;
  readonly total: number;
}

export function layoutOf(net: OwnNet, drawing: boolean): BatchLayout {
  const heldOut = net.heldOut.labels.length;
  const occluded = drawing ? occlusionGrid(OCCLUSION).positions.length : 0;
  return {
    heldOut,
    drawing: drawing ? heldOut : -1,
    occluded,
    total: heldOut + (drawing ? 1 + occluded : 0),
  };
}

/** The images of the batch, [total · 784] in [0, 1]. */
export function batchImages(
  net: OwnNet,
  drawing: Float32Array | undefined,
  l: BatchLayout,
): Float32Array {
  const out = new Float32Array(l.total * PIXELS);
  for (let i = 0; i < l.heldOut * PIXELS; i++) out[i] = net.heldOut.images[i]! / 255;
  if (drawing) {
    out.set(drawing, l.heldOut * PIXELS);
    out.set(occludedBatch(drawing, OCCLUSION), (l.heldOut + 1) * PIXELS);
  }
  return out;
}

/** Confusion counts [true · K + predicted] from the held-out rows' probabilities. */
export function confusionOf(probs: Float32Array, labels: Uint8Array, classes: number): number[] {
  const out = new Array<number>(classes * classes).fill(0);
  labels.forEach((label, n) => {
    let best = 0;
    for (let k = 1; k < classes; k++)
      if (probs[n * classes + k]! > probs[n * classes + best]!) best = k;
    out[label * classes + best]! += 1;
  });
  return out;
}

export const accuracyOf = (confusion: readonly number[], classes: number): number => {
  const total = confusion.reduce((a, b) => a + b, 0);
  let right = 0;
  for (let k = 0; k < classes; k++) right += confusion[k * classes + k]!;
  return total ? right / total : 0;
};
