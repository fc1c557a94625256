#!/usr/bin/env node
/**
 * Writes dist/sw.js, ConvBook's service worker, with Workbox's generateSW from the files the build
 * actually wrote (run after `astro build` and Pagefind, so the search index is in the list).
 *
 * Precached at install (107 files, about 4.3 MB raw, 1.2 MB as brotli): every page, the CSS, the site's
 * JavaScript and workers (ORT's JavaScript included: each worker bundles its own copy, 70–400 KB,
 * and a widget offline needs the one of the worker it runs in), KaTeX's woff2 fonts, the icons
 * and manifest, and the Pagefind index. Cached on first use, cache-first, in caches named with a
 * version: ORT's .wasm builds (14 and 28 MB; a reader fetches only the build their browser uses),
 * the older font formats and images. MNIST's 7.8 MB mnist.bin is not cached here: src/data/load.ts keeps its
 * own verified copy in the Cache API (`convbook-mnist-v1`), read before any download, and a second
 * copy would store it twice. Its small manifest, mnist.json, which the loader asks the network
 * for first (to notice a new dataset), is network-first here, so offline it is answered from the
 * cache without a failed request.
 *
 * The new worker waits (no skipWaiting) until the reader clicks "Reload" in the update notice
 * (src/site/sw-register.ts), which posts {type: 'SKIP_WAITING'}; Workbox's template answers it.
 *
 * Usage: node scripts/build-sw.mjs [--dist DIR]
 */
import { generateSW } from 'workbox-build';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Bump a version when what a runtime cache holds changes meaning; old caches are then unused. */
export const RUNTIME_CACHES = {
  ort: 'convbook-ort-v1',
  fonts: 'convbook-fonts-v1',
  images: 'convbook-images-v1',
  data: 'convbook-data-v1',
};

/** @param {string} dist */
export function swConfig(dist) {
  return /** @type {import('workbox-build').GenerateSWOptions} */ ({
    globDirectory: dist,
    swDest: resolve(dist, 'sw.js'),
    globPatterns: [
      '**/*.{html,css,js,json,svg,png,woff2,webmanifest}',
      'pagefind/*.{pagefind,pf_meta}',
      'pagefind/**/*.{pf_index,pf_fragment}',
    ],
    globIgnores: [
      '_astro/ort-wasm*', // ORT's wasm builds (and their .mjs glue, if a version emits one): below
      'data/**', // MNIST: the loader's own cache
      'pagefind/*ui*', // Pagefind's ready-made UIs and highlighter: the site uses its own
      'pagefind/pagefind-highlight.js',
      'pagefind/wasm.unknown.pagefind', // the course is in English: wasm.en.pagefind
      'sw.js',
      'workbox-*.js',
      '**/*.{br,gz}',
    ],
    // The largest page or script is under 400 KB; anything larger is a mistake to catch here.
    maximumFileSizeToCacheInBytes: 512 * 1024,
    // Vite's names carry a content hash: no revision needed.
    dontCacheBustURLsMatching: /^_astro\//,
    // Widgets keep their settings in the query string: `/lessons/x/?k=3` is the same page.
    ignoreURLParametersMatching: [/.*/],
    directoryIndex: 'index.html',
    cacheId: 'convbook',
    cleanupOutdatedCaches: true,
    clientsClaim: true,
    skipWaiting: false,
    sourcemap: false,
    mode: 'production',
    runtimeCaching: [
      {
        urlPattern: /\/data\/[^/]+\.json$/,
        handler: 'NetworkFirst',
        options: {
          cacheName: RUNTIME_CACHES.data,
          networkTimeoutSeconds: 10,
          cacheableResponse: { statuses: [200] },
        },
      },
      {
        urlPattern: /\/_astro\/ort-wasm[^/]*$/,
        handler: 'CacheFirst',
        options: {
          cacheName: RUNTIME_CACHES.ort,
          // Hashed names: a new ORT is a new URL; keep the newest few, drop the rest.
          expiration: { maxEntries: 8 },
          cacheableResponse: { statuses: [200] },
        },
      },
      {
        urlPattern: /\/_astro\/[^/]+\.(?:woff|ttf)$/,
        handler: 'CacheFirst',
        options: {
          cacheName: RUNTIME_CACHES.fonts,
          expiration: { maxEntries: 60 },
          cacheableResponse: { statuses: [200] },
        },
      },
      {
        urlPattern: /\.(?:png|jpe?g|webp|avif|gif)$/,
        handler: 'CacheFirst',
        options: {
          cacheName: RUNTIME_CACHES.images,
          expiration: { maxEntries: 100 },
          cacheableResponse: { statuses: [200] },
        },
      },
    ],
  });
}

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (isMain) {
  const at = process.argv.indexOf('--dist');
  const dist = resolve(at > 0 ? process.argv[at + 1] : 'dist');
  const started = performance.now();
  const { count, size, warnings } = await generateSW(swConfig(dist));
  for (const w of warnings) console.warn(`build-sw: ${w}`);
  console.log(
    `build-sw: dist/sw.js precaches ${count} files (${(size / 1e6).toFixed(2)} MB) ` +
      `in ${Math.round(performance.now() - started)} ms`,
  );
}
