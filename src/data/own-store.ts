/**
 * Where the reader's own examples are kept between visits: one record in IndexedDB (the archive
 * of own.ts, so what is saved is exactly what is exported), under a size limit. Every failure —
 * no IndexedDB, a full quota, a record that does not read — becomes a StoreError with a sentence
 * for the page, and the examples on the page are never touched by a failed save.
 */
import { fromArchive, toArchive } from './own.ts';
import type { OwnDataset } from './own.ts';

export const OWN_DB = 'convbook-own';
const STORE = 'datasets';
const KEY = 'examples';
/** The most the store keeps (the archive's characters). A full dataset of 5 × 60 is ~314 KB. */
export const MAX_STORED_CHARS = 512 * 1024;

/** The little of a key-value store this needs: IndexedDB in the page, a Map in tests. */
export interface KeyValue {
  get(key: string): Promise<unknown>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export class StoreError extends Error {}

const KEPT = 'Your examples are still here on the page: export them to a file to keep them.';

function isQuota(error: unknown): boolean {
  const name = (error as { name?: unknown })?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

export interface OwnStore {
  /** The saved examples, or null when none are saved. */
  load(): Promise<OwnDataset | null>;
  save(d: OwnDataset): Promise<void>;
  clear(): Promise<void>;
}

export function ownStore(kv: KeyValue, maxChars = MAX_STORED_CHARS): OwnStore {
  return {
    async load() {
      const raw = await kv.get(KEY);
      if (raw === undefined || raw === null) return null;
      if (typeof raw !== 'string')
        throw new StoreError('Your saved examples could not be read (the record is not text).');
      try {
        return fromArchive(raw);
      } catch (error) {
        throw new StoreError(
          `Your saved examples could not be read (${(error as Error).message}) They are kept until you save new ones or delete them.`,
        );
      }
    },
    async save(d) {
      const text = toArchive(d);
      if (text.length > maxChars)
        throw new StoreError(
          `Your examples take ${Math.ceil(text.length / 1024)} KB; this browser store keeps at most ${Math.floor(maxChars / 1024)} KB, so they were not saved. Remove some examples. ${KEPT}`,
        );
      try {
        await kv.put(KEY, text);
      } catch (error) {
        if (isQuota(error))
          throw new StoreError(
            `The browser's storage is full, so your examples were not saved. ${KEPT}`,
          );
        throw new StoreError(`Your examples could not be saved (${String(error)}). ${KEPT}`);
      }
    },
    clear: () => kv.delete(KEY),
  };
}

/** A Map as the store (tests; a browser without IndexedDB keeps examples for the visit only). */
export function memoryKv(): KeyValue & { readonly map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: async (k) => map.get(k),
    put: async (k, v) => void map.set(k, v),
    delete: async (k) => void map.delete(k),
  };
}

const request = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });

/** IndexedDB as the store; rejects with a StoreError when the browser has none. */
export async function indexedDbKv(idb: IDBFactory | undefined): Promise<KeyValue> {
  if (!idb) throw new StoreError('This browser keeps no data for pages (no IndexedDB).');
  const open = idb.open(OWN_DB, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  const db = await request(open).catch((error: unknown) => {
    throw new StoreError(`This browser's storage could not be opened (${String(error)}).`);
  });
  const tx = async <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>) => {
    const t = db.transaction(STORE, mode);
    const result = await request(fn(t.objectStore(STORE)));
    await new Promise<void>((resolve, reject) => {
      t.oncomplete = () => resolve();
      t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
      t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
    });
    return result;
  };
  return {
    get: (k) => tx('readonly', (s) => s.get(k)),
    put: async (k, v) => void (await tx('readwrite', (s) => s.put(v, k))),
    delete: async (k) => void (await tx('readwrite', (s) => s.delete(k))),
  };
}
