/**
 * The page's handle on the lab worker, created on the first command (never at page load).
 */
import { labWorkerName } from './checkpoint';
import type { LabCommand, LabEvent } from './protocol';

export type LabListener = (event: LabEvent) => void;

export interface LabClient {
  send(cmd: LabCommand): void;
  /** Adds a listener; returns a function that removes it. */
  on(listener: LabListener): () => void;
  /** Stops the worker (training with it); the next send starts a fresh one. */
  terminate(): void;
}

/** `slot`: where the worker keeps its saved run (checkpoint.ts); lesson 9's by default. */
export function createLab(slot?: string): LabClient {
  let worker: Worker | undefined;
  const listeners = new Set<LabListener>();
  const dispatch = (event: LabEvent) => {
    for (const l of listeners) l(event);
  };
  const getWorker = (): Worker => {
    if (!worker) {
      worker = new Worker(new URL('./lab.worker.ts', import.meta.url), {
        type: 'module',
        name: labWorkerName(slot),
      });
      worker.onmessage = (e: MessageEvent<LabEvent>) => dispatch(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        dispatch({
          kind: 'error',
          message: `the training lab's worker stopped: ${e.message || 'it could not be loaded'}`,
        });
        worker?.terminate();
        worker = undefined;
      };
    }
    return worker;
  };
  return {
    send(cmd) {
      getWorker().postMessage(cmd);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    terminate() {
      worker?.terminate();
      worker = undefined;
    },
  };
}
