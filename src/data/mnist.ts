/**
 * The MNIST asset (public/data/mnist.bin, written by scripts/build-mnist.mjs) and the helpers that
 * turn it into training batches. Pure: runs in the browser, in workers and in Node.
 *
 * Layout of mnist.bin (little-endian; docs/data.md has the details):
 *   0 magic "CBMN" · 4 version u16 · 6 header bytes u16 · 8 height u16 · 10 width u16 ·
 *   12 classes u16 · 16 train count u32 · 20 test count u32 · 24 split seed u32 ·
 *   28 train per class 10×u16 · 48 test per class 10×u16 · 80 pixels (u8, train then test) · labels
 */

export { mulberry32, shuffleInPlace, epochOrder, batchesOf } from './random.ts';
export type { Rng } from './random.ts';
export {
  randomShift,
  shiftImage,
  randomAffine,
  affineImage,
  augmentBatch,
  augmentDraws,
  type AugmentDraw,
  type AugmentSettings,
} from './augment.ts';

export const MNIST_MAGIC = 'CBMN';
export const MNIST_VERSION = 1;
export const MNIST_HEADER_BYTES = 80;
export const IMAGE_SIZE = 28;
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;

export interface MnistSplit {
  /** count × 784 bytes, row-major, 0 = background, 255 = ink. */
  readonly images: Uint8Array;
  /** count labels, 0–9. */
  readonly labels: Uint8Array;
  readonly count: number;
  /** How many examples of each digit 0–9 the split holds. */
  readonly perClass: readonly number[];
}

export interface MnistDataset {
  readonly train: MnistSplit;
  readonly test: MnistSplit;
  readonly imageSize: 28;
  /** The seed of the build-time train/test split. */
  readonly seed: number;
}

/**
 * Reads mnist.bin. The returned arrays are views into `buffer` (no copy). Throws an Error naming
 * what is wrong for a truncated, oversized or corrupt file.
 */
export function parseMnistBin(buffer: ArrayBuffer | Uint8Array): MnistDataset {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.length < MNIST_HEADER_BYTES) {
    throw new Error(
      `mnist.bin is truncated: expected at least ${MNIST_HEADER_BYTES} bytes (the header), got ${bytes.length}`,
    );
  }
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== MNIST_MAGIC) {
    throw new Error(
      `mnist.bin has a bad magic number: expected "${MNIST_MAGIC}", got ${JSON.stringify(magic)} (not a ConvBook MNIST file)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== MNIST_VERSION) {
    throw new Error(`mnist.bin has version ${version}; this code reads version ${MNIST_VERSION}`);
  }
  const headerBytes = view.getUint16(6, true);
  const height = view.getUint16(8, true);
  const width = view.getUint16(10, true);
  const classes = view.getUint16(12, true);
  if (headerBytes !== MNIST_HEADER_BYTES || height !== IMAGE_SIZE || width !== IMAGE_SIZE) {
    throw new Error(
      `mnist.bin is corrupt: header says ${headerBytes}-byte header, ${width}×${height} images; ` +
        `expected ${MNIST_HEADER_BYTES}, ${IMAGE_SIZE}×${IMAGE_SIZE}`,
    );
  }
  if (classes !== CLASSES) {
    throw new Error(`mnist.bin is corrupt: header says ${classes} classes, expected ${CLASSES}`);
  }
  const trainCount = view.getUint32(16, true);
  const testCount = view.getUint32(20, true);
  const seed = view.getUint32(24, true);
  const count = trainCount + testCount;
  const expected = MNIST_HEADER_BYTES + count * (IMAGE_PIXELS + 1);
  if (bytes.length < expected) {
    throw new Error(`mnist.bin is truncated: expected ${expected} bytes, got ${bytes.length}`);
  }
  if (bytes.length > expected) {
    throw new Error(
      `mnist.bin is corrupt: expected ${expected} bytes, got ${bytes.length} (${bytes.length - expected} extra)`,
    );
  }
  const pixelsAt = MNIST_HEADER_BYTES;
  const labelsAt = pixelsAt + count * IMAGE_PIXELS;
  const split = (name: string, first: number, n: number, countsAt: number): MnistSplit => {
    const labels = bytes.subarray(labelsAt + first, labelsAt + first + n);
    const seen = new Array<number>(CLASSES).fill(0);
    for (let i = 0; i < n; i++) {
      const label = labels[i];
      if (label >= CLASSES) {
        throw new Error(`mnist.bin is corrupt: ${name} label ${i} is ${label}, expected 0–9`);
      }
      seen[label]++;
    }
    const perClass = seen.map((_, c) => view.getUint16(countsAt + 2 * c, true));
    if (perClass.some((k, c) => k !== seen[c])) {
      throw new Error(
        `mnist.bin is corrupt: ${name} labels count [${seen.join(', ')}] per class, ` +
          `header says [${perClass.join(', ')}]`,
      );
    }
    const images = bytes.subarray(
      pixelsAt + first * IMAGE_PIXELS,
      pixelsAt + (first + n) * IMAGE_PIXELS,
    );
    return { images, labels, count: n, perClass };
  };
  return {
    train: split('train', 0, trainCount, 28),
    test: split('test', trainCount, testCount, 48),
    imageSize: IMAGE_SIZE,
    seed,
  };
}

function checkIndex(i: number, count: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= count) {
    throw new RangeError(`index ${i} is out of range for ${count} examples`);
  }
}

/**
 * Gathers the images at `indices` into an NCHW float batch [B, 1, 28, 28] with values in [0, 1].
 * Writes into `out` when given (its length must be B·784) and returns it.
 */
export function toFloatBatch(
  images: Uint8Array,
  indices: ArrayLike<number>,
  out?: Float32Array,
): Float32Array {
  const count = Math.floor(images.length / IMAGE_PIXELS);
  const b = indices.length;
  const batch = out ?? new Float32Array(b * IMAGE_PIXELS);
  if (batch.length !== b * IMAGE_PIXELS) {
    throw new RangeError(
      `out has ${batch.length} values, a batch of ${b} needs ${b * IMAGE_PIXELS}`,
    );
  }
  for (let k = 0; k < b; k++) {
    const i = indices[k];
    checkIndex(i, count);
    const src = i * IMAGE_PIXELS;
    const dst = k * IMAGE_PIXELS;
    for (let p = 0; p < IMAGE_PIXELS; p++) batch[dst + p] = images[src + p] / 255;
  }
  return batch;
}

/** One-hot targets [B, classes] for the labels at `indices`. */
export function oneHot(
  labels: Uint8Array,
  indices: ArrayLike<number>,
  classes: number = CLASSES,
): Float32Array {
  const b = indices.length;
  const out = new Float32Array(b * classes);
  for (let k = 0; k < b; k++) {
    const i = indices[k];
    checkIndex(i, labels.length);
    const label = labels[i];
    if (label >= classes)
      throw new RangeError(`label ${label} at index ${i} is not below ${classes}`);
    out[k * classes + label] = 1;
  }
  return out;
}
