import { checkPositiveInts, checkRank } from '../check.ts';
import type { PairLike } from '../check.ts';
import { convGeometry, inputCol, inputRow } from '../geometry.ts';
import type { ConvGeometry, PaddingLike } from '../geometry.ts';
import { CnnError } from '../errors.ts';
import { shapeToString } from '../tensor.ts';
import type { Tensor } from '../tensor.ts';

/**
 * What every convolution in the engine shares: attribute checks, the geometry, the channel
 * bookkeeping of groups, and the table of which input cell each kernel tap reads (conv2d,
 * its im2col fast path, convTranspose2d and the teaching traces all use it).
 */

/** ONNX Conv attributes (kernel_shape is read from the kernel tensor). */
export interface Conv2dAttributes {
  readonly strides?: PairLike;
  readonly pads?: PaddingLike;
  readonly dilations?: PairLike;
  readonly group?: number;
}
export interface Conv2dOptions extends Conv2dAttributes {
  /** [filters]; omitted or null means no bias. */
  readonly bias?: Tensor | null;
}

/** Geometry plus the channel bookkeeping of grouped convolution. */
export interface Conv2dSetup {
  readonly g: ConvGeometry;
  readonly filters: number; // M, output channels
  readonly group: number;
  readonly channelsPerGroup: number; // C / group = kernel.shape[1]
  readonly filtersPerGroup: number; // M / group
  readonly patchSize: number; // R = channelsPerGroup · kh · kw: taps per output cell
  readonly pixels: number; // P = outH · outW
  readonly offsets: Int32Array; // patchOffsets(g, channelsPerGroup)
}

/**
 * Checks x [N, C, H, W] against kernel [M, C/group, kh, kw] and computes the geometry.
 * Filters of group γ (m ÷ filtersPerGroup = γ) read input channels γ·C/group … (γ+1)·C/group − 1;
 * group = C (one channel per group) is a depthwise convolution.
 */
export function conv2dSetup(
  op: string,
  xShape: readonly number[],
  kernelShape: readonly number[],
  attrs: Conv2dAttributes,
): Conv2dSetup {
  const group = checkConvArgs(op, xShape, 'kernel', kernelShape, 'filters, C/group, kh, kw', attrs);
  const [filters, channelsPerGroup] = kernelShape;
  const both = `(input ${shapeToString(xShape)}, kernel ${shapeToString(kernelShape)})`;
  if (channelsPerGroup * group !== xShape[1]) {
    const perGroup = group > 1 ? ` (${channelsPerGroup} per group × group ${group})` : '';
    throw new CnnError(
      `${op}: kernel expects ${channelsPerGroup * group} input channels${perGroup} but input has ${xShape[1]} ${both}`,
      { op, argument: 'kernel', value: [...kernelShape] },
    );
  }
  if (filters % group !== 0) {
    throw new CnnError(
      `${op}: group ${group} must divide the number of filters ${filters} ${both}`,
      { op, argument: 'group', value: group },
    );
  }
  const kernelHW: [number, number] = [kernelShape[2], kernelShape[3]];
  const g = convGeometry({ op, inputShape: xShape, kernelShape: kernelHW, ...attrs });
  return {
    g,
    filters,
    group,
    channelsPerGroup,
    filtersPerGroup: filters / group,
    patchSize: channelsPerGroup * g.kernelHeight * g.kernelWidth,
    pixels: g.outHeight * g.outWidth,
    offsets: cachedPatchOffsets(g, channelsPerGroup),
  };
}

/**
 * The checks every convolution starts with: x is [N, C, H, W], the weight (`name`, laid out as
 * `layout`) has rank 4, and the group is a positive integer, which it returns (default 1).
 */
export function checkConvArgs(
  op: string,
  xShape: readonly number[],
  name: string,
  weightShape: readonly number[],
  layout: string,
  attrs: { readonly group?: number },
): number {
  const none = new Float32Array(0);
  checkRank(op, 'input', { shape: xShape, data: none }, 4, 'N, C, H, W');
  checkRank(op, name, { shape: weightShape, data: none }, 4, layout);
  const group = attrs.group ?? 1;
  checkPositiveInts(op, 'group', [group]);
  return group;
}

/**
 * For output pixel (i, j) and kernel tap r = (c, p, q): the offset of input cell
 * [c, i·s−pad+p·d, j·s−pad+q·d] within one group's channels, or −1 where the tap falls in the
 * padding. Forward, backward and the teaching traces all read this one table.
 */
export function patchOffsets(g: ConvGeometry, channelsPerGroup: number): Int32Array {
  const { kernelHeight: KH, kernelWidth: KW, inHeight: H, inWidth: W } = g;
  const offsets = new Int32Array(g.outHeight * g.outWidth * channelsPerGroup * KH * KW);
  let t = 0;
  for (let i = 0; i < g.outHeight; i++) {
    for (let j = 0; j < g.outWidth; j++) {
      for (let c = 0; c < channelsPerGroup; c++) {
        for (let p = 0; p < KH; p++) {
          const row = inputRow(g, i, p);
          for (let q = 0; q < KW; q++) {
            const col = inputCol(g, j, q);
            const inside = row >= 0 && row < H && col >= 0 && col < W;
            offsets[t++] = inside ? (c * H + row) * W + col : -1;
          }
        }
      }
    }
  }
  return offsets;
}

/**
 * The offset table depends only on the geometry, not on the batch: it is built once per layer
 * shape and reused by every step (a small cache; tables are never modified after creation).
 */
const offsetCache = new Map<string, Int32Array>();
function cachedPatchOffsets(g: ConvGeometry, channelsPerGroup: number): Int32Array {
  const key = [
    channelsPerGroup,
    g.inHeight,
    g.inWidth,
    g.kernelHeight,
    g.kernelWidth,
    g.strideHeight,
    g.strideWidth,
    g.dilationHeight,
    g.dilationWidth,
    ...g.pads,
  ].join(',');
  let offsets = offsetCache.get(key);
  if (!offsets) {
    if (offsetCache.size >= 32) offsetCache.delete(offsetCache.keys().next().value!);
    offsets = patchOffsets(g, channelsPerGroup);
    offsetCache.set(key, offsets);
  }
  return offsets;
}

/** Where group `group` of image n starts in x (offsets in patchOffsets are relative to it). */
export function groupBase(s: Conv2dSetup, n: number, group: number): number {
  return (n * s.g.inChannels + group * s.channelsPerGroup) * s.g.inHeight * s.g.inWidth;
}

/** Σ over n, i, j of a [N, M, H, W] tensor → [M] (the bias gradient). */
export function sumPlanes(t: Tensor): Float32Array {
  const [N, M, H, W] = t.shape;
  const sums = new Float64Array(M);
  for (let n = 0; n < N; n++) {
    for (let m = 0; m < M; m++) {
      const start = (n * M + m) * H * W;
      let sum = 0;
      for (let k = start; k < start + H * W; k++) sum += t.data[k];
      sums[m] += sum;
    }
  }
  return Float32Array.from(sums);
}

export function checkBias(op: string, bias: Tensor | null | undefined, filters: number): void {
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== filters)) {
    throw new CnnError(
      `${op}: bias must have shape [${filters}] (one per filter), got ${shapeToString(bias.shape)}`,
      { op, argument: 'bias', value: [...bias.shape] },
    );
  }
}
