#!/usr/bin/env node
/**
 * Writes `file.br` and `file.gz` beside every compressible file in dist/, so a static host (and
 * `npm run preview`, scripts/preview.mjs) can send the precompressed bytes with
 * `Content-Encoding` instead of compressing on every request, or not at all.
 *
 * Brotli at quality 11 (the smallest) for files up to 1 MB: that is all the text. Above that
 * (ORT's .wasm, 14 and 28 MB, and mnist.bin, 7.8 MB) quality 11 took 54 s for one wasm on this
 * machine and saved 14% over quality 9, which takes 4 s: the build uses 9 there. Gzip at level 9.
 * A compressed copy that is not at least 5% smaller is not written (the host sends the original).
 * Work runs on libuv's thread pool, two files at a time.
 *
 * Usage: node scripts/compress.mjs [--dist DIR]
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Extensions worth compressing; images and woff2 are compressed formats already. */
export const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.webmanifest',
  '.svg',
  '.wasm',
  '.bin',
  '.txt',
  '.xml',
  '.ttf',
  '.woff',
  '.pagefind',
  '.pf_meta',
  '.pf_index',
  '.pf_fragment',
]);
const MIN_BYTES = 512;
const LARGE_BYTES = 1024 * 1024;

/** @param {string} dir @returns {AsyncGenerator<string>} */
async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** @param {Buffer} bytes */
function brotliOf(bytes) {
  return brotli(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: bytes.length > LARGE_BYTES ? 9 : 11,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

/**
 * @typedef {{ file: string, bytes: number, br: number | null, gz: number | null }} Compressed
 * @param {string} file
 * @returns {Promise<Compressed>}
 */
async function compressFile(file) {
  const bytes = await readFile(file);
  const [br, gzipped] = await Promise.all([brotliOf(bytes), gz(bytes, { level: 9 })]);
  const keep = (/** @type {Buffer} */ out) => out.length <= bytes.length * 0.95;
  if (keep(br)) await writeFile(`${file}.br`, br);
  if (keep(gzipped)) await writeFile(`${file}.gz`, gzipped);
  return {
    file,
    bytes: bytes.length,
    br: keep(br) ? br.length : null,
    gz: keep(gzipped) ? gzipped.length : null,
  };
}

/** @param {string} dist @returns {Promise<Compressed[]>} */
export async function compressDist(dist) {
  /** @type {string[]} */
  const files = [];
  for await (const file of walk(dist)) {
    if (!COMPRESSIBLE.has(extname(file))) continue;
    if ((await stat(file)).size >= MIN_BYTES) files.push(file);
  }
  // Largest first, so the two long brotli runs overlap with everything else.
  const sizes = new Map(await Promise.all(files.map(async (f) => [f, (await stat(f)).size])));
  files.sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0));
  /** @type {Compressed[]} */
  const done = [];
  const lanes = Array.from({ length: 2 }, async () => {
    for (let file = files.shift(); file; file = files.shift()) done.push(await compressFile(file));
  });
  await Promise.all(lanes);
  return done;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--dist');
  const dist = resolve(at > 0 ? (process.argv[at + 1] ?? 'dist') : 'dist');
  const started = performance.now();
  const done = await compressDist(dist);
  const sum = (/** @type {(c: Compressed) => number} */ f) => done.reduce((s, c) => s + f(c), 0);
  const raw = sum((c) => c.bytes);
  const br = sum((c) => c.br ?? c.bytes);
  const gzBytes = sum((c) => c.gz ?? c.bytes);
  const skipped = done.filter((c) => c.br === null).map((c) => relative(dist, c.file));
  console.log(
    `compress: ${done.length} files, ${(raw / 1e6).toFixed(2)} MB → br ${(br / 1e6).toFixed(2)} MB, ` +
      `gzip ${(gzBytes / 1e6).toFixed(2)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s` +
      (skipped.length ? ` (no .br for ${skipped.length} already-compressed files)` : ''),
  );
}
