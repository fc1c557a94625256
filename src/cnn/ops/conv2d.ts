import { checkPositiveInts, checkRank, type PairLike } from '../check.ts';
import {
  convGeometry,
  inputCol,
  inputRow,
  type ConvGeometry,
  type PaddingLike,
} from '../geometry.ts';
import { shapeToString, type Tensor } from '../tensor.ts';

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
  const none = new Float32Array(0);
  checkRank(op, 'input', { shape: xShape, data: none }, 4, 'N, C, H, W');
  checkRank(op, 'kernel', { shape: kernelShape, data: none }, 4, 'filters, C/group, kh, kw');
  const group = attrs.group ?? 1;
  checkPositiveInts(op, 'group', [group]);
  const [filters, channelsPerGroup] = kernelShape;
  const both = `(input ${shapeToString(xShape)}, kernel ${shapeToString(kernelShape)})`;
  if (channelsPerGroup * group !== xShape[1]) {
    const perGroup = group > 1 ? ` (${channelsPerGroup} per group × group ${group})` : '';
    throw new RangeError(
      `${op}: kernel expects ${channelsPerGroup * group} input channels${perGroup} but input has ${xShape[1]} ${both}`,
    );
  }
  if (filters % group !== 0) {
    throw new RangeError(
      `${op}: group ${group} must divide the number of filters ${filters} ${both}`,
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
 * out[n,m,i,j] = b[m] + Σ_c Σ_p Σ_q x[n,c, i·s−pad+p·d, j·s−pad+q·d] · k[m,c,p,q]
 * x [N, C, H, W], kernel [M, C/group, kh, kw] → featureMap [N, M, outH, outW]
 */
export function conv2d(x: Tensor, kernel: Tensor, options: Conv2dOptions = {}): Tensor {
  const s = conv2dSetup('conv2d', x.shape, kernel.shape, options);
  checkBias('conv2d', options.bias, s.filters);
  const { g } = s;
  const out = new Float32Array(g.batch * s.filters * s.pixels);
  convForwardInto(s, x.data, kernel.data, options.bias?.data ?? null, out);
  return { shape: [g.batch, s.filters, g.outHeight, g.outWidth], data: out };
}

/**
 * The forward loop (shared with convTranspose2d's backward). For speed, the input cells that
 * output pixel (i, j) meets are first copied into a contiguous patch — patch[(i,j), (c,p,q)] =
 * x[n,c, i·s−pad+p·d, j·s−pad+q·d], 0 in the padding — so each output cell is one dot product
 * bias + kernel[m] · patch[(i,j)], summed in float64 in the order c, p, q.
 */
export function convForwardInto(
  s: Conv2dSetup,
  x: Float32Array,
  k: Float32Array,
  bias: Float32Array | null,
  out: Float32Array,
): void {
  const { g, filtersPerGroup: Mg, patchSize: R, pixels: P, filters: M } = s;
  const patches = new Float32Array(P * R);
  for (let n = 0; n < g.batch; n++) {
    for (let group = 0; group < s.group; group++) {
      gatherPatches(s, x, n, group, patches);
      // one output cell: bias + kernel[m] · patch[pixel]
      const cell = (m: number, pixel: number): void => {
        const start = bias ? bias[m] : 0;
        out[(n * M + m) * P + pixel] = dot(k, m * R, patches, pixel * R, R, start);
      };
      // The same cells in blocks of four filters × two pixels: eight independent sums keep the
      // CPU's adders busy (one running sum waits for its previous addition at every tap) and
      // every value loaded is used two or four times. Leftover cells go one at a time.
      const end = (group + 1) * Mg;
      let m = group * Mg;
      for (; m + 4 <= end; m += 4) {
        for (let pixel = 0; pixel + 2 <= P; pixel += 2) {
          dot4x2(k, m * R, patches, pixel * R, R, bias, m, out, (n * M + m) * P + pixel, P);
        }
        if (P % 2 === 1) for (let f = 0; f < 4; f++) cell(m + f, P - 1);
      }
      for (; m < end; m++) for (let pixel = 0; pixel < P; pixel++) cell(m, pixel);
    }
  }
}

/** start + Σ_r k[kr + r] · patches[pr + r] */
function dot(
  k: Float32Array,
  kr: number,
  patches: Float32Array,
  pr: number,
  R: number,
  start: number,
): number {
  let sum = start;
  for (let r = 0; r < R; r++) sum += k[kr + r] * patches[pr + r];
  return sum;
}

/** dot() for filters m … m+3 (kernel rows from kr) and pixels at pr and pr + R, in one pass. */
function dot4x2(
  k: Float32Array,
  kr: number,
  patches: Float32Array,
  pr: number,
  R: number,
  bias: Float32Array | null,
  m: number,
  out: Float32Array,
  o: number,
  P: number,
): void {
  let a0 = bias ? bias[m] : 0;
  let a1 = bias ? bias[m + 1] : 0;
  let a2 = bias ? bias[m + 2] : 0;
  let a3 = bias ? bias[m + 3] : 0;
  let b0 = a0;
  let b1 = a1;
  let b2 = a2;
  let b3 = a3;
  for (let r = 0; r < R; r++) {
    const u = patches[pr + r];
    const v = patches[pr + R + r];
    const k0 = k[kr + r];
    const k1 = k[kr + R + r];
    const k2 = k[kr + 2 * R + r];
    const k3 = k[kr + 3 * R + r];
    a0 += k0 * u;
    b0 += k0 * v;
    a1 += k1 * u;
    b1 += k1 * v;
    a2 += k2 * u;
    b2 += k2 * v;
    a3 += k3 * u;
    b3 += k3 * v;
  }
  out[o] = a0;
  out[o + 1] = b0;
  out[o + P] = a1;
  out[o + P + 1] = b1;
  out[o + 2 * P] = a2;
  out[o + 2 * P + 1] = b2;
  out[o + 3 * P] = a3;
  out[o + 3 * P + 1] = b3;
}

export interface Conv2dGradients {
  /** dL/dx, [N, C, H, W]; null when not asked for (the first layer needs none). */
  readonly dx: Tensor | null;
  readonly dKernel: Tensor;
  readonly dBias: Tensor;
}

/**
 * Given dy = dL/dout [N, M, outH, outW], every product of the forward sum sends gradient back:
 *   dBias[m]         = Σ_n Σ_i Σ_j dy[n,m,i,j]
 *   dKernel[m,c,p,q] = Σ_n Σ_i Σ_j dy[n,m,i,j] · x[n,c, i·s−pad+p·d, j·s−pad+q·d]
 *   dx[n,c, i·s−pad+p·d, j·s−pad+q·d] += dy[n,m,i,j] · k[m,c,p,q]   (nothing for padded cells)
 */
export function conv2dBackward(
  x: Tensor,
  kernel: Tensor,
  dy: Tensor,
  attrs: Conv2dAttributes = {},
  { inputGradient = true }: { inputGradient?: boolean } = {},
): Conv2dGradients {
  const s = conv2dSetup('conv2dBackward', x.shape, kernel.shape, attrs);
  const { g } = s;
  checkGradShape('conv2dBackward', dy, [g.batch, s.filters, g.outHeight, g.outWidth]);
  const dx = inputGradient ? new Float32Array(x.data.length) : null;
  const dKernel = new Float32Array(kernel.data.length);
  convBackwardInto(s, x.data, kernel.data, dy.data, dx, dKernel);
  return {
    dx: dx && { shape: [...x.shape], data: dx },
    dKernel: { shape: [...kernel.shape], data: dKernel },
    dBias: { shape: [s.filters], data: sumPlanes(dy) },
  };
}

/** The backward loop over patches; x/dKernel or dx may be null (convTranspose2d needs only dx). */
export function convBackwardInto(
  s: Conv2dSetup,
  x: Float32Array | null,
  k: Float32Array,
  dy: Float32Array,
  dx: Float32Array | null,
  dKernel: Float32Array | null,
): void {
  const { g, filtersPerGroup: Mg, patchSize: R, pixels: P } = s;
  const patches = new Float32Array(P * R);
  const dPatches = new Float32Array(P * R);
  const dk = new Float64Array(k.length); // summed over the whole batch, so in float64
  const wantKernel = x !== null && dKernel !== null;
  for (let n = 0; n < g.batch; n++) {
    for (let group = 0; group < s.group; group++) {
      if (wantKernel) gatherPatches(s, x, n, group, patches);
      if (dx) dPatches.fill(0);
      for (let m = group * Mg; m < (group + 1) * Mg; m++) {
        const dyPlane = (n * s.filters + m) * P;
        for (let pixel = 0; pixel < P; pixel++) {
          const grad = dy[dyPlane + pixel];
          if (grad === 0) continue; // common after ReLU and max pooling
          const kr = m * R;
          const pr = pixel * R;
          if (wantKernel) for (let r = 0; r < R; r++) dk[kr + r] += grad * patches[pr + r];
          if (dx) for (let r = 0; r < R; r++) dPatches[pr + r] += grad * k[kr + r];
        }
      }
      if (dx) scatterPatches(s, dPatches, n, group, dx);
    }
  }
  if (dKernel) for (let r = 0; r < dk.length; r++) dKernel[r] += dk[r];
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

/** patches[(i,j), (c,p,q)] = x[n, first channel of group + c, row, col], or 0 in the padding. */
function gatherPatches(
  s: Conv2dSetup,
  x: Float32Array,
  n: number,
  group: number,
  patches: Float32Array,
): void {
  const base = groupBase(s, n, group);
  const offsets = s.offsets;
  for (let t = 0; t < offsets.length; t++) {
    const o = offsets[t];
    patches[t] = o >= 0 ? x[base + o] : 0;
  }
}

/** The transpose of gatherPatches: each patch entry's gradient goes back to its input cell. */
function scatterPatches(
  s: Conv2dSetup,
  dPatches: Float32Array,
  n: number,
  group: number,
  dx: Float32Array,
): void {
  const base = groupBase(s, n, group);
  const offsets = s.offsets;
  for (let t = 0; t < offsets.length; t++) {
    const o = offsets[t];
    if (o >= 0) dx[base + o] += dPatches[t];
  }
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
    throw new RangeError(
      `${op}: bias must have shape [${filters}] (one per filter), got ${shapeToString(bias.shape)}`,
    );
  }
}

export function checkGradShape(op: string, dy: Tensor, expected: readonly number[]): void {
  if (dy.shape.length !== expected.length || dy.shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(
      `${op}: output gradient has shape ${shapeToString(dy.shape)} but the output has shape ${shapeToString(expected)}`,
    );
  }
}
