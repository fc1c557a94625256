/**
 * One lab worker per page, shared by every widget on it (the training lab and the drawing pad
 * below it talk to the same network). The worker's client (src/runtime/lab/client.ts) is loaded
 * lazily, when the first widget needs it.
 */
import type { BackendName } from '../../runtime/crosscheck';
import type { LabCommand, LabEvent } from '../../runtime/lab/protocol';

/** The part of `createLab()`'s result the widgets use. */
export interface Lab {
  send(cmd: LabCommand): void;
  on(listener: (e: LabEvent) => void): unknown;
  terminate(): void;
}

let shared: Promise<Lab> | undefined;

/**
 * What every widget on the page may need to know even if it started listening late (the drawing
 * pad wakes up when scrolled to, possibly after training finished).
 */
export interface LabFacts {
  /** The worker holds a network (a run was started or restored). */
  hasNet: boolean;
  /** At least one training step was taken. */
  trained: boolean;
  /** The engine the lab computes on, from its last status event (unknown before the first). */
  backend?: BackendName;
}
export const labFacts: LabFacts = { hasNet: false, trained: false };

/** Updates the facts from one event (pure apart from the object it updates). */
export function trackFacts(facts: LabFacts, e: LabEvent): void {
  if (e.kind === 'imported') {
    // A network loaded back from its .onnx: trained elsewhere, though at step 0 here.
    facts.hasNet = true;
    facts.trained = true;
  } else if (e.kind === 'progress' || e.kind === 'restored') {
    facts.hasNet = true;
    facts.trained ||=
      e.progress.epoch > 0 || e.progress.step > 0 || (e.kind === 'restored' && !!e.config.imported);
  } else if (e.kind === 'status') {
    facts.backend = e.backend;
    if (e.state === 'training' || e.state === 'paused' || e.state === 'done') facts.hasNet = true;
    if (e.state === 'idle') {
      facts.hasNet = false;
      facts.trained = false;
    }
  }
}

/**
 * The slot a page's lab saves to when no caller names one: a widget root's `data-lab-slot`
 * (lesson 15's own-class figure says "own", so the whole-network figure beside it shows that
 * run), else lesson 9's.
 */
function pageSlot(): string | undefined {
  return document.querySelector<HTMLElement>('[data-lab-slot]')?.dataset.labSlot;
}

/** The page's lab; `slot` (from the first caller) is where it saves its run (see checkpoint.ts). */
export function getSharedLab(slot?: string): Promise<Lab> {
  shared ??= (async () => {
    const { createLab } = await import('../../runtime/lab/client');
    const lab: Lab = createLab(slot ?? pageSlot());
    lab.on((e) => trackFacts(labFacts, e));
    // The worker saves about once a second while it trains; when the page goes out of sight or
    // away (a reload, a closed tab) it also saves what it has now (a no-op when nothing is new).
    const save = () => lab.send({ kind: 'save' });
    addEventListener('pagehide', save);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') save();
    });
    return lab;
  })();
  return shared;
}

/** Ids for predict/export requests, unique across the page's widgets. */
let nextId = 1;
export function requestId(): number {
  return nextId++;
}

/** The lab's answer to a `weights` request: its net's parameters, or null with why. */
export type WeightsReply = Extract<LabEvent, { kind: 'weights' }>;

/**
 * The lab's current network (or, when it holds none, its saved run) as plain Float32Arrays, for a
 * widget that computes with the reader's trained weights. Rejects if the lab reports an error
 * before answering.
 */
export function requestWeights(lab: Lab): Promise<WeightsReply> {
  const id = requestId();
  return new Promise((resolve, reject) => {
    const done = () => {
      if (typeof off === 'function') (off as () => void)();
    };
    const off: unknown = lab.on((e) => {
      if (e.kind === 'weights' && e.id === id) {
        done();
        resolve(e);
      } else if (e.kind === 'error') {
        done();
        reject(new Error(e.message));
      }
    });
    lab.send({ kind: 'weights', id });
  });
}
