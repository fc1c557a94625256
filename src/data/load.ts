/**
 * Loads the MNIST asset in the browser: fetches mnist.json (the manifest) and mnist.bin from the
 * site, streams the download with progress, checks size and sha256 against the manifest, keeps a
 * copy in the Cache API for offline reading, and parses it. Also runs in Node ≥ 18 (no Cache API
 * there: it just fetches), which is how it is tested.
 */
import { parseMnistBin } from './mnist.ts';
import type { MnistDataset } from './mnist.ts';

/** mnist.json, as written by scripts/build-mnist.mjs. */
export interface MnistManifest {
  readonly format: string;
  readonly version: number;
  readonly file: string;
  /** Size of mnist.bin in bytes. */
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Lower-case hex sha256 of mnist.bin. */
  readonly sha256: string;
  readonly count: number;
  readonly seed: number;
  readonly train: { readonly count: number; readonly perClass: readonly number[] };
  readonly test: { readonly count: number; readonly perClass: readonly number[] };
}

export interface LoadProgress {
  /** Bytes received so far. */
  readonly loaded: number;
  /** Bytes expected (from the manifest). */
  readonly total: number;
  /** True when the bytes came from the offline cache rather than the network. */
  readonly fromCache: boolean;
}

export interface LoadMnistOptions {
  /** URL of mnist.bin; prefix the site's base path if it has one. Default '/data/mnist.bin'. */
  readonly url?: string;
  /** URL of the manifest. Default: `url` with .bin replaced by .json. */
  readonly manifestUrl?: string;
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly signal?: AbortSignal;
  /** Injected for tests; defaults to globalThis.fetch. */
  readonly fetch?: typeof fetch;
  /** Cache API to use; null turns caching off. Defaults to globalThis.caches where it exists. */
  readonly caches?: CacheStorage | null;
  readonly cacheName?: string;
}

export interface LoadedMnist extends MnistDataset {
  readonly manifest: MnistManifest;
  readonly fromCache: boolean;
}

export const DEFAULT_MNIST_URL = '/data/mnist.bin';
export const MNIST_CACHE_NAME = 'convbook-mnist-v1';

class LoadError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`could not load the MNIST digits: ${reason}`, options);
    this.name = 'MnistLoadError';
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null; // insecure context (plain http, not localhost): size check only
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Null when the bytes match the manifest, else why not. */
async function mismatch(bytes: Uint8Array, manifest: MnistManifest, url: string) {
  if (bytes.length !== manifest.bytes) {
    return `${url} has ${bytes.length} bytes, the manifest says ${manifest.bytes}`;
  }
  const hash = await sha256Hex(bytes);
  if (hash !== null && hash !== manifest.sha256) {
    return `${url} has sha256 ${hash}, the manifest says ${manifest.sha256} (corrupt or out of date)`;
  }
  return null;
}

function checkManifest(value: unknown, url: string): MnistManifest {
  const m = value as Partial<MnistManifest> | null;
  if (
    !m ||
    typeof m.bytes !== 'number' ||
    typeof m.sha256 !== 'string' ||
    typeof m.train?.count !== 'number' ||
    typeof m.test?.count !== 'number'
  ) {
    throw new LoadError(`${url} is not a valid MNIST manifest`);
  }
  return m as MnistManifest;
}

async function openCache(api: CacheStorage | null, name: string): Promise<Cache | null> {
  if (!api) return null;
  try {
    return await api.open(name);
  } catch {
    return null; // e.g. storage disabled: carry on without the offline copy
  }
}

async function fetchManifest(
  fetchFn: typeof fetch,
  url: string,
  cache: Cache | null,
  signal: AbortSignal | undefined,
): Promise<MnistManifest> {
  let networkError: string;
  try {
    const response = await fetchFn(url, { cache: 'no-cache', ...(signal ? { signal } : {}) });
    if (response.ok) {
      const text = await response.text();
      const manifest = checkManifest(JSON.parse(text), url);
      await cache
        ?.put(url, new Response(text, { headers: { 'content-type': 'application/json' } }))
        .catch(() => {});
      return manifest;
    }
    networkError = `HTTP ${response.status} for ${url}`;
  } catch (error) {
    if (signal?.aborted || error instanceof LoadError) throw error;
    networkError = `${url}: ${reasonOf(error)}`;
  }
  // Offline (or the server lost the file): fall back to the manifest cached with the data.
  const cached = await cache?.match(url).catch(() => undefined);
  if (cached) return checkManifest(await cached.json(), url);
  throw new LoadError(networkError);
}

/** Reads a response body into one buffer of the expected size, reporting progress. */
async function readBody(
  response: Response,
  total: number,
  url: string,
  onProgress: ((p: LoadProgress) => void) | undefined,
): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.({ loaded: bytes.length, total, fromCache: false });
    return bytes;
  }
  const bytes = new Uint8Array(total);
  let loaded = 0;
  onProgress?.({ loaded, total, fromCache: false });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > total) {
      await reader.cancel();
      throw new LoadError(`${url} is larger than the ${total} bytes the manifest says`);
    }
    bytes.set(value, loaded);
    loaded += value.length;
    onProgress?.({ loaded, total, fromCache: false });
  }
  return loaded === total ? bytes : bytes.subarray(0, loaded);
}

/**
 * Fetches, verifies, caches and parses the MNIST asset. Every failure is an Error whose message
 * starts "could not load the MNIST digits: " followed by the reason.
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<LoadedMnist> {
  const url = options.url ?? DEFAULT_MNIST_URL;
  const manifestUrl = options.manifestUrl ?? url.replace(/\.bin(?=$|\?)/, '.json');
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const cacheApi = options.caches === undefined ? (globalThis.caches ?? null) : options.caches;
  const { onProgress, signal } = options;
  const cache = await openCache(cacheApi, options.cacheName ?? MNIST_CACHE_NAME);

  const manifest = await fetchManifest(fetchFn, manifestUrl, cache, signal);
  const finish = (bytes: Uint8Array, fromCache: boolean): LoadedMnist => {
    try {
      return { ...parseMnistBin(bytes), manifest, fromCache };
    } catch (error) {
      throw new LoadError(reasonOf(error), { cause: error });
    }
  };

  // The offline copy, if it is the one the manifest describes.
  const cached = await cache?.match(url).catch(() => undefined);
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    if ((await mismatch(bytes, manifest, url)) === null) {
      onProgress?.({ loaded: bytes.length, total: manifest.bytes, fromCache: true });
      return finish(bytes, true);
    }
    await cache?.delete(url).catch(() => false); // stale: fetch the new one
  }

  let response: Response;
  try {
    response = await fetchFn(url, signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new LoadError(`${url}: ${reasonOf(error)}`, { cause: error });
  }
  if (!response.ok) throw new LoadError(`HTTP ${response.status} for ${url}`);
  const bytes = await readBody(response, manifest.bytes, url, onProgress);
  const problem = await mismatch(bytes, manifest, url);
  if (problem !== null) throw new LoadError(problem);
  await cache
    ?.put(
      url,
      new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: { 'content-type': 'application/octet-stream' },
      }),
    )
    .catch(() => {}); // quota exceeded and the like: the page still works, just not offline
  return finish(bytes, false);
}
