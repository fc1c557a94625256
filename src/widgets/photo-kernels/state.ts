/**
 * photo-kernels (lesson 2): the classic image kernels slid over a real photo (or the reader's
 * own), with the multiply-add of any pointed output pixel. Pure: settings, reducer, the reference
 * result (two conv2d calls: colour → gray, gray → feature map), the trace of one pixel, and the
 * checks an upload must pass.
 */
import { conv2d, conv2dTrace, tensor } from '../../cnn/index.ts';
import type { ConvForwardTrace, Tensor } from '../../cnn/index.ts';
import { choice, readFields } from '../shared/fields';
import { upTo as fmt } from '../shared/format';
import * as photoState from '../shared/photo-state';
import { PHOTO_IDS, photoPlanes } from '../shared/photos';
import type { Photo } from '../shared/photos';
import { KERNEL_IDS, kernelById, TO_GRAY } from './kernels';

/** The long side an upload is downscaled to: the feature map then costs ~150,000 multiply-adds. */
export const MAX_SIDE = 128;
/** The largest file read at all (a photo straight off a phone is 3–12 MB). */

export const FIELDS = {
  photo: choice('p', 'photo', PHOTO_IDS, 'chelsea'),
  kernel: choice('k', 'kernel', KERNEL_IDS, 'sobel-x'),
} as const;

/** The photo (or the reader's upload, `want` = `upload:N`), the kernel, the pointed output pixel. */
export interface KernelsState extends photoState.Slice {
  readonly kernel: string;
  /** Uploads so far, for the keys `upload:1`, `upload:2`… */
  readonly uploads: number;
}

export type KernelsAction =
  | photoState.Action
  | { readonly kind: 'uploading'; readonly name: string }
  | { readonly kind: 'kernel'; readonly id: string };

export function initialKernels(photo: Photo, kernel: string): KernelsState {
  return { ...photoState.initial(photo), kernel, uploads: 0 };
}

export function reduceKernels(s: KernelsState, a: KernelsAction): KernelsState {
  if (photoState.isAction(a)) return photoState.reduce(s, a);
  switch (a.kind) {
    case 'uploading': {
      const uploads = s.uploads + 1;
      return {
        ...s,
        uploads,
        want: `upload:${uploads}`,
        message: { text: `Reading “${a.name}”…`, bad: false },
      };
    }
    case 'kernel':
      return a.id === s.kernel || !KERNEL_IDS.includes(a.id) ? s : { ...s, kernel: a.id };
  }
}

export function parseKernelsParams(params: ReadonlyMap<string, string>) {
  return readFields(FIELDS, params);
}

/** The link: the shipped photo (an upload is never put in a link) and the kernel. */
export function kernelsParams(s: KernelsState): Record<string, string | undefined> {
  const photo = PHOTO_IDS.includes(s.photo.key) ? s.photo.key : undefined;
  return {
    p: photo === FIELDS.photo.initial ? undefined : photo,
    k: s.kernel === FIELDS.kernel.initial ? undefined : s.kernel,
  };
}

export interface KernelsResult {
  readonly x: Tensor; // [1, 3, H, W] in [0, 1]
  readonly toGray: Tensor; // [1, 3, 1, 1]
  readonly kernel: Tensor; // [1, 1, 3, 3]
  readonly gray: Tensor; // [1, 1, H, W]
  readonly y: Tensor; // [1, 1, H, W]
}

/** The reference result: gray = 1×1 conv over R, G, B; y = the 3×3 kernel, one ring of zeros. */
export function computeKernels(s: KernelsState): KernelsResult {
  const { width: w, height: h } = s.photo;
  const x = tensor([1, 3, h, w], photoPlanes(s.photo));
  const toGray = tensor([1, 3, 1, 1], [...TO_GRAY]);
  const kernel = tensor([1, 1, 3, 3], [...kernelById(s.kernel).values]);
  const gray = conv2d(x, toGray);
  return { x, toGray, kernel, gray, y: conv2d(gray, kernel, { pads: 1 }) };
}

/** The multiply-add of the pointed output pixel (the same code path as conv2d). */
export function pixelTrace(s: KernelsState, r: KernelsResult): ConvForwardTrace {
  const { width: w } = s.photo;
  return conv2dTrace(
    r.gray,
    r.kernel,
    { n: 0, filter: 0, row: Math.floor(s.cursor / w), col: s.cursor % w },
    { pads: 1 },
  );
}

export { signedScale } from '../shared/palette';

/** Numbers as the readout writes them: up to 3 decimals, − for minus. */
export { upTo as fmt } from '../shared/format';

/** "y(12, 40) = 0.412·(−1) + … = 0.118": the window times the weights, 0-based as in lesson 2. */
export function traceLine(t: ConvForwardTrace): string {
  const w = (k: number) => (k < 0 ? `(${fmt(k, 4)})` : fmt(k, 4));
  const terms = t.terms.map((term) => `${fmt(term.input)}·${w(term.kernel)}`).join(' + ');
  return `y(${t.row}, ${t.col}) = ${terms} = ${fmt(t.sum, 4)}`;
}
