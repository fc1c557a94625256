/**
 * The course's photographs (public/photos/, downscaled by scripts/downscale-photos.py; sources
 * and licences in docs/data.md) and the few things every photo widget does with them: load one
 * into RGB bytes, lay it out as the NCHW tensor the engines read, and draw it on a canvas.
 */
import { navigate } from './grid-nav';

export interface PhotoInfo {
  readonly id: string;
  readonly label: string;
  /** What a screen reader says of it. */
  readonly alt: string;
  readonly credit: string;
}

/** The shipped photos (each at most 128 px on its long side). */
export const PHOTOS: readonly PhotoInfo[] = [
  {
    id: 'chelsea',
    label: 'Cat (Chelsea)',
    alt: 'A tabby cat looking up, close up',
    credit: 'Stéfan van der Walt, CC0',
  },
  {
    id: 'coffee',
    label: 'Coffee cup',
    alt: 'A cup of espresso on a red saucer, seen from above, on a wooden table',
    credit: 'Rachel Michetti, CC0',
  },
  {
    id: 'astronaut',
    label: 'Astronaut (Eileen Collins)',
    alt: 'Astronaut Eileen Collins in an orange flight suit in front of the US flag',
    credit: 'NASA, public domain',
  },
];
export const PHOTO_IDS = PHOTOS.map((p) => p.id);
/** The photo menu's entries (SelectField). */
export const photoOptions = PHOTOS.map((p) => ({ value: p.id, label: p.label }));
export const photoInfo = (id: string): PhotoInfo | undefined => PHOTOS.find((p) => p.id === id);

/** A photo as the widgets hold it: height × width × 3 bytes, row by row (HWC, as files store it). */
export interface Photo {
  /** Which photo: a shipped id, or `upload:<n>` for the reader's n-th upload. */
  readonly key: string;
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8ClampedArray;
}

/** Keeps R, G, B of RGBA bytes (a canvas's getImageData). */
export function rgbFromRgba(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
): Uint8ClampedArray {
  const n = width * height;
  if (rgba.length !== 4 * n) {
    throw new RangeError(
      `a ${width}×${height} RGBA image needs ${4 * n} bytes, got ${rgba.length}`,
    );
  }
  const out = new Uint8ClampedArray(3 * n);
  for (let i = 0; i < n; i++) {
    out[3 * i] = rgba[4 * i];
    out[3 * i + 1] = rgba[4 * i + 1];
    out[3 * i + 2] = rgba[4 * i + 2];
  }
  return out;
}

/** The photo's values in [0, 1], in NCHW order: all of red, then green, then blue. */
export function photoPlanes(p: Photo): Float32Array {
  const n = p.width * p.height;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) out[c * n + i] = p.rgb[3 * i + c] / 255;
  return out;
}

/** Where a photo file is served (no network beyond the site itself). */
export const photoUrl = (id: string): string => `/photos/${id}.png`;

/** Decodes a small image file (a shipped photo) to RGB bytes; exact values, no colour conversion. */
export async function decodePhoto(blob: Blob, key: string): Promise<Photo> {
  const bitmap = await createImageBitmap(blob, {
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
  });
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas is available to read the photo');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return {
    key,
    width,
    height,
    rgb: rgbFromRgba(ctx.getImageData(0, 0, width, height).data, width, height),
  };
}

/** Fetches and decodes a shipped photo. */
export async function loadPhoto(id: string): Promise<Photo> {
  const res = await fetch(photoUrl(id));
  if (!res.ok) throw new Error(`the photo "${id}" could not be loaded (HTTP ${res.status})`);
  return decodePhoto(await res.blob(), id);
}

/** The pixel (flat index) under a pointer event on a canvas drawn `cols` × `rows`. */
export function pixelAt(e: MouseEvent, canvas: HTMLElement, cols: number, rows: number): number {
  const box = canvas.getBoundingClientRect();
  const col = Math.floor(((e.clientX - box.left) / box.width) * cols);
  const row = Math.floor(((e.clientY - box.top) / box.height) * rows);
  const clamp = (v: number, n: number) => Math.max(0, Math.min(n - 1, v));
  return clamp(row, rows) * cols + clamp(col, cols);
}

/** Places `box` over rows r0…r1, columns c0…c1 (inclusive) of a `cols` × `rows` picture. */
export function placeBox(
  box: HTMLElement,
  cols: number,
  rows: number,
  r0: number,
  c0: number,
  r1: number,
  c1: number,
): void {
  box.style.left = `${(100 * c0) / cols}%`;
  box.style.top = `${(100 * r0) / rows}%`;
  box.style.width = `${(100 * (c1 - c0 + 1)) / cols}%`;
  box.style.height = `${(100 * (r1 - r0 + 1)) / rows}%`;
}

/** What a photo menu dispatches: the pick at once, then the loaded photo or why it failed. */
export type PhotoPickAction =
  | { readonly kind: 'pick'; readonly id: string }
  /** `note`: what the photo control then says (an upload's size, say). */
  | { readonly kind: 'loaded'; readonly photo: Photo; readonly note?: string }
  | { readonly kind: 'failed'; readonly message: string };

/** Wires a photo <select> (SelectField with `photoOptions`), starting at `current`. */
export function wirePhotoMenu(
  select: HTMLSelectElement,
  current: string,
  dispatch: (a: PhotoPickAction) => void,
): void {
  select.value = current;
  select.addEventListener('change', () => {
    const id = select.value;
    dispatch({ kind: 'pick', id });
    loadPhoto(id).then(
      (photo) => dispatch({ kind: 'loaded', photo }),
      (e: unknown) =>
        dispatch({
          kind: 'failed',
          message: `That photo could not be loaded: ${e instanceof Error ? e.message : String(e)}`,
        }),
    );
  });
}

// ---------------------------------------------------------------- the pointed pixel
// A photo figure points at one pixel, as a flat row-major index: the same keys and clicks as
// every grid of the course, and the same row and column kept when the photo changes.

/** The centre pixel of `photo`. */
export const centreIndex = (photo: Photo): number =>
  Math.floor(photo.height / 2) * photo.width + Math.floor(photo.width / 2);

/** The pixel at `cursor`'s row and column on `next` (clamped), after `prev` was replaced by it. */
export function carryCursor(cursor: number, prev: Photo, next: Photo): number {
  const row = Math.min(next.height - 1, Math.floor(cursor / prev.width));
  const col = Math.min(next.width - 1, cursor % prev.width);
  return row * next.width + col;
}

export type CursorAction =
  | { readonly kind: 'point'; readonly index: number }
  | { readonly kind: 'key'; readonly key: string };

/** Where a click (`point`) or a key moves the cursor; `cursor` itself when it does not move. */
export function moveCursor(cursor: number, photo: Photo, a: CursorAction): number {
  const n = photo.width * photo.height;
  if (a.kind === 'point') return Math.max(0, Math.min(n - 1, Math.trunc(a.index) || 0));
  const to = navigate(a.key, cursor, n, photo.width);
  return typeof to === 'number' ? to : cursor;
}
