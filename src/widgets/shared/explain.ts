/**
 * What the explainers of a trained classifier share (lesson 11's saliency, lesson 15's own-class
 * figure): the ONNX gradient graph from a seed on the logits down to the image, occlusion
 * positions and the occluded batch, the drop map, an argmax that NaN never wins, and whether a
 * network's weights are numbers at all. Pure.
 */
import type { NetworkSpec, Params } from '../../cnn/index.ts';
import { buildGradientModel } from '../../onnx/index.ts';

export const SIDE = 28;

/**
 * The gradient of one class's score with respect to the image: the engine's gradient graph,
 * seeded with a one-hot dLogits (input `dLogits`), outputs `logits` and `dinput`. ReLU keeps its
 * own backward ('full': the pooled shortcut is for training graphs) and max pooling routes by the
 * mask, as the reference engine's saliency does.
 */
export function gradientModel(spec: NetworkSpec, batch = 1): Uint8Array {
  return buildGradientModel(spec, {
    batch,
    seed: 'dLogits',
    parameterGradients: false,
    inputGradient: true,
    formulations: { maxPoolGrad: 'mask', reluPool: 'full' },
  }).bytes;
}

export function absolute(values: ArrayLike<number>): Float32Array {
  return Float32Array.from(values, (v) => Math.abs(v));
}

export interface OcclusionSettings {
  readonly size: number;
  readonly stride: number;
}
export const DEFAULT_OCCLUSION: OcclusionSettings = { size: 6, stride: 2 };

/** Top-left corners of every patch: 0, s, 2s, … while the patch fits (row-major). */
export function occlusionGrid(
  o: OcclusionSettings,
  side = SIDE,
): { rows: number; cols: number; positions: { row: number; col: number }[] } {
  const n = Math.floor((side - o.size) / o.stride) + 1;
  const positions: { row: number; col: number }[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) positions.push({ row: i * o.stride, col: j * o.stride });
  return { rows: n, cols: n, positions };
}

/** The image once per position with that patch set to `fill` (0 = blank paper): [n·784]. */
export function occludedBatch(
  pixels: ArrayLike<number>,
  o: OcclusionSettings,
  fill = 0,
): Float32Array {
  const { positions } = occlusionGrid(o);
  const out = new Float32Array(positions.length * SIDE * SIDE);
  positions.forEach(({ row, col }, n) => {
    const base = n * SIDE * SIDE;
    for (let k = 0; k < SIDE * SIDE; k++) out[base + k] = pixels[k];
    for (let r = row; r < row + o.size; r++)
      for (let c = col; c < col + o.size; c++) out[base + r * SIDE + c] = fill;
  });
  return out;
}

/** Drop in the class probability at each position: p(original) − p(occluded). */
export function probabilityDrops(
  probs: ArrayLike<number>,
  classes: number,
  cls: number,
  original: number,
): Float32Array {
  const n = probs.length / classes;
  return Float32Array.from({ length: n }, (_, i) => original - probs[i * classes + cls]);
}

/**
 * The index of the largest value, NaN never winning; −1 when none is a number (a diverged
 * network's probabilities are NaN, where `indexOf(Math.max(…))` is −1 too, but unannounced).
 */
export function argmax(drops: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < drops.length; i++)
    if (!Number.isNaN(drops[i]) && (best < 0 || drops[i] > drops[best])) best = i;
  return best;
}

/** The first parameter (by name) holding NaN or ±∞, or undefined when every weight is a number. */
export function nonFiniteParam(params: Params): string | undefined {
  for (const [name, t] of Object.entries(params))
    for (const v of t.data) if (!Number.isFinite(v)) return name;
  return undefined;
}
