/**
 * The stepper's arithmetic: the 14×14 image it walks, step ↔ output cell (0-based, row by row),
 * the feature maps and the written-out multiply-add of one cell, all through the reference
 * engine's conv2d / conv2dTrace. Pure; no DOM.
 */
import { conv2d, conv2dTrace, tensor } from '../../cnn/index.ts';
import type { ConvForwardTrace, Tensor } from '../../cnn/index.ts';
import { navigate } from '../shared/grid-nav';
import { paddedIndex, unpadded } from '../shared/padding';
import { padFor, sideOf } from './kernels';

/** The full image side (MNIST) and the stepper's downsampled side. */
export const FULL = 28;
export const SMALL = 14;
/** Output cells the stepper walks through (padding keeps 14×14). */
export const STEPS = SMALL * SMALL;

/** 28×28 → 14×14 by averaging each 2×2 block (so every step window covers 6×6 original pixels). */
export function downsample2(image: ArrayLike<number>, side = FULL): Float32Array {
  if (image.length !== side * side || side % 2 !== 0) {
    throw new RangeError(
      `downsample2: need an even square image, got ${image.length} values for side ${side}`,
    );
  }
  const h = side / 2;
  const out = new Float32Array(h * h);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < h; j++) {
      const a = 2 * i * side + 2 * j;
      out[i * h + j] = (image[a] + image[a + 1] + image[a + side] + image[a + side + 1]) / 4;
    }
  }
  return out;
}

export function clampStep(step: number): number {
  if (!Number.isFinite(step)) return 0;
  return Math.min(STEPS - 1, Math.max(0, Math.trunc(step)));
}

/** Step index (row-major over the 14×14 output) ↔ output cell, all 0-based. */
export function stepToCell(step: number, cols = SMALL): { row: number; col: number } {
  const s = clampStep(step);
  return { row: Math.floor(s / cols), col: s % cols };
}
export function cellToStep(row: number, col: number, cols = SMALL): number {
  return clampStep(row * cols + col);
}

/** Where a key moves the stepper (grid-nav's one model on the 14×14 output), 'toggle', or null. */
export function stepForKey(key: string, step: number): number | 'toggle' | null {
  return navigate(key, step, STEPS, SMALL);
}

export const asTensor = (side: number, data: ArrayLike<number>): Tensor =>
  tensor([1, 1, side, side], Array.from(data));
export const kernelTensor = (k: readonly number[]): Tensor =>
  tensor([1, 1, sideOf(k), sideOf(k)], [...k]);
export const biasTensor = (b: number): Tensor => tensor([1], [b]);

/** The feature map of one image: reference conv2d with "same" zero padding. */
export function featureMap(
  image: ArrayLike<number>,
  side: number,
  k: readonly number[],
  bias: number,
): Float32Array {
  return conv2d(asTensor(side, image), kernelTensor(k), {
    pads: padFor(sideOf(k)),
    bias: biasTensor(bias),
  }).data;
}

/** The multiply-add of one cell (flat index) of a `side`×`side` feature map. */
function trace(
  image: ArrayLike<number>,
  side: number,
  k: readonly number[],
  bias: number,
  index: number,
): ConvForwardTrace {
  const i = Math.min(side * side - 1, Math.max(0, Math.trunc(index) || 0));
  return conv2dTrace(
    asTensor(side, image),
    kernelTensor(k),
    { n: 0, filter: 0, row: Math.floor(i / side), col: i % side },
    { pads: padFor(sideOf(k)), bias: biasTensor(bias) },
  );
}

/** The multiply-add of one output cell of the stepper (same code path as conv2d). */
export const cellTrace = (
  small: ArrayLike<number>,
  k: readonly number[],
  bias: number,
  step: number,
): ConvForwardTrace => trace(small, SMALL, k, bias, clampStep(step));

/** The multiply-add of one cell (flat index) of the full 28×28 feature map. */
export const fullTrace = (
  image: ArrayLike<number>,
  k: readonly number[],
  bias: number,
  index: number,
): ConvForwardTrace => trace(image, FULL, k, bias, index);

/**
 * Flat indices of the input cells under the window of a trace. With `pad` 0 they index the image
 * and taps in the padding are left out; with the kernel's padding they index the image drawn with
 * its ring of zeros, every tap included (a corner window is a full k × k).
 */
export function windowIndices(trace: ConvForwardTrace, side = SMALL, pad = 0): number[] {
  return trace.terms
    .filter((t) => (pad ? true : !t.inPadding))
    .map((t) => paddedIndex(t.inputRow, t.inputCol, side, pad));
}

/** The step a click on a cell of the padded input goes to: the output cell centred there. */
export function stepForInputCell(index: number, pad: number): number {
  const { row, col } = unpadded(index, SMALL, SMALL, pad);
  return cellToStep(row, col);
}

/** Numbers as the widget writes them: 2 decimals for pixels, up to 4 for kernels; − for minus. */
export function fmt(v: number, decimals = 2): string {
  const s = Number.isInteger(v) ? String(v) : String(Number(v.toFixed(decimals)));
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

/** The written-out sum of a trace: "0.5·1 + 0·0 + … + b = y". */
export function traceEquation(trace: ConvForwardTrace): string {
  const terms = trace.terms.map((t) => `${fmt(t.input)}·${fmt(t.kernel, 4)}`);
  return `${terms.join(' + ')} + ${fmt(trace.bias, 4)} = ${fmt(trace.sum, 4)}`;
}

/** "y(8, 6) = 0 + 0.4365 + … + bias 0 = 2.3225": the products of a trace, 0-based as k_{p,q}. */
export function sumLine(trace: ConvForwardTrace): string {
  const products = trace.terms.map((t) => fmt(t.product, 4)).join(' + ');
  return `y(${trace.row}, ${trace.col}) = ${products} + bias ${fmt(trace.bias, 4)} = ${fmt(trace.sum, 4)}`;
}

/**
 * Where a step is: "Cell 119 of 196: output row 8, column 6". Rows and columns count from 0, as
 * in the formula; the cell's place in the walk counts for people, from 1.
 */
export function stepPlace(step: number, word = 'Cell'): string {
  const { row, col } = stepToCell(step);
  return `${word} ${clampStep(step) + 1} of ${STEPS}: output row ${row}, column ${col}`;
}

/** What the live region says about a step. */
export function announcement(step: number, trace: ConvForwardTrace): string {
  return `${stepPlace(step)} = ${fmt(trace.sum, 4)}`;
}
