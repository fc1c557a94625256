/**
 * The stepper's kernels: the sides it offers, the presets of each side, flipping for true
 * convolution, and recognising a preset from its values. Pure; no DOM.
 */

/** Kernel sides the editor offers; 3×3 is the default. */
export type Size = 3 | 5;
export const SIZES: readonly Size[] = [3, 5];
/** The default kernel side. */
export const K: Size = 3;
/** Zero padding on every side for a kernel of side `size`: (size − 1) / 2 keeps the image size. */
export const padFor = (size: number): number => (size - 1) / 2;
/** Padding of the default 3×3 kernel. */
export const PAD = padFor(K);
/** The side of a square kernel given row by row. */
export const sideOf = (k: readonly number[]): number => Math.round(Math.sqrt(k.length));

export type Mode = 'xcorr' | 'conv';

export interface Preset {
  readonly id: string;
  readonly label: string;
  readonly values: readonly number[];
}

const r = (x: number) => Math.round(x * 1e4) / 1e4;

export const PRESETS: readonly Preset[] = [
  { id: 'identity', label: 'Identity', values: [0, 0, 0, 0, 1, 0, 0, 0, 0] },
  { id: 'box', label: 'Box blur', values: Array.from({ length: 9 }, () => r(1 / 9)) },
  {
    id: 'gaussian',
    label: 'Gaussian 3×3',
    values: [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
  },
  { id: 'sharpen', label: 'Sharpen', values: [0, -1, 0, -1, 5, -1, 0, -1, 0] },
  { id: 'vertical', label: 'Vertical edge', values: [-1, 0, 1, -1, 0, 1, -1, 0, 1] },
  { id: 'horizontal', label: 'Horizontal edge', values: [-1, -1, -1, 0, 0, 0, 1, 1, 1] },
  { id: 'sobel-x', label: 'Sobel x', values: [-1, 0, 1, -2, 0, 2, -1, 0, 1] },
  { id: 'sobel-y', label: 'Sobel y', values: [-1, -2, -1, 0, 0, 0, 1, 2, 1] },
];

const outer = (a: readonly number[], b: readonly number[], scale = 1) =>
  a.flatMap((x) => b.map((y) => (x * y) / scale));

/** 5×5 presets (ids end in -5): the same ideas on a wider window. */
export const PRESETS_5: readonly Preset[] = [
  { id: 'identity-5', label: 'Identity 5×5', values: outer([0, 0, 1, 0, 0], [0, 0, 1, 0, 0]) },
  { id: 'box-5', label: 'Box blur 5×5', values: Array.from({ length: 25 }, () => 0.04) },
  {
    id: 'gaussian-5',
    label: 'Gaussian 5×5',
    values: outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1], 256),
  },
  {
    id: 'vertical-5',
    label: 'Vertical edge 5×5',
    values: outer([1, 1, 1, 1, 1], [-1, -1, 0, 1, 1]),
  },
  {
    id: 'horizontal-5',
    label: 'Horizontal edge 5×5',
    values: outer([-1, -1, 0, 1, 1], [1, 1, 1, 1, 1]),
  },
];

/** The presets offered for a kernel side. */
export const presetsFor = (size: number): readonly Preset[] => (size === 5 ? PRESETS_5 : PRESETS);

/** The preset to switch to when the side changes: the same idea at the new size, else identity. */
export function presetForSize(id: string, size: Size): Preset {
  const base = id.replace(/-5$/, '');
  const list = presetsFor(size);
  return (
    list.find((p) => p.id === (size === 5 ? `${base}-5` : base)) ??
    list.find((p) => p.id.startsWith('identity'))!
  );
}

export const DEFAULT_PRESET = 'vertical';

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id) ?? PRESETS_5.find((p) => p.id === id);
}

/** The preset whose values equal `kernel`, if any (for the preset menu after an edit). */
export function matchPreset(kernel: readonly number[]): Preset | undefined {
  return presetsFor(sideOf(kernel)).find(
    (p) =>
      p.values.length === kernel.length && p.values.every((v, i) => Math.abs(v - kernel[i]) < 1e-9),
  );
}

/** Rotates a square kernel by 180°: k̃[p][q] = k[n−1−p][n−1−q]. Cross-correlation with k̃ is true convolution with k. */
export function flipKernel(k: readonly number[]): number[] {
  return [...k].reverse();
}

export function effectiveKernel(k: readonly number[], mode: Mode): number[] {
  return mode === 'conv' ? flipKernel(k) : [...k];
}
