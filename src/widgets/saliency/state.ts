/**
 * saliency (lesson 11, "What did it learn?"): pure parts. |∂(class score)/∂(input)| from the
 * reference engine's `gradientToInput`, occlusion positions and the drop map, the first layer's
 * strongest responses, and URL parsing.
 */
import {
  conv2d,
  gradientToInput,
  outputShapes,
  softmax,
  type NetworkSpec,
  type Params,
  type Tensor,
} from '../../cnn/index.ts';

export const SIDE = 28;
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

export function absolute(values: ArrayLike<number>): Float32Array {
  return Float32Array.from(values, (v) => Math.abs(v));
}

// ---------------------------------------------------------------- occlusion

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

/** Patch size and stride as typed; messages name the setting, the value and the rule. */
export function parseOcclusion(
  sizeRaw: string,
  strideRaw: string,
): { settings: OcclusionSettings } | { error: string; field: 'size' | 'stride' } {
  const whole = (raw: string) => (/^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN);
  const size = whole(sizeRaw);
  if (!(size >= 1 && size <= SIDE))
    return {
      error: `Patch size must be a whole number from 1 to ${SIDE}, got "${sizeRaw}".`,
      field: 'size',
    };
  const stride = whole(strideRaw);
  if (!(stride >= 1 && stride <= SIDE))
    return {
      error: `Stride must be a whole number from 1 to ${SIDE}, got "${strideRaw}".`,
      field: 'stride',
    };
  const count = occlusionGrid({ size, stride }).positions.length;
  if (count > MAX_POSITIONS)
    return {
      error: `Patch ${size} with stride ${stride} gives ${count} positions; at most ${MAX_POSITIONS} (use a larger stride).`,
      field: 'stride',
    };
  return { settings: { size, stride } };
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

// ---------------------------------------------------------------- first-layer filters

/** Max over the map of the first conv layer's output, per image and filter: [n, filters]. */
export function firstLayerMaxima(
  spec: NetworkSpec,
  params: Params,
  digits: readonly Digit[],
): { maxima: Float32Array; filters: number } {
  const layer = spec.layers[0];
  if (layer?.type !== 'conv2d')
    throw new RangeError(`${spec.name}: the first layer is not a convolution`);
  const filters = layer.filters;
  const x: Tensor = {
    shape: [digits.length, 1, SIDE, SIDE],
    data: Float32Array.from(digits.flatMap((d) => d.pixels)),
  };
  const y = conv2d(x, params['0.kernel'], { ...layer, bias: params['0.bias'] });
  const plane = y.shape[2] * y.shape[3];
  const maxima = new Float32Array(digits.length * filters);
  for (let n = 0; n < digits.length; n++)
    for (let f = 0; f < filters; f++) {
      let m = -Infinity;
      const base = (n * filters + f) * plane;
      for (let k = 0; k < plane; k++) if (y.data[base + k] > m) m = y.data[base + k];
      maxima[n * filters + f] = m;
    }
  return { maxima, filters };
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

// ---------------------------------------------------------------- URL

export interface SaliencyUrlState {
  readonly digit: number;
  readonly cls: number | null; // null: the digit's own label
  readonly occlusion: OcclusionSettings;
  readonly notes: readonly string[];
}

export function parseSaliencyParams(
  params: ReadonlyMap<string, string>,
  digits: number,
): SaliencyUrlState {
  const notes: string[] = [];
  const int = (key: string, lo: number, hi: number): number | null => {
    const raw = params.get(key);
    if (raw === undefined) return null;
    if (/^\s*\d+\s*$/.test(raw) && Number(raw) >= lo && Number(raw) <= hi) return Number(raw);
    notes.push(
      `The link's ${key} "${raw}" is not a whole number from ${lo} to ${hi}; using the default.`,
    );
    return null;
  };
  const digit = int('digit', 0, digits - 1) ?? 0;
  const cls = int('class', 0, 9);
  let occlusion = DEFAULT_OCCLUSION;
  const size = params.get('patch');
  const stride = params.get('stride');
  if (size !== undefined || stride !== undefined) {
    const r = parseOcclusion(
      size ?? String(DEFAULT_OCCLUSION.size),
      stride ?? String(DEFAULT_OCCLUSION.stride),
    );
    if ('settings' in r) occlusion = r.settings;
    else
      notes.push(
        `${r.error} Using patch ${DEFAULT_OCCLUSION.size}, stride ${DEFAULT_OCCLUSION.stride}.`,
      );
  }
  return { digit, cls, occlusion, notes };
}

export function saliencyParams(
  s: Omit<SaliencyUrlState, 'notes'>,
): Record<string, string | undefined> {
  return {
    digit: String(s.digit),
    class: s.cls === null ? undefined : String(s.cls),
    patch: String(s.occlusion.size),
    stride: String(s.occlusion.stride),
  };
}
