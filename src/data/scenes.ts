/**
 * Scenes for lesson 12 (finding things): a 64 × 64 canvas holding 1–4 MNIST digits at random
 * places and sizes, made at run time from a seed, with the answers a detector and a segmenter
 * are scored on — each digit's box and class, and a class for every pixel (ten digits and
 * background). Scene `index` of a seed is the same on every machine, so both engines, the bench
 * and a resumed run see the same scenes. A scene draws its digits from the one split it is given:
 * training scenes from the training digits, held-out scenes from the test digits only.
 */
import { IMAGE_SIZE, mulberry32 } from './mnist.ts';
import type { MnistSplit } from './mnist.ts';

export const SCENE_SIZE = 64;
export const SCENE_PIXELS = SCENE_SIZE * SCENE_SIZE;
/** Ten digits and background: the background's class index is 10. */
export const SEG_CLASSES = 11;
export const BACKGROUND = 10;
export const MIN_DIGITS = 1;
export const MAX_DIGITS = 4;
/** A digit's side on the canvas, in pixels (its 28 × 28 image scaled to side × side). */
export const MIN_SIDE = 18;
export const MAX_SIDE = 32;
/** Ink at or above this (0…1) is the digit's: its pixels in the label map and its tight box. */
export const INK = 0.35;

/** A box on the canvas in pixels: columns x0 ≤ x < x1, rows y0 ≤ y < y1. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface SceneDigit {
  /** 0–9. */
  readonly label: number;
  /** The tight box around its ink on the canvas. */
  readonly box: Box;
  /** Where it came from: its index in the split the scene was made from. */
  readonly source: number;
}

export interface Scene {
  /** SCENE_PIXELS values in [0, 1], row-major. */
  readonly pixels: Float32Array;
  /** SCENE_PIXELS classes: 0–9 the digit whose ink covers the pixel, BACKGROUND elsewhere. */
  readonly labels: Uint8Array;
  readonly digits: readonly SceneDigit[];
}

/** The 32-bit seed of scene `index` of the stream `seed`. */
export function sceneSeed(seed: number, index: number): number {
  let h = (seed ^ 0x3c6ef372) >>> 0;
  h = Math.imul(h ^ (index + 0x9e3779b9), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Bilinear sample of a 28 × 28 byte image at (row, col), 0 outside, scaled to [0, 1]. */
function sample(img: Uint8Array, offset: number, r: number, c: number): number {
  const r0 = Math.floor(r);
  const c0 = Math.floor(c);
  let v = 0;
  for (let dr = 0; dr < 2; dr++) {
    for (let dc = 0; dc < 2; dc++) {
      const rr = r0 + dr;
      const cc = c0 + dc;
      if (rr < 0 || cc < 0 || rr >= IMAGE_SIZE || cc >= IMAGE_SIZE) continue;
      const w = (dr ? r - r0 : 1 - (r - r0)) * (dc ? c - c0 : 1 - (c - c0));
      v += w * img[offset + rr * IMAGE_SIZE + cc]!;
    }
  }
  return v / 255;
}

/**
 * Scales digit `source` of `split` to side × side and paints it with its top-left corner at
 * (top, left): ink is the maximum of what is there and the digit; a pixel's label is the digit
 * whose ink there is strongest (at least INK). Returns the tight box of its ink, or null when
 * none of it reached INK (then nothing is labelled).
 */
export function paintDigit(
  scene: { pixels: Float32Array; labels: Uint8Array },
  split: Pick<MnistSplit, 'images' | 'labels'>,
  source: number,
  top: number,
  left: number,
  side: number,
): Box | null {
  const offset = source * IMAGE_SIZE * IMAGE_SIZE;
  const label = split.labels[source]!;
  const scale = IMAGE_SIZE / side;
  let x0 = SCENE_SIZE;
  let y0 = SCENE_SIZE;
  let x1 = -1;
  let y1 = -1;
  for (let i = 0; i < side; i++) {
    const y = top + i;
    if (y < 0 || y >= SCENE_SIZE) continue;
    for (let j = 0; j < side; j++) {
      const x = left + j;
      if (x < 0 || x >= SCENE_SIZE) continue;
      // Pixel centres map to pixel centres (the usual half-pixel alignment).
      const v = sample(split.images, offset, (i + 0.5) * scale - 0.5, (j + 0.5) * scale - 0.5);
      const k = y * SCENE_SIZE + x;
      if (v >= INK && v > scene.pixels[k]!) scene.labels[k] = label;
      if (v > scene.pixels[k]!) scene.pixels[k] = v;
      if (v >= INK) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + 1);
        y1 = Math.max(y1, y + 1);
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}

/** How much two placement squares may share, as a fraction of the smaller one's area. */
const MAX_SHARED = 0.15;

function shared(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  if (w <= 0 || h <= 0) return 0;
  const small = Math.min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0));
  return (w * h) / small;
}

/**
 * Scene `index` of the stream `seed`, its digits drawn from `split` only: 1–4 digits, each
 * MIN_SIDE…MAX_SIDE pixels, placed inside the canvas so that their squares overlap little
 * (a digit that finds no free place in 20 tries is left out; the first always fits).
 */
export function makeScene(
  split: Pick<MnistSplit, 'images' | 'labels' | 'count'>,
  seed: number,
  index: number,
): Scene {
  if (split.count < 1) throw new RangeError('makeScene: the split holds no digits');
  if (!Number.isInteger(index) || index < 0)
    throw new RangeError(`makeScene: index must be a non-negative integer, got ${index}`);
  const rng = mulberry32(sceneSeed(seed, index));
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const scene = {
    pixels: new Float32Array(SCENE_PIXELS),
    labels: new Uint8Array(SCENE_PIXELS).fill(BACKGROUND),
  };
  const wanted = int(MIN_DIGITS, MAX_DIGITS);
  const squares: Box[] = [];
  const digits: SceneDigit[] = [];
  for (let d = 0; d < wanted; d++) {
    const source = Math.floor(rng() * split.count);
    const side = int(MIN_SIDE, MAX_SIDE);
    for (let attempt = 0; attempt < 20; attempt++) {
      const top = int(0, SCENE_SIZE - side);
      const left = int(0, SCENE_SIZE - side);
      const square = { x0: left, y0: top, x1: left + side, y1: top + side };
      if (squares.some((s) => shared(s, square) > MAX_SHARED)) continue;
      squares.push(square);
      const box = paintDigit(scene, split, source, top, left, side);
      if (box) digits.push({ label: split.labels[source]!, box, source });
      break;
    }
  }
  return { ...scene, digits };
}

/** Scenes start … start + n − 1 as one batch: pixels [n, 1, 64, 64] and labels [n, 64, 64]. */
export function sceneBatch(
  split: Pick<MnistSplit, 'images' | 'labels' | 'count'>,
  seed: number,
  indices: ArrayLike<number>,
): { images: Float32Array; labels: Uint8Array; scenes: Scene[] } {
  const n = indices.length;
  const images = new Float32Array(n * SCENE_PIXELS);
  const labels = new Uint8Array(n * SCENE_PIXELS);
  const scenes: Scene[] = [];
  for (let k = 0; k < n; k++) {
    const s = makeScene(split, seed, indices[k]!);
    images.set(s.pixels, k * SCENE_PIXELS);
    labels.set(s.labels, k * SCENE_PIXELS);
    scenes.push(s);
  }
  return { images, labels, scenes };
}

/**
 * A label map made `factor` times coarser: a cell takes the digit class covering most of its
 * pixels, background only when no digit covers any (thin strokes would vanish under a plain
 * majority). Ties go to the smaller class index.
 */
export function downsampleLabels(
  labels: Uint8Array,
  size: number,
  factor: number,
  classes = SEG_CLASSES,
  background = BACKGROUND,
): Uint8Array {
  if (!Number.isInteger(factor) || factor < 1 || size % factor !== 0)
    throw new RangeError(`downsampleLabels: factor ${factor} must divide the size ${size}`);
  const n = labels.length / (size * size);
  if (!Number.isInteger(n))
    throw new RangeError(
      `downsampleLabels: ${labels.length} labels are not whole ${size}×${size} maps`,
    );
  const out = size / factor;
  const result = new Uint8Array(n * out * out);
  const counts = new Array<number>(classes);
  for (let m = 0; m < n; m++) {
    for (let r = 0; r < out; r++) {
      for (let c = 0; c < out; c++) {
        counts.fill(0);
        for (let i = 0; i < factor; i++)
          for (let j = 0; j < factor; j++)
            counts[labels[m * size * size + (r * factor + i) * size + c * factor + j]!]! += 1;
        let best = background;
        for (let k = 0; k < classes; k++)
          if (
            k !== background &&
            counts[k]! > 0 &&
            (best === background || counts[k]! > counts[best]!)
          )
            best = k;
        result[m * out * out + r * out + c] = best;
      }
    }
  }
  return result;
}
