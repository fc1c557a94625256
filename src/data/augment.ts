/**
 * Data augmentation on NCHW float batches [B, 1, 28, 28]. Pure: every function returns a new array
 * (or fills `out`) and never changes its input. Pixels shifted in from outside the frame are 0.
 *
 * Coordinates: x grows to the right, y grows downwards; a shift (dx, dy) = (1, −2) moves the digit
 * one pixel right and two pixels up.
 */
import type { Rng } from './random.ts';

const SIZE = 28;
const PIXELS = SIZE * SIZE;

function imagesIn(batch: Float32Array): number {
  if (batch.length % PIXELS !== 0) {
    throw new RangeError(`batch has ${batch.length} values, not a multiple of 28·28 = ${PIXELS}`);
  }
  return batch.length / PIXELS;
}

function checkOut(out: Float32Array | undefined, length: number): Float32Array {
  if (out === undefined) return new Float32Array(length);
  if (out.length !== length) {
    throw new RangeError(`out has ${out.length} values, expected ${length}`);
  }
  return out;
}

/** Shifts one 28×28 image by whole pixels: out[y][x] = image[y − dy][x − dx], zero outside. */
export function shiftImage(
  image: Float32Array,
  dx: number,
  dy: number,
  out?: Float32Array,
): Float32Array {
  if (image.length !== PIXELS)
    throw new RangeError(`image has ${image.length} values, expected ${PIXELS}`);
  if (!Number.isInteger(dx) || !Number.isInteger(dy)) {
    throw new RangeError(`shifts must be whole pixels, got (${dx}, ${dy})`);
  }
  const result = checkOut(out, PIXELS);
  if (result === image) throw new RangeError('out must not be the input image');
  result.fill(0);
  const x0 = Math.max(0, dx);
  const x1 = Math.min(SIZE, SIZE + dx);
  for (let y = Math.max(0, dy); y < Math.min(SIZE, SIZE + dy); y++) {
    const src = (y - dy) * SIZE - dx;
    const row = y * SIZE;
    for (let x = x0; x < x1; x++) result[row + x] = image[src + x];
  }
  return result;
}

/**
 * Shifts each image of the batch by its own random whole-pixel offset in [−maxShift, maxShift]
 * on each axis. Per image, dx is drawn first, then dy: d = floor(rng() · (2·maxShift + 1)) − maxShift.
 */
export function randomShift(batch: Float32Array, maxShift: number, rng: Rng): Float32Array {
  if (!Number.isInteger(maxShift) || maxShift < 0 || maxShift >= SIZE) {
    throw new RangeError(`maxShift must be a whole number of pixels in [0, 27], got ${maxShift}`);
  }
  const n = imagesIn(batch);
  const out = new Float32Array(batch.length);
  const span = 2 * maxShift + 1;
  for (let k = 0; k < n; k++) {
    const dx = Math.floor(rng() * span) - maxShift;
    const dy = Math.floor(rng() * span) - maxShift;
    const at = k * PIXELS;
    shiftImage(batch.subarray(at, at + PIXELS), dx, dy, out.subarray(at, at + PIXELS));
  }
  return out;
}

export interface Affine {
  /** Rotation in radians, counter-clockwise on screen (y down). */
  readonly angle?: number;
  /** Scale about the frame centre (1 = unchanged, 1.1 = 10% larger). */
  readonly scale?: number;
  /** Shift in pixels after rotation and scaling (may be fractional). */
  readonly dx?: number;
  readonly dy?: number;
}

/**
 * Rotates, scales and shifts one 28×28 image about the frame centre (14, 14), sampling the source
 * bilinearly (pixel (x, y) is the unit square [x, x+1) × [y, y+1); values outside count as 0).
 */
export function affineImage(
  image: Float32Array,
  { angle = 0, scale = 1, dx = 0, dy = 0 }: Affine,
  out?: Float32Array,
): Float32Array {
  if (image.length !== PIXELS)
    throw new RangeError(`image has ${image.length} values, expected ${PIXELS}`);
  if (!(scale > 0)) throw new RangeError(`scale must be positive, got ${scale}`);
  const result = checkOut(out, PIXELS);
  if (result === image) throw new RangeError('out must not be the input image');
  const c = SIZE / 2;
  // Inverse map: output centre → source point. Screen y points down, so a counter-clockwise turn
  // on screen is a clockwise one in (x, y) maths coordinates.
  const cos = Math.cos(angle) / scale;
  const sin = Math.sin(angle) / scale;
  const at = (x: number, y: number): number =>
    x >= 0 && x < SIZE && y >= 0 && y < SIZE ? image[y * SIZE + x] : 0;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const px = x + 0.5 - c - dx;
      const py = y + 0.5 - c - dy;
      // Source position in pixel-index space (centre of pixel i is i).
      const sx = cos * px - sin * py + c - 0.5;
      const sy = sin * px + cos * py + c - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      result[y * SIZE + x] =
        (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) +
        fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
    }
  }
  return result;
}

export interface RandomAffineOptions {
  /** Largest rotation either way, in radians (default 0.15 ≈ 8.6°). */
  readonly maxAngle?: number;
  /** Largest relative scale change either way (default 0.1: scale in [0.9, 1.1]). */
  readonly maxScale?: number;
  /** Largest shift either way, in pixels (default 2). */
  readonly maxShift?: number;
}

/**
 * A random small rotation, scale and shift per image (bilinear). Per image it draws, in order,
 * angle, scale, dx, dy, each uniform in its range.
 */
export function randomAffine(
  batch: Float32Array,
  rng: Rng,
  { maxAngle = 0.15, maxScale = 0.1, maxShift = 2 }: RandomAffineOptions = {},
): Float32Array {
  const n = imagesIn(batch);
  const out = new Float32Array(batch.length);
  const uniform = (r: number) => (2 * rng() - 1) * r;
  for (let k = 0; k < n; k++) {
    const affine = {
      angle: uniform(maxAngle),
      scale: 1 + uniform(maxScale),
      dx: uniform(maxShift),
      dy: uniform(maxShift),
    };
    const at = k * PIXELS;
    affineImage(batch.subarray(at, at + PIXELS), affine, out.subarray(at, at + PIXELS));
  }
  return out;
}

/** Augmentation settings as the lab takes them: each a largest change either way. */
export interface AugmentSettings {
  /** Shift in pixels (whole pixels when it is the only one on). */
  readonly shift: number;
  /** Rotation in degrees. */
  readonly rotate: number;
  /** Relative scale change (0.1: scale in [0.9, 1.1]). */
  readonly scale: number;
}

/** What one image of a batch gets: nothing, a whole-pixel shift, or a bilinear affine. */
export type AugmentDraw =
  | { readonly kind: 'none' }
  | { readonly kind: 'shift'; readonly dx: number; readonly dy: number }
  | ({ readonly kind: 'affine' } & Required<Affine>);

/**
 * The draws of augmentBatch for a batch of n images from `seed`: with rotation or scale on, an
 * affine per image (randomAffine's draws: angle, scale, dx, dy); with only a shift, randomShift's
 * whole-pixel dx, dy; else nothing. Figures use it to say what each augmented digit got.
 */
export function augmentDraws(n: number, aug: AugmentSettings, rng: Rng): AugmentDraw[] {
  const draws: AugmentDraw[] = [];
  if (aug.rotate > 0 || aug.scale > 0) {
    const maxAngle = (aug.rotate * Math.PI) / 180;
    const uniform = (r: number) => (2 * rng() - 1) * r;
    for (let k = 0; k < n; k++)
      draws.push({
        kind: 'affine',
        angle: uniform(maxAngle),
        scale: 1 + uniform(aug.scale),
        dx: uniform(aug.shift),
        dy: uniform(aug.shift),
      });
  } else if (aug.shift > 0) {
    const max = Math.round(aug.shift);
    const span = 2 * max + 1;
    for (let k = 0; k < n; k++) {
      const dx = Math.floor(rng() * span) - max;
      const dy = Math.floor(rng() * span) - max;
      draws.push({ kind: 'shift', dx, dy });
    }
  } else for (let k = 0; k < n; k++) draws.push({ kind: 'none' });
  return draws;
}

/**
 * The lab's augmentation of a batch (a new array; with everything off, the input itself): each
 * image transformed by its draw from augmentDraws. Same draws and arithmetic as randomAffine /
 * randomShift, so a figure that calls this shows exactly what training sees.
 */
export function augmentBatch(batch: Float32Array, aug: AugmentSettings, rng: Rng): Float32Array {
  const n = imagesIn(batch);
  const draws = augmentDraws(n, aug, rng);
  if (draws.every((d) => d.kind === 'none')) return batch;
  const out = new Float32Array(batch.length);
  draws.forEach((d, k) => {
    const at = k * PIXELS;
    const src = batch.subarray(at, at + PIXELS);
    const dst = out.subarray(at, at + PIXELS);
    if (d.kind === 'shift') shiftImage(src, d.dx, d.dy, dst);
    else if (d.kind === 'affine') affineImage(src, d, dst);
    else dst.set(src);
  });
  return out;
}
