/**
 * Offline and light, in a real Chromium:
 *
 * - after one online visit to a lesson and to the training lab (a short run, so ORT's wasm and
 *   MNIST are fetched once), the site's server is shut down and the context set offline; then
 *   another lesson loads, search finds a word, and the lab starts a short run on wasm, with no
 *   failed request and no console error;
 * - the files come precompressed: a .js asked for with `Accept-Encoding: br` comes back
 *   `Content-Encoding: br` with the bytes of its .br sibling, from the tests' server and from
 *   `npm run preview` (scripts/preview.mjs), which also sends the cache headers docs/hosting.md
 *   gives hosts.
 *
 * This file serves dist/ itself (not the shared server), so it can cut the network for real and
 * its service worker lives on an origin of its own.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { watchPage } from './browser';
import { serveStatic } from './server';
import { agreed, chromiumPerFile, W } from './widgets';

const browser = chromiumPerFile();
const DIST = resolve(process.env.CONVBOOK_DIST ?? 'dist');
const LAB = '[data-widget="training-lab"]';
// The tiny net on 640 digits, one epoch: ten steps.
const SHORT_RUN = 'backend=wasm&lab.preset=small&lab.trainSubset=640&lab.epochs=1&lab.shift=0';

async function openLab(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/lessons/train-a-cnn/?${SHORT_RUN}`);
  await page.locator(LAB).evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.locator(`${LAB} [data-backends] li[data-backend-status]`).first().waitFor();
}

/** Starts a run and waits until it has taken a few steps on wasm (or finished). */
async function trainAFewSteps(page: Page): Promise<void> {
  await page.locator(`${LAB} [data-action="start"]`).click();
  await page.waitForFunction(
    (sel) => {
      const d = document.querySelector<HTMLElement>(sel)!.dataset;
      return d.state === 'done' || d.state === 'error' || Number(d.step) >= 3;
    },
    LAB,
    { timeout: 120_000 },
  );
  expect(await page.locator(LAB).getAttribute('data-state')).not.toBe('error');
  expect(await page.locator(LAB).getAttribute('data-backend')).toBe('wasm');
}

/** The Cache API's contents for this origin: cache name → request paths. */
const cached = (page: Page) =>
  page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const keys = await (await caches.open(name)).keys();
      out[name] = keys.map((r) => new URL(r.url).pathname);
    }
    return out;
  });

describe('offline after one visit', () => {
  it('serves another lesson, search and the lab with the network cut', async () => {
    const server = await serveStatic(DIST);
    const context = await browser().newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/lessons/images-are-grids-of-numbers/`);
      // Workbox precaches at install; clientsClaim makes it control this very page.
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, {
        timeout: 60_000,
      });
      await openLab(page, server.url);
      await trainAFewSteps(page);
      // ORT's wasm build is cached on first use (after its response); MNIST by its loader.
      await expect
        .poll(
          async () => {
            const c = await cached(page);
            const all = Object.values(c).flat();
            return {
              wasm: all.some((p) => /\/_astro\/ort-wasm[^/]*\.wasm$/.test(p)),
              mnist: all.includes('/data/mnist.bin') && all.includes('/data/mnist.json'),
              pages: all.includes('/lessons/relu/index.html') && all.includes('/search/index.html'),
            };
          },
          { timeout: 60_000, interval: 500 },
        )
        .toEqual({ wasm: true, mnist: true, pages: true });
      console.log('caches after one visit:', JSON.stringify(Object.keys(await cached(page))));

      await server.close();
      await context.setOffline(true);
      const offline = await context.newPage();
      const problems = watchPage(offline);
      // Another lesson, never visited: its page from the precache, its widget computed twice,
      // ORT's half on the wasm build the lab cached.
      await offline.goto(`${server.url}/lessons/relu/?backend=wasm`);
      expect(await offline.locator('h1').first().innerText()).toMatch(/\S/);
      await offline
        .locator(W('activations'))
        .evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await agreed(offline, 'activations', 'wasm').catch((error: unknown) => {
        throw new Error(`${String(error)}\n${JSON.stringify(problems, null, 1)}`);
      });
      // Search: Pagefind's index is precached.
      await offline.goto(`${server.url}/search/`);
      await offline.getByLabel('Words to find').fill('thumbnail');
      await offline.getByRole('button', { name: 'Search' }).click();
      const first = offline.locator('[data-search-results] li a').first();
      await first.waitFor({ timeout: 30_000 });
      expect(await first.getAttribute('href')).toContain('/lessons/images-are-grids-of-numbers/');
      // The lab: widgets start and a short run trains on wasm from the cached ORT and MNIST.
      await openLab(offline, server.url);
      await trainAFewSteps(offline);
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    } finally {
      await context.close();
      await server.close();
    }
  }, 400_000);
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
}

/** A GET with the given Accept-Encoding, body left as sent (Node's fetch would decode it). */
function rawGet(url: string, acceptEncoding: string): Promise<RawResponse> {
  return new Promise((ok, fail) => {
    const req = request(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}

/** The largest .js under dist/_astro that has a .br beside it. */
function compressedScript(): string {
  const dir = resolve(DIST, '_astro');
  const scripts = readdirSync(dir).filter(
    (f) => f.endsWith('.js') && readdirSync(dir).includes(`${f}.br`),
  );
  expect(scripts.length).toBeGreaterThan(0);
  return scripts.sort((a, b) => statSync(resolve(dir, b)).size - statSync(resolve(dir, a)).size)[0];
}

/** Starts `node scripts/preview.mjs --host 127.0.0.1 --port 0` and resolves to its URL. */
function startPreview(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['scripts/preview.mjs', '--host', '127.0.0.1', '--port', '0', '--dist', DIST],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) ok({ url: m[0], stop: () => child.kill() });
    });
    child.on('exit', (code) => fail(new Error(`preview exited with ${code}: ${out}`)));
  });
}

describe('precompressed files', () => {
  it('the tests server sends the .br file to a browser that accepts br', async () => {
    const name = compressedScript();
    const brBytes = readFileSync(resolve(DIST, '_astro', `${name}.br`)).length;
    const url = `${inject('baseURL')}/_astro/${name}`;
    const br = await rawGet(url, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.bytes).toBe(brBytes);
    const gz = await rawGet(url, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await rawGet(url, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes).toBe(statSync(resolve(DIST, '_astro', name)).size);
  });

  it('npm run preview sends .br with the headers of docs/hosting.md', async () => {
    const preview = await startPreview();
    try {
      const name = compressedScript();
      const script = await rawGet(`${preview.url}/_astro/${name}`, 'br');
      expect(script.status).toBe(200);
      expect(script.headers['content-encoding']).toBe('br');
      expect(script.headers['vary']).toContain('Accept-Encoding');
      expect(script.headers['cache-control']).toContain('immutable');
      expect(script.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(script.bytes).toBe(readFileSync(resolve(DIST, '_astro', `${name}.br`)).length);
      const sw = await rawGet(`${preview.url}/sw.js`, 'br');
      expect(sw.headers['cache-control']).toBe('no-cache');
      const page = await rawGet(`${preview.url}/lessons/relu/`, 'br');
      expect(page.status).toBe(200);
      expect(page.headers['content-encoding']).toBe('br');
      expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
      const missing = await rawGet(`${preview.url}/no-such-page/`, 'br');
      expect(missing.status).toBe(404);
    } finally {
      preview.stop();
    }
  });
});
