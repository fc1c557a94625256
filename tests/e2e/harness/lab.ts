/**
 * The training lab's worker driven from Playwright: one lab per page (createLab, the page-side
 * client the widget uses), every event recorded, and compact summaries handed back to the test.
 */
import { createLab } from '../../../src/runtime/lab/client';
import type { LabClient } from '../../../src/runtime/lab/client';
import type { LabCommand, LabConfig, LabEvent } from '../../../src/runtime/lab/protocol';
import { mnistTutorialNet, tinyNet } from '../../../src/cnn/index';

let lab: LabClient | undefined;
const events: LabEvent[] = [];
/** When each event arrived, and when the last `start` was sent (performance.now(), ms). */
const arrived: number[] = [];
let startedAt = 0;

/** What a test needs to know of an event (progress without its whole history, no pixels). */
function summary(e: LabEvent): Record<string, unknown> {
  switch (e.kind) {
    case 'progress': {
      const p = e.progress;
      const last = p.history[p.history.length - 1];
      return {
        kind: e.kind,
        step: p.epoch * p.stepsPerEpoch + p.step,
        epoch: p.epoch,
        seconds: p.seconds,
        lr: e.lr,
        imagesPerSecond: e.imagesPerSecond,
        trainLoss: last?.trainLoss ?? null,
        firstLoss: p.history[0]?.trainLoss ?? null,
        points: p.history.length,
      };
    }
    case 'eval':
      return {
        kind: e.kind,
        epoch: e.epoch,
        testAccuracy: e.testAccuracy,
        testLoss: e.testLoss,
        confusionTotal: e.confusion.reduce((a, b) => a + b, 0),
        misclassified: e.misclassified.length,
        // lesson 12's scores (the bench's scenes row), without the 500 scenes' detections
        ...(e.segmentation
          ? {
              segmentation: {
                meanIou: e.segmentation.meanIou,
                map: e.segmentation.map,
                pixelAccuracy: e.segmentation.pixelAccuracy,
              },
            }
          : {}),
      };
    case 'snapshot':
      return { kind: e.kind, filters: e.filters.dims, featureMaps: e.featureMaps.dims };
    case 'exported':
      return { kind: e.kind, id: e.id, bytes: e.bytes.length };
    case 'restored':
      return {
        kind: e.kind,
        config: e.config,
        step: e.progress.epoch * e.progress.stepsPerEpoch + e.progress.step,
        epoch: e.progress.epoch,
        history: e.progress.history.length,
      };
    case 'status':
      return {
        kind: e.kind,
        state: e.state,
        backend: e.backend,
        backends: e.backends.map(
          (b) => `${b.name}:${b.available}:${b.recommended}:${b.reason ?? ''}`,
        ),
        message: e.message,
      };
    default:
      return e as unknown as Record<string, unknown>;
  }
}

/** A fresh lab worker; `slot` picks its saved run (lesson 9's by default). */
export function labOpen(slot?: string): void {
  lab?.terminate();
  events.length = 0;
  arrived.length = 0;
  lab = createLab(slot);
  lab.on((e) => {
    events.push(e);
    arrived.push(performance.now());
  });
}

export function labSend(cmd: LabCommand | { kind: 'predict'; id: number; pixels: number[] }): void {
  if (!lab) labOpen();
  const c =
    cmd.kind === 'predict'
      ? { ...cmd, pixels: Float32Array.from(cmd.pixels) }
      : (cmd as LabCommand);
  if (c.kind === 'start') startedAt = performance.now();
  lab!.send(c);
}

export interface LabCondition {
  readonly kind: LabEvent['kind'];
  readonly state?: string;
  readonly minStep?: number;
  readonly minAccuracy?: number;
  readonly text?: string;
  /** Only events at this index or later count (labEventCount() before sending a command). */
  readonly after?: number;
}

function matches(e: LabEvent, c: LabCondition): boolean {
  if (e.kind !== c.kind) return false;
  if (c.state !== undefined && (e.kind !== 'status' || e.state !== c.state)) return false;
  if (c.minStep !== undefined) {
    if (e.kind !== 'progress') return false;
    if (e.progress.epoch * e.progress.stepsPerEpoch + e.progress.step < c.minStep) return false;
  }
  if (c.minAccuracy !== undefined && (e.kind !== 'eval' || e.testAccuracy < c.minAccuracy))
    return false;
  if (c.text !== undefined && (e.kind !== 'notice' || !e.text.includes(c.text))) return false;
  return true;
}

/**
 * Waits for the first event matching any condition (an `error` event or 'done'/'stopped-nan'
 * status ends the wait too unless asked for); returns its summary and index, or null on timeout.
 */
export async function labWait(
  conditions: readonly LabCondition[],
  timeoutMs = 60_000,
): Promise<{ index: number; event: Record<string, unknown> } | null> {
  const t0 = performance.now();
  let from = 0;
  for (;;) {
    for (let i = from; i < events.length; i++) {
      const e = events[i]!;
      if (conditions.some((c) => i >= (c.after ?? 0) && matches(e, c)))
        return { index: i, event: summary(e) };
      if (e.kind === 'error') return { index: i, event: summary(e) };
    }
    from = events.length;
    if (performance.now() - t0 > timeoutMs) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Summaries of recorded events of some kinds (all when omitted), from index `from` on. */
export function labEvents(
  kinds?: readonly LabEvent['kind'][],
  from = 0,
): (Record<string, unknown> & { index: number })[] {
  return (
    events
      .map((e, i) => ({ e, i }))
      .filter(({ e, i }) => i >= from && (!kinds || kinds.includes(e.kind)))
      // wallMs: milliseconds from the last Start to this event, as a reader's clock sees it
      .map(({ e, i }) => ({ index: i, wallMs: arrived[i]! - startedAt, ...summary(e) }))
  );
}

export function labEventCount(): number {
  return events.length;
}

const NETS = { tutorial: mnistTutorialNet, small: tinyNet } as const;

/** A LabConfig: the default SGD preset, overridden by `over` (network from `preset`). */
export function labConfig(over: Partial<LabConfig> & { preset?: 'tutorial' | 'small' } = {}) {
  const preset = over.preset ?? 'tutorial';
  const config: LabConfig = {
    preset,
    network: NETS[preset],
    optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 },
    lrDecay: 0.87,
    batchSize: 64,
    epochs: 15,
    backend: 'wasm',
    augmentation: { shift: 2, rotate: 0, scale: 0 },
    seed: 1,
    ...over,
  };
  return config;
}

/**
 * Starts a run and waits until `untilSteps` steps, a test accuracy of `untilAccuracy`, the end
 * of the run, a NaN or an error; then pauses it. Returns the events' summaries.
 */
export async function labRun(
  config: LabConfig,
  opts: {
    untilSteps?: number;
    untilAccuracy?: number;
    timeoutMs?: number;
    threads?: number;
    /** Warm up first, as a reader's lab does while its page is read (lab-warm.ts). */
    warm?: boolean;
  } = {},
) {
  labOpen();
  if (opts.threads !== undefined)
    labSend({ kind: 'debug', action: 'wasm-threads', threads: opts.threads });
  if (opts.warm) {
    labSend({ kind: 'warm', config });
    await labWait([{ kind: 'warmed' }], opts.timeoutMs ?? 120_000);
  }
  labSend({ kind: 'start', config });
  const conditions: LabCondition[] = [
    { kind: 'status', state: 'done' },
    { kind: 'status', state: 'stopped-nan' },
  ];
  if (opts.untilSteps !== undefined)
    conditions.push({ kind: 'progress', minStep: opts.untilSteps });
  if (opts.untilAccuracy !== undefined)
    conditions.push({ kind: 'eval', minAccuracy: opts.untilAccuracy });
  const reached = await labWait(conditions, opts.timeoutMs ?? 120_000);
  labSend({ kind: 'pause' });
  return { reached, events: labEvents() };
}
