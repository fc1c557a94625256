/**
 * The heart of the training lab: a pure reducer of the lab worker's events (protocol.ts) into what
 * the dashboard shows, plus what to announce to screen readers, which controls are enabled and the
 * root's data-* attributes. The widget's own actions (start, clear, recover…) are in widget.ts, the
 * figures' data in series.ts. No DOM; unit-tested with a fake lab.
 */
import type { BackendStatus } from '../../runtime/backends';
import type { BackendName } from '../../runtime/crosscheck';
import type {
  HistoryPoint,
  LabConfig,
  LabEvent,
  LabProgress,
  LabState,
  Misclassified,
} from '../../runtime/lab/protocol';
import type { TensorMsg } from '../../runtime/protocol';

export interface EvalPoint {
  readonly epoch: number;
  readonly testAccuracy: number;
  readonly testLoss: number;
  /** The training digits scored clean (no augmentation, dropout off); absent in older runs. */
  readonly cleanTrainAccuracy?: number;
}

export interface LabUi {
  readonly state: LabState;
  readonly backend: BackendName | undefined;
  readonly backends: readonly BackendStatus[];
  readonly statusMessage: string | undefined;
  readonly data: { readonly loaded: number; readonly total: number } | undefined;
  readonly progress: LabProgress | undefined;
  readonly lr: number | undefined;
  readonly imagesPerSecond: number | undefined;
  readonly evals: readonly EvalPoint[];
  readonly confusion: readonly number[] | undefined;
  readonly misclassified: readonly Misclassified[];
  readonly snapshot:
    | {
        readonly filters: TensorMsg;
        readonly featureMaps: TensorMsg;
        readonly sample: { readonly pixels: Uint8Array; readonly label: number };
      }
    | undefined;
  readonly crosscheck:
    | {
        readonly backend: BackendName;
        readonly maxAbsError: number;
        readonly tolerance: number;
        readonly agree: boolean;
        readonly step: number;
      }
    | undefined;
  readonly notice: string | undefined;
  readonly nan:
    | {
        readonly step: number;
        readonly lr: number;
        readonly lastGoodStep: number;
        readonly message: string;
      }
    | undefined;
  /** A saved run found on load, offered to the reader. */
  readonly restored: { readonly config: LabConfig; readonly progress: LabProgress } | undefined;
  readonly error: string | undefined;
  readonly savedStep: number | undefined;
  /** The worker holds a network (trained or not): predict and export make sense. */
  readonly hasNet: boolean;
}

export const INITIAL_UI: LabUi = {
  state: 'idle',
  backend: undefined,
  backends: [],
  statusMessage: undefined,
  data: undefined,
  progress: undefined,
  lr: undefined,
  imagesPerSecond: undefined,
  evals: [],
  confusion: undefined,
  misclassified: [],
  snapshot: undefined,
  crosscheck: undefined,
  notice: undefined,
  nan: undefined,
  restored: undefined,
  error: undefined,
  savedStep: undefined,
  hasNet: false,
};

/** A new run (start, reset, start over): the previous run's results go. */
export function clearRun(ui: LabUi): LabUi {
  return {
    ...INITIAL_UI,
    state: ui.state,
    backend: ui.backend,
    backends: ui.backends,
    data: ui.data,
  };
}

/** Evaluations rebuilt from a restored history (test accuracy sits on epoch-end points). */
export function evalsFromHistory(history: readonly HistoryPoint[]): EvalPoint[] {
  const out: EvalPoint[] = [];
  for (const h of history)
    if (h.testAccuracy !== undefined)
      out.push({
        epoch: h.epoch,
        testAccuracy: h.testAccuracy,
        testLoss: h.testLoss ?? Number.NaN,
        ...(h.cleanTrainAccuracy === undefined ? {} : { cleanTrainAccuracy: h.cleanTrainAccuracy }),
      });
  return out;
}

export function reduce(ui: LabUi, e: LabEvent): LabUi {
  switch (e.kind) {
    case 'status': {
      const next: LabUi = {
        ...ui,
        state: e.state,
        backend: e.backend,
        backends: e.backends,
        statusMessage: e.message,
      };
      if (e.state === 'training')
        return { ...next, nan: undefined, error: undefined, hasNet: true };
      if (e.state === 'paused' || e.state === 'done') return { ...next, hasNet: true };
      if (e.state === 'error')
        return { ...next, error: e.message ?? ui.error ?? 'The lab failed.' };
      return next;
    }
    case 'data-progress':
      return { ...ui, data: { loaded: e.loaded, total: e.total } };
    case 'warmed':
      return ui; // the warm-up is invisible: Start simply runs at full speed sooner
    case 'progress': {
      // A step counter that went back means a reset or a new run: drop the old run's results.
      const prev = ui.progress;
      const back =
        prev !== undefined &&
        e.progress.epoch * e.progress.stepsPerEpoch + e.progress.step <
          prev.epoch * prev.stepsPerEpoch + prev.step;
      const base = back ? { ...clearRun(ui), state: ui.state, notice: ui.notice } : ui;
      return {
        ...base,
        progress: e.progress,
        lr: e.lr,
        imagesPerSecond: e.imagesPerSecond,
        hasNet: true,
        evals: back ? evalsFromHistory(e.progress.history) : base.evals,
      };
    }
    case 'eval': {
      const evals = ui.evals.filter((p) => p.epoch !== e.epoch);
      evals.push({
        epoch: e.epoch,
        testAccuracy: e.testAccuracy,
        testLoss: e.testLoss,
        ...(e.cleanTrainAccuracy === undefined ? {} : { cleanTrainAccuracy: e.cleanTrainAccuracy }),
      });
      evals.sort((a, b) => a.epoch - b.epoch);
      return { ...ui, evals, confusion: e.confusion, misclassified: e.misclassified };
    }
    case 'snapshot':
      return {
        ...ui,
        snapshot: { filters: e.filters, featureMaps: e.featureMaps, sample: e.sample },
      };
    case 'crosscheck':
      return {
        ...ui,
        crosscheck: {
          backend: e.backend,
          maxAbsError: e.maxAbsError,
          tolerance: e.tolerance,
          agree: e.agree,
          step: e.step,
        },
      };
    case 'notice':
      return { ...ui, notice: e.text };
    case 'nan':
      return {
        ...ui,
        nan: { step: e.step, lr: e.lr, lastGoodStep: e.lastGoodStep, message: e.message },
      };
    case 'restored':
      return {
        ...ui,
        restored: { config: e.config, progress: e.progress },
        progress: e.progress,
        evals: evalsFromHistory(e.progress.history),
        hasNet: true,
      };
    case 'saved':
      return { ...ui, savedStep: e.step };
    case 'error':
      return { ...ui, error: e.message };
    case 'prediction':
    case 'exported':
    case 'imported':
    case 'import-failed':
    case 'import-confirm':
    case 'weights':
      return ui;
  }
}

export function percent(x: number, decimals = 1): string {
  return `${(x * 100).toFixed(decimals)}%`;
}

const STATE_WORDS: Readonly<Record<LabState, string>> = {
  idle: 'Ready',
  'loading-data': 'Loading the digits',
  compiling: 'Preparing the network',
  training: 'Training',
  paused: 'Paused',
  evaluating: 'Testing on the held-out digits',
  done: 'Finished',
  'stopped-nan': 'Stopped: the loss became NaN',
  error: 'Stopped by an error',
};
export function stateWords(s: LabState): string {
  return STATE_WORDS[s];
}

/**
 * What the aria-live region says after this event: state changes and epoch ends, never every
 * step. Undefined = say nothing.
 */
export function announcement(
  prev: LabUi,
  next: LabUi,
  e: LabEvent,
  totalEpochs?: number,
): string | undefined {
  switch (e.kind) {
    case 'status':
      if (prev.state === next.state) return undefined;
      if (next.state === 'done') {
        const last = next.evals.at(-1);
        return `Training finished${last ? `: test accuracy ${percent(last.testAccuracy)}` : ''}.`;
      }
      if (next.state === 'training' && next.backend)
        return `Training on ${backendWords(next.backend)}.`;
      return `${stateWords(next.state)}.`;
    case 'eval': {
      return `Epoch ${e.epoch}${totalEpochs ? ` of ${totalEpochs}` : ''} done: test accuracy ${percent(e.testAccuracy)}.`;
    }
    case 'nan':
      return `The loss became NaN at step ${e.step}. The last good weights, from step ${e.lastGoodStep}, are kept.`;
    case 'notice':
      return e.text;
    case 'error':
      return `Error: ${e.message}`;
    case 'restored':
      return `Found your saved run at epoch ${e.progress.epoch}.`;
    default:
      return undefined;
  }
}

export function backendWords(b: BackendName): string {
  return { webgpu: 'WebGPU', wasm: 'WebAssembly', reference: 'the reference engine' }[b];
}

export interface Controls {
  readonly start: boolean;
  readonly pause: boolean;
  readonly resume: boolean;
  readonly step: boolean;
  readonly reset: boolean;
  readonly clear: boolean;
  readonly export: boolean;
}

const BUSY: ReadonlySet<LabState> = new Set([
  'loading-data',
  'compiling',
  'training',
  'evaluating',
]);

export function isBusy(s: LabState): boolean {
  return BUSY.has(s);
}

/** Which buttons are enabled in this state (start also needs valid settings: the view checks). */
export function controls(ui: LabUi): Controls {
  const busy = BUSY.has(ui.state);
  return {
    start: !busy,
    pause: busy,
    resume: ui.state === 'paused' && ui.nan === undefined,
    step: ui.state === 'paused' && ui.nan === undefined,
    reset: ui.hasNet && !busy,
    clear: true,
    export: ui.hasNet && !busy && ui.nan === undefined,
  };
}

/** The root element's data-* attributes, for tests and styling. */
export function rootData(ui: LabUi): Record<string, string | undefined> {
  const last = ui.progress?.history.at(-1);
  const testAcc = ui.evals.at(-1)?.testAccuracy;
  const cleanAcc = ui.evals.at(-1)?.cleanTrainAccuracy;
  return {
    state: ui.state,
    epoch: ui.progress ? String(ui.progress.epoch) : undefined,
    step: ui.progress
      ? String(ui.progress.epoch * ui.progress.stepsPerEpoch + ui.progress.step)
      : undefined,
    seconds: ui.progress ? ui.progress.seconds.toFixed(2) : undefined,
    trainLoss: last ? String(last.trainLoss) : undefined,
    testAccuracy: testAcc === undefined ? undefined : String(testAcc),
    cleanTrainAccuracy: cleanAcc === undefined ? undefined : String(cleanAcc),
    evalEpoch: ui.evals.length ? String(ui.evals.at(-1)!.epoch) : undefined,
    imagesPerSecond:
      ui.imagesPerSecond === undefined ? undefined : String(Math.round(ui.imagesPerSecond)),
    backend: ui.crosscheck?.backend ?? ui.backend,
    agree: ui.crosscheck ? String(ui.crosscheck.agree) : undefined,
    maxAbsError: ui.crosscheck ? String(ui.crosscheck.maxAbsError) : undefined,
    nan: ui.nan ? 'true' : undefined,
    nanLr: ui.nan ? String(ui.nan.lr) : undefined,
    savedStep: ui.savedStep === undefined ? undefined : String(ui.savedStep),
  };
}
