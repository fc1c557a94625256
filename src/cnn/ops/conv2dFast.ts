import { checkGradShape } from '../check.ts';
import { checkBias, conv2dSetup, sumPlanes } from './conv2dSetup.ts';
import type { Conv2dSetup } from './conv2dSetup.ts';
import type { conv2d, conv2dBackward } from './conv2d.ts';

/**
 * The fast path of conv2d (conv2d.ts), used when networks train. It adds the same products in
 * the same order (c, p, q) in float64, so its feature maps and kernel gradients are bit-identical
 * to the readable loops; the conv2d test suite runs against both. What makes it faster:
 * - each image's channels are first copied into a zero-padded plane, so no tap needs a bounds
 *   test: the input cell of tap r for output pixel (i, j) is at `start[(i,j)] + tap[r]`;
 * - forward computes four filters × two pixels at once (eight independent sums keep the CPU's
 *   adders busy, and every value loaded is used two or four times);
 * - forward skips output pixels whose receptive field is all zeros (their value is the bias):
 *   on MNIST that is 43% of the first layer; backward skips zero output gradients (ReLU and
 *   max pooling leave most of them 0).
 * (With a NaN or infinite weight a skipped pixel keeps the bias where conv2d's 0 · ∞ gives NaN;
 * every live pixel is NaN or ∞ then anyway, so a diverged network's loss is still NaN.)
 */

/** conv2d(x, kernel, options), fast: the same signature, the same sums. */
export const conv2dFast: typeof conv2d = (x, kernel, options = {}) => {
  const s = conv2dSetup('conv2d', x.shape, kernel.shape, options);
  checkBias('conv2d', options.bias, s.filters);
  const { g } = s;
  const out = new Float32Array(g.batch * s.filters * s.pixels);
  convForwardInto(s, x.data, kernel.data, options.bias?.data ?? null, out);
  return { shape: [g.batch, s.filters, g.outHeight, g.outWidth], data: out };
};

/** conv2dBackward(x, kernel, dy, attrs, { inputGradient }), fast: the same signature and sums. */
export const conv2dFastBackward: typeof conv2dBackward = (
  x,
  kernel,
  dy,
  attrs = {},
  { inputGradient = true } = {},
) => {
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
};

/** Where taps land in one group's zero-padded channels [C/group, paddedH, paddedW]. */
interface PaddedLayout {
  readonly paddedH: number;
  readonly paddedW: number;
  /** tap[r], r = (c, p, q): offset of x[c, p·d, q·d] from the patch's top-left corner. */
  readonly tap: Int32Array;
  /** start[(i, j)]: offset of output pixel (i, j)'s top-left corner, (i·s, j·s). */
  readonly start: Int32Array;
}

function paddedLayout(s: Conv2dSetup): PaddedLayout {
  const { g, channelsPerGroup: Cg } = s;
  const [top, left, bottom, right] = g.pads;
  const paddedH = top + g.inHeight + bottom;
  const paddedW = left + g.inWidth + right;
  const tap = new Int32Array(s.patchSize);
  let r = 0;
  for (let c = 0; c < Cg; c++) {
    for (let p = 0; p < g.kernelHeight; p++) {
      for (let q = 0; q < g.kernelWidth; q++) {
        tap[r++] = (c * paddedH + p * g.dilationHeight) * paddedW + q * g.dilationWidth;
      }
    }
  }
  const start = new Int32Array(s.pixels);
  for (let i = 0; i < g.outHeight; i++) {
    for (let j = 0; j < g.outWidth; j++) {
      start[i * g.outWidth + j] = i * g.strideHeight * paddedW + j * g.strideWidth;
    }
  }
  return { paddedH, paddedW, tap, start };
}

/**
 * visit(at, atPadded) for each input row of group `group` of image n: where the row starts in
 * x (rows of W values) and where it sits in the padded buffer, inside the zero border.
 */
function forEachInputRow(
  s: Conv2dSetup,
  l: PaddedLayout,
  n: number,
  group: number,
  visit: (at: number, atPadded: number) => void,
): void {
  const { g, channelsPerGroup: Cg } = s;
  const [top, left] = g.pads;
  const { inHeight: H, inWidth: W } = g;
  for (let c = 0; c < Cg; c++) {
    const plane = (n * g.inChannels + group * Cg + c) * H * W;
    for (let row = 0; row < H; row++)
      visit(plane + row * W, (c * l.paddedH + top + row) * l.paddedW + left);
  }
}

/** xp ← group `group` of image n of x, inside a zero border of the padding's width. */
function padInto(
  s: Conv2dSetup,
  l: PaddedLayout,
  x: Float32Array,
  n: number,
  group: number,
  xp: Float32Array,
): void {
  const W = s.g.inWidth;
  xp.fill(0);
  forEachInputRow(s, l, n, group, (at, atPadded) => xp.set(x.subarray(at, at + W), atPadded));
}

/** dx[image n, group] += the unpadded part of dxp (the transpose of padInto). */
function addUnpadded(
  s: Conv2dSetup,
  l: PaddedLayout,
  dxp: Float32Array,
  n: number,
  group: number,
  dx: Float32Array,
): void {
  const W = s.g.inWidth;
  forEachInputRow(s, l, n, group, (at, atPadded) => {
    for (let col = 0; col < W; col++) dx[at + col] += dxp[atPadded + col];
  });
}

/**
 * The pixels whose receptive field holds a nonzero input, listed in `live`; returns how many.
 * A summed-area table of nonzero counts over the padded plane answers each pixel in O(1).
 */
function livePixels(
  s: Conv2dSetup,
  l: PaddedLayout,
  xp: Float32Array,
  counts: Int32Array,
  live: Int32Array,
): number {
  const { g, channelsPerGroup: Cg } = s;
  const { paddedH: Hp, paddedW: Wp } = l;
  const stride = Wp + 1; // counts[(row + 1)·stride + col + 1] = nonzeros above and left, inclusive
  for (let row = 0; row < Hp; row++) {
    let inRow = 0;
    for (let col = 0; col < Wp; col++) {
      for (let c = 0; c < Cg; c++) if (xp[(c * Hp + row) * Wp + col] !== 0) inRow++;
      counts[(row + 1) * stride + col + 1] = counts[row * stride + col + 1] + inRow;
    }
  }
  const { effectiveKernelHeight: KH, effectiveKernelWidth: KW } = g;
  let L = 0;
  for (let i = 0; i < g.outHeight; i++) {
    const r0 = i * g.strideHeight;
    for (let j = 0; j < g.outWidth; j++) {
      const c0 = j * g.strideWidth;
      const inside =
        counts[(r0 + KH) * stride + c0 + KW] -
        counts[r0 * stride + c0 + KW] -
        counts[(r0 + KH) * stride + c0] +
        counts[r0 * stride + c0];
      live[L] = i * g.outWidth + j;
      if (inside > 0) L++;
    }
  }
  return L;
}

/** The forward loop (shared with convTranspose2d's backward). */
export function convForwardInto(
  s: Conv2dSetup,
  x: Float32Array,
  k: Float32Array,
  bias: Float32Array | null,
  out: Float32Array,
): void {
  const { g, filtersPerGroup: Mg, patchSize: R, pixels: P, filters: M } = s;
  const l = paddedLayout(s);
  const xp = new Float32Array(s.channelsPerGroup * l.paddedH * l.paddedW);
  const counts = new Int32Array((l.paddedH + 1) * (l.paddedW + 1));
  const live = new Int32Array(P);
  for (let n = 0; n < g.batch; n++) {
    for (let group = 0; group < s.group; group++) {
      padInto(s, l, x, n, group, xp);
      const L = livePixels(s, l, xp, counts, live);
      const end = (group + 1) * Mg;
      for (let m = group * Mg; m < end; m++) {
        out.fill(bias ? bias[m] : 0, (n * M + m) * P, (n * M + m + 1) * P);
      }
      let m = group * Mg;
      for (; m + 4 <= end; m += 4) {
        const o = (n * M + m) * P;
        for (let a = 0; a + 2 <= L; a += 2) {
          const [pa, pb] = [live[a], live[a + 1]];
          dot4x2(k, m * R, xp, l.tap, l.start[pa], l.start[pb], R, out, o + pa, o + pb, P);
        }
        if (L % 2 === 1) for (let f = 0; f < 4; f++) cell(m + f, L - 1);
      }
      for (; m < end; m++) for (let a = 0; a < L; a++) cell(m, a);
    }
    /** One output cell: bias + Σ_r kernel[m, r] · x[tap r of pixel live[a]]. */
    function cell(m: number, a: number): void {
      const base = l.start[live[a]];
      let sum = bias ? bias[m] : 0;
      for (let r = 0; r < R; r++) sum += k[m * R + r] * xp[base + l.tap[r]];
      out[(n * M + m) * P + live[a]] = sum;
    }
  }
}

/**
 * The sums of cell() for filters m … m+3 (kernel rows from kr) and the pixels whose corners are
 * at xa and xb in xp, in one pass; filter m + f's results go to out[oa + f·P] and out[ob + f·P].
 */
function dot4x2(
  k: Float32Array,
  kr: number,
  xp: Float32Array,
  tap: Int32Array,
  xa: number,
  xb: number,
  R: number,
  out: Float32Array,
  oa: number,
  ob: number,
  P: number,
): void {
  let [a0, a1, a2, a3] = [out[oa], out[oa + P], out[oa + 2 * P], out[oa + 3 * P]]; // biases
  let [b0, b1, b2, b3] = [a0, a1, a2, a3];
  for (let r = 0; r < R; r++) {
    const t = tap[r];
    const u = xp[xa + t];
    const v = xp[xb + t];
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
  out[oa] = a0;
  out[ob] = b0;
  out[oa + P] = a1;
  out[ob + P] = b1;
  out[oa + 2 * P] = a2;
  out[ob + 2 * P] = b2;
  out[oa + 3 * P] = a3;
  out[ob + 3 * P] = b3;
}

/** The backward loop; x/dKernel or dx may be null (convTranspose2d needs only dx). */
export function convBackwardInto(
  s: Conv2dSetup,
  x: Float32Array | null,
  k: Float32Array,
  dy: Float32Array,
  dx: Float32Array | null,
  dKernel: Float32Array | null,
): void {
  const { g, filtersPerGroup: Mg, patchSize: R, pixels: P } = s;
  const l = paddedLayout(s);
  const { tap, start } = l;
  const xp = new Float32Array(s.channelsPerGroup * l.paddedH * l.paddedW);
  const dxp = new Float32Array(xp.length);
  const dk = new Float64Array(k.length); // summed over the whole batch, so in float64
  const wantKernel = x !== null && dKernel !== null;
  for (let n = 0; n < g.batch; n++) {
    for (let group = 0; group < s.group; group++) {
      if (wantKernel) padInto(s, l, x, n, group, xp);
      if (dx) dxp.fill(0);
      for (let m = group * Mg; m < (group + 1) * Mg; m++) {
        const dyPlane = (n * s.filters + m) * P;
        const kr = m * R;
        for (let pixel = 0; pixel < P; pixel++) {
          const grad = dy[dyPlane + pixel];
          if (grad === 0) continue; // common after ReLU and max pooling
          const corner = start[pixel];
          if (wantKernel && dx) {
            for (let r = 0; r < R; r++) {
              const t = corner + tap[r];
              dk[kr + r] += grad * xp[t];
              dxp[t] += grad * k[kr + r];
            }
          } else if (wantKernel) {
            for (let r = 0; r < R; r++) dk[kr + r] += grad * xp[corner + tap[r]];
          } else {
            for (let r = 0; r < R; r++) dxp[corner + tap[r]] += grad * k[kr + r];
          }
        }
      }
      if (dx) addUnpadded(s, l, dxp, n, group, dx);
    }
  }
  if (dKernel) for (let r = 0; r < dk.length; r++) dKernel[r] += dk[r];
}
