/**
 * Turns a reader's digit (a drawing-pad canvas or an uploaded picture) into a 28×28 MNIST-like
 * input, the way the MNIST digits were made: the ink's bounding box is scaled so its larger side is
 * 20 px (aspect ratio kept, area-averaged), then placed in a 28×28 frame so that the ink's centre
 * of mass sits at the frame centre (14, 14). Values are in [0, 1], ink = high. Pure; no DOM.
 *
 * Coordinates are continuous: pixel (x, y) is the unit square [x, x+1) × [y, y+1), so the centre of
 * the 28×28 frame is the point (14, 14), between pixels 13 and 14.
 */
import { AreaResampler } from './resample.ts';

export type Pixels = Float32Array | Uint8Array | Uint8ClampedArray;

/**
 * Which pixels are ink. 'light': bright strokes on a dark background (MNIST's own look);
 * 'dark': dark strokes on a light background (pen on paper, a black brush on a white canvas);
 * 'auto': decided from the border (a transparent border means ink is whatever is opaque).
 */
export type InkPolarity = 'auto' | 'light' | 'dark';

export interface PreprocessOptions {
  readonly ink?: InkPolarity;
  /** A pixel is ink for the bounding box when above this fraction of the brightest ink (0.2). */
  readonly threshold?: number;
  /** Length of the larger side of the scaled ink box, in pixels (20, as in MNIST). */
  readonly boxSize?: number;
  /** Rescale the result so its brightest pixel is 1 (true). */
  readonly normalize?: boolean;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type Preprocessed =
  | { readonly empty: true }
  | {
      readonly empty: false;
      /** 28×28 row-major, in [0, 1], ink high: ready for toFloatBatch-shaped input. */
      readonly image: Float32Array;
      /** The ink's bounding box in the input. */
      readonly box: Box;
      /** Where the scaled box was placed in the 28×28 frame. */
      readonly placed: Box;
      /** The ink's centre of mass in the 28×28 frame (ideally (14, 14)). */
      readonly centerOfMass: { readonly x: number; readonly y: number };
    };

const FRAME = 28;
/** Below this much ink (0–1) at its brightest, a drawing counts as empty. */
const MIN_INK = 0.05;

/** Gray value in [0, 1]: floats are taken as they are, bytes are divided by 255. */
function unit(pixels: Pixels): number {
  return pixels instanceof Float32Array ? 1 : 1 / 255;
}

function channelsOf(pixels: Pixels, width: number, height: number): 1 | 4 {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
  }
  const n = width * height;
  if (pixels.length === n) return 1;
  if (pixels.length === 4 * n) return 4;
  throw new RangeError(
    `a ${width}×${height} image needs ${n} gray or ${4 * n} RGBA values, got ${pixels.length}`,
  );
}

/**
 * The ink of each pixel, in [0, 1]. Gray input is one value per pixel; RGBA is four (luminance
 * 0.299 R + 0.587 G + 0.114 B; alpha weighs the ink, transparent = no ink).
 */
export function inkMap(
  pixels: Pixels,
  width: number,
  height: number,
  ink: InkPolarity = 'auto',
): Float32Array {
  const channels = channelsOf(pixels, width, height);
  const k = unit(pixels);
  const n = width * height;
  const out = new Float32Array(n);
  const lum = (i: number) =>
    channels === 1
      ? pixels[i] * k
      : (0.299 * pixels[4 * i] + 0.587 * pixels[4 * i + 1] + 0.114 * pixels[4 * i + 2]) * k;
  const alpha = (i: number) => (channels === 1 ? 1 : pixels[4 * i + 3] * k);

  let mode: 'light' | 'dark' | 'alpha' = ink === 'auto' ? 'light' : ink;
  if (ink === 'auto') {
    let sumAlpha = 0;
    let sumLum = 0;
    let count = 0;
    forEachBorderPixel(width, height, (i) => {
      sumAlpha += alpha(i);
      sumLum += lum(i);
      count++;
    });
    if (sumAlpha / count < 0.5) mode = 'alpha';
    else if (sumLum / count > 0.5) mode = 'dark';
  }
  for (let i = 0; i < n; i++) {
    const a = alpha(i);
    const v = mode === 'alpha' ? a : mode === 'dark' ? a * (1 - lum(i)) : a * lum(i);
    out[i] = Math.min(1, Math.max(0, v));
  }
  return out;
}

function forEachBorderPixel(width: number, height: number, visit: (i: number) => void): void {
  for (let x = 0; x < width; x++) {
    visit(x);
    if (height > 1) visit((height - 1) * width + x);
  }
  for (let y = 1; y < height - 1; y++) {
    visit(y * width);
    if (width > 1) visit(y * width + width - 1);
  }
}

/** The median of the border's ink: the background level of a photographed or scanned page. */
function backgroundLevel(ink: Float32Array, width: number, height: number): number {
  const values: number[] = [];
  forEachBorderPixel(width, height, (i) => values.push(ink[i]));
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}

/**
 * Preprocesses a drawn or uploaded digit into a 28×28 MNIST-like image (see the file comment).
 * `pixels` is gray (width·height values) or RGBA (4·width·height), floats in [0, 1] or bytes.
 * Returns `{ empty: true }` when there is no ink.
 */
export function preprocessDigit(
  pixels: Pixels,
  width: number,
  height: number,
  { ink = 'auto', threshold = 0.2, boxSize = 20, normalize = true }: PreprocessOptions = {},
): Preprocessed {
  if (!(threshold >= 0 && threshold < 1))
    throw new RangeError(`threshold must be in [0, 1), got ${threshold}`);
  if (!Number.isInteger(boxSize) || boxSize < 1 || boxSize > FRAME) {
    throw new RangeError(`boxSize must be an integer in [1, ${FRAME}], got ${boxSize}`);
  }
  const map = inkMap(pixels, width, height, ink);

  // Remove a uniform background (paper in a photo); a drawing pad's background is 0 already.
  const bg = backgroundLevel(map, width, height);
  let max = 0;
  for (let i = 0; i < map.length; i++) {
    const v = Math.max(0, map[i] - bg);
    map[i] = v;
    if (v > max) max = v;
  }
  if (max < MIN_INK) return { empty: true };

  // Bounding box of the ink.
  const cut = Math.max(threshold * max, 1e-6);
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (map[y * width + x] >= cut) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  const box = { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };

  // Scale the box so that its larger side is boxSize, keeping the aspect ratio.
  const scale = boxSize / Math.max(box.width, box.height);
  const w = Math.max(1, Math.min(boxSize, Math.round(box.width * scale)));
  const h = Math.max(1, Math.min(boxSize, Math.round(box.height * scale)));
  const r = new AreaResampler(box.width, box.height, w, h);
  for (let y = 0; y < box.height; y++) {
    const row = (box.y + y) * width + box.x;
    r.addRow(y, (x) => map[row + x]);
  }
  const small = r.result();

  // Centre of mass of the scaled ink, then the whole-pixel shift that brings it nearest (14, 14).
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = small[y * w + x];
      mass += v;
      mx += (x + 0.5) * v;
      my += (y + 0.5) * v;
    }
  }
  if (mass <= 0) return { empty: true };
  const cx = mx / mass;
  const cy = my / mass;
  const ox = Math.min(FRAME - w, Math.max(0, Math.round(FRAME / 2 - cx)));
  const oy = Math.min(FRAME - h, Math.max(0, Math.round(FRAME / 2 - cy)));

  const image = new Float32Array(FRAME * FRAME);
  let peak = 0;
  for (const v of small) if (v > peak) peak = v;
  const gain = normalize && peak > 0 ? 1 / peak : 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      image[(oy + y) * FRAME + ox + x] = Math.min(1, small[y * w + x] * gain);
    }
  }
  return {
    empty: false,
    image,
    box,
    placed: { x: ox, y: oy, width: w, height: h },
    centerOfMass: { x: cx + ox, y: cy + oy },
  };
}

/** Largest image downscaleImage accepts: 100 megapixels (a 50-megapixel photo fits). */
export const MAX_IMAGE_PIXELS = 100_000_000;
/** Largest side downscaleImage accepts, in pixels (the largest canvas side browsers allow). */
export const MAX_IMAGE_SIDE = 32_768;
/** Largest output side downscaleImage will produce. */
export const MAX_OUTPUT_SIDE = 1024;

export interface GrayImage {
  /** width × height luminance in [0, 1], alpha composited over white. */
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

function checkImageSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
  }
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new RangeError(
      `image is too large: ${width}×${height} (${((width * height) / 1e6).toFixed(1)} megapixels); ` +
        `the limit is ${MAX_IMAGE_PIXELS / 1e6} megapixels and ${MAX_IMAGE_SIDE} px a side`,
    );
  }
}

/** Output size: the larger side becomes maxSide (never enlarged), the aspect ratio is kept. */
export function downscaledSize(
  width: number,
  height: number,
  maxSide: number,
): { width: number; height: number } {
  checkImageSize(width, height);
  if (!Number.isInteger(maxSide) || maxSide < 1 || maxSide > MAX_OUTPUT_SIDE) {
    throw new RangeError(`maxSide must be an integer in [1, ${MAX_OUTPUT_SIDE}], got ${maxSide}`);
  }
  const s = Math.min(1, maxSide / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * s)),
    height: Math.max(1, Math.round(height * s)),
  };
}

/**
 * A downscaler fed RGBA rows in strips (e.g. `getImageData` of 256 rows at a time), so that a huge
 * upload never needs more than one strip plus the small output in memory.
 */
export function createDownscaler(width: number, height: number, maxSide: number) {
  const size = downscaledSize(width, height, maxSide);
  const r = new AreaResampler(width, height, size.width, size.height);
  let nextRow = 0;
  return {
    ...size,
    /** Adds the next rows (a whole number of rows of RGBA bytes, top to bottom). */
    addRows(rgba: Uint8Array | Uint8ClampedArray): void {
      if (rgba.length % (4 * width) !== 0) {
        throw new RangeError(
          `a strip must hold whole rows of ${4 * width} bytes, got ${rgba.length}`,
        );
      }
      const rows = rgba.length / (4 * width);
      if (nextRow + rows > height) {
        throw new RangeError(`too many rows: ${nextRow + rows} for an image ${height} high`);
      }
      for (let y = 0; y < rows; y++) {
        const at = y * 4 * width;
        r.addRow(nextRow + y, (x) => {
          const i = at + 4 * x;
          const a = rgba[i + 3] / 255;
          const lum = (0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]) / 255;
          return a * lum + (1 - a);
        });
      }
      nextRow += rows;
    },
    finish(): GrayImage {
      if (nextRow !== height) throw new RangeError(`got ${nextRow} of ${height} rows`);
      return { data: r.result(), ...size };
    },
  };
}

/**
 * Downscales an RGBA image (e.g. an uploaded photo) to a gray image whose larger side is at most
 * `maxSide`, area-averaged, one row at a time. Rejects images over MAX_IMAGE_PIXELS (100 MP) or
 * MAX_IMAGE_SIDE (32,768 px) with a RangeError. Feed the result to preprocessDigit.
 */
export function downscaleImage(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  maxSide: number,
): GrayImage {
  const d = createDownscaler(width, height, maxSide);
  if (rgba.length !== 4 * width * height) {
    throw new RangeError(
      `a ${width}×${height} RGBA image needs ${4 * width * height} bytes, got ${rgba.length}`,
    );
  }
  const strip = 4 * width * 256;
  for (let at = 0; at < rgba.length; at += strip) d.addRows(rgba.subarray(at, at + strip));
  return d.finish();
}
