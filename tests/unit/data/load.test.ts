import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../../src/data/load.ts';
import type { LoadProgress } from '../../../src/data/load.ts';
import { makeBin } from './fixtures.ts';

const BIN = makeBin([0, 1, 2, 3, 4, 5, 6, 7], [8, 9]);
const MANIFEST = {
  format: 'CBMN',
  version: 1,
  file: 'mnist.bin',
  bytes: BIN.length,
  gzipBytes: 0,
  sha256: createHash('sha256').update(BIN).digest('hex'),
  count: 10,
  seed: 7,
  train: { count: 8, perClass: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0] },
  test: { count: 2, perClass: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1] },
};

/** A fake site: serves the manifest and the asset in 1,000-byte chunks; records requests. */
function site(files: Record<string, Uint8Array | string | number>) {
  const requests: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    requests.push(url);
    const body = files[url];
    if (body === undefined) return new Response('not found', { status: 404 });
    if (typeof body === 'number') throw new TypeError('Failed to fetch');
    if (typeof body === 'string') return new Response(body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < body.length; at += 1000)
          controller.enqueue(body.slice(at, at + 1000));
        controller.close();
      },
    });
    return new Response(stream);
  }) as typeof fetch;
  return { fetch: fetchFn, requests };
}

/** An in-memory Cache API. */
function memoryCaches(): CacheStorage {
  const stores = new Map<string, Map<string, Response>>();
  const open = async (name: string) => {
    const store = stores.get(name) ?? new Map<string, Response>();
    stores.set(name, store);
    return {
      match: async (key: string) => store.get(key)?.clone(),
      put: async (key: string, response: Response) => void store.set(key, response.clone()),
      delete: async (key: string) => store.delete(key),
    } as unknown as Cache;
  };
  return { open } as unknown as CacheStorage;
}

const good = () => ({ '/data/mnist.json': JSON.stringify(MANIFEST), '/data/mnist.bin': BIN });

describe('loadMnist({ url, onProgress })', () => {
  it('streams the asset with progress and returns the parsed dataset', async () => {
    const { fetch } = site(good());
    const progress: LoadProgress[] = [];
    const data = await loadMnist({ fetch, caches: null, onProgress: (p) => progress.push(p) });
    expect(data.train.count).toBe(8);
    expect(Array.from(data.test.labels)).toEqual([8, 9]);
    expect(data.fromCache).toBe(false);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toEqual({ loaded: BIN.length, total: BIN.length, fromCache: false });
    const loaded = progress.map((p) => p.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
  });

  it('reports HTTP errors with the URL', async () => {
    const { fetch } = site({ '/data/mnist.json': JSON.stringify(MANIFEST) });
    await expect(loadMnist({ fetch, caches: null })).rejects.toThrow(
      'could not load the MNIST digits: HTTP 404 for /data/mnist.bin',
    );
    await expect(loadMnist({ fetch: site({}).fetch, caches: null })).rejects.toThrow(
      'could not load the MNIST digits: HTTP 404 for /data/mnist.json',
    );
  });

  it('rejects a download whose sha256 or size differs from the manifest', async () => {
    const corrupt = BIN.slice();
    corrupt[500] ^= 1;
    const { fetch } = site({ ...good(), '/data/mnist.bin': corrupt });
    await expect(loadMnist({ fetch, caches: null })).rejects.toThrow(
      /has sha256 [0-9a-f]{64}, the manifest says/,
    );
    const short = site({ ...good(), '/data/mnist.bin': BIN.slice(0, 100) });
    await expect(loadMnist({ fetch: short.fetch, caches: null })).rejects.toThrow(
      `/data/mnist.bin has 100 bytes, the manifest says ${BIN.length}`,
    );
  });

  it('serves the second load from the Cache API, even offline', async () => {
    const caches = memoryCaches();
    const first = site(good());
    await loadMnist({ fetch: first.fetch, caches });
    const offline = site({ '/data/mnist.json': 0, '/data/mnist.bin': 0 }); // 0: network error
    const progress: LoadProgress[] = [];
    const data = await loadMnist({
      fetch: offline.fetch,
      caches,
      onProgress: (p) => progress.push(p),
    });
    expect(data.fromCache).toBe(true);
    expect(data.train.count).toBe(8);
    expect(offline.requests).toEqual(['/data/mnist.json']); // the manifest is tried, the asset not
    expect(progress).toEqual([{ loaded: BIN.length, total: BIN.length, fromCache: true }]);
  });

  it('replaces a cached copy that no longer matches the manifest', async () => {
    const caches = memoryCaches();
    const cache = await caches.open('convbook-mnist-v1');
    await cache.put('/data/mnist.bin', new Response(BIN.slice(0, 100)));
    const { fetch, requests } = site(good());
    const data = await loadMnist({ fetch, caches });
    expect(data.fromCache).toBe(false);
    expect(requests).toContain('/data/mnist.bin');
    const again = await loadMnist({ fetch, caches });
    expect(again.fromCache).toBe(true);
  });

  it('reports a network failure with the URL', async () => {
    const { fetch } = site({ '/data/mnist.json': JSON.stringify(MANIFEST), '/data/mnist.bin': 0 });
    await expect(loadMnist({ fetch, caches: null })).rejects.toThrow(
      'could not load the MNIST digits: /data/mnist.bin: Failed to fetch',
    );
  });
});
