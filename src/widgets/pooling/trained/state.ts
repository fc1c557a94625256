/**
 * pool-shift (lesson 6): pooling's tolerance where it matters, on a trained network's first
 * feature maps. Ten test digits go through the home page's net's first convolution and ReLU,
 * as they are and moved 1 px right; the maps are max-pooled like the net pools them. How many of
 * a map's strong responses keep their value after the shift, with pooling and without? Pure.
 */
import { conv2d, maxPool2d, relu, tensor } from '../../../cnn/index.ts';
import type { NetworkSpec, Params, Tensor } from '../../../cnn/index.ts';
import { shiftImage } from '../../../data/mnist';

/** A response is strong from this share of its map's largest value… */
export const STRONG = 0.5;
/** …and keeps its value when it moves by at most this share of that largest value. */
export const KEEP = 0.1;

export interface FirstLayer {
  readonly kernel: Tensor;
  readonly bias: Tensor;
  /** The pooling that follows it in the net. */
  readonly pool: {
    readonly kernelShape: readonly [number, number];
    readonly strides: readonly [number, number];
  };
}

/** The net's first conv2d (it must be followed by a ReLU and a max pool), with its weights. */
export function firstLayer(spec: NetworkSpec, params: Params): FirstLayer {
  const [c, act, p] = spec.layers;
  if (c?.type !== 'conv2d' || act?.type !== 'relu' || p?.type !== 'maxPool2d')
    throw new RangeError(`${spec.name} does not start with conv2d, relu, maxPool2d`);
  const plain = (v: readonly number[] | undefined) => !v || v.every((d) => d === 1);
  if ((c.pads !== undefined && c.pads !== 'valid') || !plain(c.strides) || !plain(c.dilations))
    throw new RangeError(`${spec.name}'s first convolution is not a plain 'valid' one`);
  if (p.pads !== undefined && p.pads !== 'valid')
    throw new RangeError(`${spec.name}'s first pooling is padded`);
  return {
    kernel: params['0.kernel']!,
    bias: params['0.bias']!,
    pool: { kernelShape: p.kernelShape, strides: p.strides ?? p.kernelShape },
  };
}

export interface Survival {
  /** Cells at least STRONG × the map's largest value. */
  readonly strong: number;
  /** Of those, the cells whose value moved by at most KEEP × that largest value. */
  readonly kept: number;
}

/**
 * Survival of maps `a` (before) in `b` (after), `per` cells a map: per map, its largest value m;
 * its strong cells (a ≥ STRONG·m) and which of them satisfy |a − b| ≤ KEEP·m. A map with no
 * positive value has no strong cells.
 */
export function survival(a: ArrayLike<number>, b: ArrayLike<number>, per: number): Survival {
  if (a.length !== b.length || a.length % per !== 0)
    throw new RangeError(`maps of ${a.length} and ${b.length} values, ${per} a map, do not match`);
  let strong = 0;
  let kept = 0;
  for (let at = 0; at < a.length; at += per) {
    let m = 0;
    for (let i = at; i < at + per; i++) m = Math.max(m, a[i]!);
    if (m <= 0) continue;
    for (let i = at; i < at + per; i++) {
      if (a[i]! < STRONG * m) continue;
      strong += 1;
      if (Math.abs(a[i]! - b[i]!) <= KEEP * m) kept += 1;
    }
  }
  return { strong, kept };
}

export interface ShiftResult {
  /** [2N, 1, 28, 28]: the N digits, then the same digits moved 1 px right. */
  readonly x: Tensor;
  /** relu(conv) of x: [2N, F, h, w]; and it max-pooled: [2N, F, h', w']. */
  readonly maps: Tensor;
  readonly pooled: Tensor;
  /** Over all N digits and F maps. */
  readonly all: { readonly unpooled: Survival; readonly pooled: Survival };
}

/** The N digits (784 values each in [0, 1]) and their 1-px right shifts, through the layer. */
export function computeShift(layer: FirstLayer, digits: readonly ArrayLike<number>[]): ShiftResult {
  const n = digits.length;
  const data = new Float32Array(2 * n * 784);
  digits.forEach((d, k) => {
    const img = Float32Array.from(d);
    data.set(img, k * 784);
    data.set(shiftImage(img, 1, 0), (n + k) * 784);
  });
  const x = tensor([2 * n, 1, 28, 28], data);
  const maps = relu(conv2d(x, layer.kernel, { bias: layer.bias }));
  const pooled = maxPool2d(maps, layer.pool);
  const half = (t: Tensor, second: boolean) =>
    t.data.subarray(second ? t.data.length / 2 : 0, second ? t.data.length : t.data.length / 2);
  const per = (t: Tensor) => t.shape[2]! * t.shape[3]!;
  return {
    x,
    maps,
    pooled,
    all: {
      unpooled: survival(half(maps, false), half(maps, true), per(maps)),
      pooled: survival(half(pooled, false), half(pooled, true), per(pooled)),
    },
  };
}

/** One map of one digit, before and after the shift: [h × w] each. */
export function mapPair(
  t: Tensor,
  digit: number,
  map: number,
): { before: Float32Array; after: Float32Array } {
  const [n2, f, h, w] = t.shape as [number, number, number, number];
  const n = n2 / 2;
  const at = (k: number) => (k * f + map) * h * w;
  return {
    before: t.data.slice(at(digit), at(digit) + h * w),
    after: t.data.slice(at(n + digit), at(n + digit) + h * w),
  };
}

export const share = (s: Survival): number => (s.strong ? s.kept / s.strong : 0);
