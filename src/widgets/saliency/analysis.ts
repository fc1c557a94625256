/**
 * saliency (lesson 11, "What did it learn?"): the numbers, pure. |∂(class score)/∂(input)| from
 * the reference engine's `gradientToInput`, occlusion positions and the drop map, the first
 * layer's strongest responses, and whether a network's weights are numbers at all.
 */
import {
  conv2d,
  convGeometry,
  gradientToInput,
  inputCol,
  inputRow,
  outputShapes,
  softmax,
} from '../../cnn/index.ts';
import type { NetworkSpec, Params, Tensor } from '../../cnn/index.ts';

import { SIDE } from '../shared/explain';

export { SIDE };
export const MAX_POSITIONS = 400;
export const TOP_K = 4;

export interface Digit {
  readonly label: number;
  readonly pixels: readonly number[];
}

export function image(pixels: ArrayLike<number>): Tensor {
  return { shape: [1, 1, SIDE, SIDE], data: Float32Array.from(pixels) };
}

/**
 * ∂(logit of `cls`)/∂(input) for one image, by the reference engine: its backward pass from a
 * one-hot seed on the logits down to the image (`gradientToInput`, evaluation mode).
 */
export function inputGradient(
  spec: NetworkSpec,
  params: Params,
  pixels: ArrayLike<number>,
  cls: number,
): { gradient: Float32Array; logits: Float32Array; probs: Float32Array } {
  const classes = outputShapes(spec).at(-1)![1]!;
  if (!Number.isInteger(cls) || cls < 0 || cls >= classes)
    throw new RangeError(`class must be a whole number from 0 to ${classes - 1}, got ${cls}`);
  const seed: Tensor = { shape: [1, classes], data: new Float32Array(classes) };
  seed.data[cls] = 1;
  const { dx, logits } = gradientToInput(spec, params, image(pixels), seed);
  return { gradient: dx.data, logits: logits.data, probs: softmax(logits).data };
}

export {
  absolute,
  argmax,
  DEFAULT_OCCLUSION,
  nonFiniteParam,
  occludedBatch,
  occlusionGrid,
  probabilityDrops,
  type OcclusionSettings,
} from '../shared/explain';

// ---------------------------------------------------------------- first-layer filters

/** Max over the map of the first conv layer's output, per image and filter: [n, filters]. */
export function firstLayerMaxima(
  spec: NetworkSpec,
  params: Params,
  digits: readonly Digit[],
): FirstLayer {
  const layer = spec.layers[0];
  if (layer?.type !== 'conv2d')
    throw new RangeError(`${spec.name}: the first layer is not a convolution`);
  const filters = layer.filters;
  const x: Tensor = {
    shape: [digits.length, 1, SIDE, SIDE],
    data: Float32Array.from(digits.flatMap((d) => d.pixels)),
  };
  const y = conv2d(x, params['0.kernel'], { ...layer, bias: params['0.bias'] });
  const [, , outH, outW] = y.shape as [number, number, number, number];
  const plane = outH * outW;
  const g = convGeometry({
    inputShape: x.shape,
    kernelShape: params['0.kernel'].shape.slice(2) as [number, number],
    strides: layer.strides,
    pads: layer.pads,
    dilations: layer.dilations,
  });
  const maxima = new Float32Array(digits.length * filters);
  const where: Window[] = [];
  for (let n = 0; n < digits.length; n++)
    for (let f = 0; f < filters; f++) {
      let m = -Infinity;
      let at = 0;
      const base = (n * filters + f) * plane;
      for (let k = 0; k < plane; k++)
        if (y.data[base + k] > m) {
          m = y.data[base + k];
          at = k;
        }
      maxima[n * filters + f] = m;
      const i = Math.floor(at / outW);
      const j = at % outW;
      // The input window that output cell read (its first and last taps; it may reach the padding).
      where.push({
        row: inputRow(g, i, 0),
        col: inputCol(g, j, 0),
        rows: g.effectiveKernelHeight,
        cols: g.effectiveKernelWidth,
      });
    }
  return { maxima, filters, where };
}

/** A window of the input: its top-left pixel (may be in the padding, < 0) and its size. */
export interface Window {
  readonly row: number;
  readonly col: number;
  readonly rows: number;
  readonly cols: number;
}

/** The first layer's strongest response per digit and filter, and the window where it fired. */
export interface FirstLayer {
  /** [digits, filters] */
  readonly maxima: Float32Array;
  readonly filters: number;
  /** [digits × filters], in the order of `maxima`: the input window of the largest response. */
  readonly where: readonly Window[];
}

/** Indices of the k images with the largest response of filter f (largest first; ties: lower index). */
export function topImages(
  maxima: ArrayLike<number>,
  filters: number,
  f: number,
  k = TOP_K,
): number[] {
  const n = maxima.length / filters;
  return Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => maxima[b * filters + f] - maxima[a * filters + f] || a - b)
    .slice(0, k);
}
