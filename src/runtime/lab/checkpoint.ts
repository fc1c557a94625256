/**
 * Saved runs: the config, the progress with its history, and the state (parameters and optimiser
 * slots as Float32Arrays), in IndexedDB, one record per lab: lesson 9's run (slot `current`, which
 * lesson 11 reads back) and lesson 10's experiment (its own slot), so neither overwrites the
 * other. The record
 * format is pure and checked on the way back in (`toRecord` / `fromRecord`); the IndexedDB calls
 * are a thin layer, one transaction per save, and every failure is reported, never thrown past
 * the lab (IndexedDB may be unavailable: private mode, a sandboxed frame).
 */
import type { LabConfig, LabProgress } from './protocol';
import { parseSavedRun } from './saved-run';

export const CHECKPOINT_VERSION = 1;
export const DB_NAME = 'convbook-lab';
const STORE = 'runs';
/** The slot of lesson 9's lab, the one later lessons read. */
export const DEFAULT_SLOT = 'current';
const WORKER_PREFIX = 'convbook-lab';

/** The lab worker's name for a slot: the worker learns its slot from `self.name`. */
export function labWorkerName(slot: string = DEFAULT_SLOT): string {
  return slot === DEFAULT_SLOT ? WORKER_PREFIX : `${WORKER_PREFIX}:${slot}`;
}

/** The slot a lab worker called `name` saves to (the inverse of labWorkerName). */
export function slotOfWorker(name: string): string {
  return name.startsWith(`${WORKER_PREFIX}:`) ? name.slice(WORKER_PREFIX.length + 1) : DEFAULT_SLOT;
}

export interface StateTensor {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

export interface Checkpoint {
  readonly config: LabConfig;
  readonly progress: LabProgress;
  /** Parameters and optimiser slots by input name (`0.kernel`, `0.kernel.velocity`, …). */
  readonly state: Readonly<Record<string, StateTensor>>;
  /** Learning rate in force when saved (after a `recover` it is not the schedule's). */
  readonly lr: number;
  /** Optimiser steps taken (Adam's t). */
  readonly optimizerSteps: number;
  readonly savedAt: number;
}

interface StoredRecord {
  readonly version: number;
  readonly config: LabConfig;
  readonly progress: LabProgress;
  readonly lr: number;
  readonly optimizerSteps: number;
  readonly savedAt: number;
  readonly tensors: readonly { name: string; dims: number[]; buffer: ArrayBuffer }[];
}

/** The stored form: plain data and one ArrayBuffer per tensor (copies; the caller's stay live). */
export function toRecord(c: Checkpoint): StoredRecord {
  return {
    version: CHECKPOINT_VERSION,
    config: c.config,
    progress: c.progress,
    lr: c.lr,
    optimizerSteps: c.optimizerSteps,
    savedAt: c.savedAt,
    tensors: Object.entries(c.state).map(([name, t]) => ({
      name,
      dims: [...t.dims],
      buffer: t.data.slice().buffer,
    })),
  };
}

/** Reads a stored record back; throws a RangeError saying what is wrong with a bad one. */
export function fromRecord(value: unknown): Checkpoint {
  const r = value as Partial<StoredRecord> | null;
  if (!r || typeof r !== 'object') throw new RangeError('saved run: not a record');
  if (r.version !== CHECKPOINT_VERSION)
    throw new RangeError(`saved run: version ${String(r.version)}, expected ${CHECKPOINT_VERSION}`);
  const { config, progress } = parseSavedRun(r);
  if (!Array.isArray(r.tensors)) throw new RangeError('saved run: tensors missing');
  if (typeof r.lr !== 'number' || typeof r.optimizerSteps !== 'number')
    throw new RangeError('saved run: lr or optimizerSteps missing');
  const state: Record<string, StateTensor> = {};
  for (const t of r.tensors as StoredRecord['tensors']) {
    if (!t || typeof t.name !== 'string' || !Array.isArray(t.dims))
      throw new RangeError('saved run: a tensor has no name or shape');
    if (!(t.buffer instanceof ArrayBuffer))
      throw new RangeError(`saved run: tensor ${t.name} has no data`);
    const data = new Float32Array(t.buffer.slice(0));
    const size = t.dims.reduce((a, b) => a * b, 1);
    if (data.length !== size)
      throw new RangeError(
        `saved run: tensor ${t.name} has ${data.length} values, its shape [${t.dims.join(', ')}] needs ${size}`,
      );
    state[t.name] = { dims: [...t.dims], data };
  }
  return {
    config,
    progress,
    state,
    lr: r.lr,
    optimizerSteps: r.optimizerSteps,
    savedAt: r.savedAt ?? 0,
  };
}

/** Where checkpoints go. */
export interface CheckpointStore {
  save(c: Checkpoint): Promise<void>;
  load(): Promise<Checkpoint | undefined>;
  clear(): Promise<void>;
}

/** A store in memory (tests, and the fallback when IndexedDB is unavailable). */
export function memoryStore(): CheckpointStore {
  let kept: StoredRecord | undefined;
  return {
    save: async (c) => void (kept = structuredClone(toRecord(c))),
    load: async () => (kept ? fromRecord(structuredClone(kept)) : undefined),
    clear: async () => void (kept = undefined),
  };
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** The IndexedDB store; rejects (with the reason) where IndexedDB cannot be opened. */
export async function indexedDbStore(
  factory: IDBFactory | undefined,
  slot: string = DEFAULT_SLOT,
): Promise<CheckpointStore> {
  if (!factory) throw new Error('this browser context has no IndexedDB');
  const open = factory.open(DB_NAME, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
  };
  const db = await request(open);
  return {
    async save(c) {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(toRecord(c), slot);
      await done(tx);
    },
    async load() {
      const tx = db.transaction(STORE, 'readonly');
      const value: unknown = await request(tx.objectStore(STORE).get(slot));
      return value === undefined ? undefined : fromRecord(value);
    },
    async clear() {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).delete(slot);
      await done(tx);
    },
  };
}
