/**
 * conv2d: forward (ONNX Conv) and backward, side by side.
 *
 * Forward   y[n,m,i,j] = b[m] + Σ x[n, c, i·s − pad + p·d, j·s − pad + q·d] · W[m, c, p, q]
 * Backward  db = Σ_{n,i,j} dy
 *           dx = ConvTranspose(dy, W) with the forward strides, dilations, pads and group; the rows
 *                and columns the forward pass never read (when (H + pads − effective) is not a
 *                multiple of the stride) come back through output_padding.
 *           dW[m,c,p,q] = Σ_{n,i,j} dy[n,m,i,j] · x[n, c, i·s − pad + p·d, …]: a convolution of x
 *                with dy as kernel, batch and channels swapped (the roles of stride and dilation
 *                swap too). See `kernelGradient`.
 */
import { convGeometry } from '../../cnn/index.ts';
import type { ConvGeometry, PaddingLike } from '../../cnn/index.ts';
import type { Dim, GraphBuilder, Value } from '../builder.ts';
import type { Conv2dSpec } from '../../cnn/index.ts';
import { describe, int, pads, pair, tensorOf } from './import.ts';
import { OnnxModelError } from '../errors.ts';
import { staticBatch, withBatch } from './types.ts';
import type { EmittedLayer, LayerInput, OnnxLayerRecord } from './types.ts';

export interface ConvOptions {
  readonly filters: number;
  readonly kernelShape: readonly [number, number];
  readonly strides?: readonly [number, number];
  readonly pads?: PaddingLike;
  readonly dilations?: readonly [number, number];
  readonly group?: number;
}

/** Geometry for one example of shape [C, H, W], through the reference engine's convGeometry. */
export function convLayerGeometry(shape: readonly number[], o: ConvOptions): ConvGeometry {
  return convGeometry({
    op: 'conv2d',
    inputShape: [1, shape[0]!, shape[1]!, shape[2]!],
    kernelShape: o.kernelShape,
    strides: o.strides ?? [1, 1],
    pads: o.pads ?? 'valid',
    dilations: o.dilations ?? [1, 1],
  });
}

export function emitConv2d(
  { b, x, batch, shape, formulations }: LayerInput,
  o: ConvOptions,
  kernel: Value,
  bias: Value | null,
): EmittedLayer {
  const g = convLayerGeometry(shape, o);
  const group = o.group ?? 1;
  const outShape = [o.filters, g.outHeight, g.outWidth];
  const attrs = {
    kernelShape: [g.kernelHeight, g.kernelWidth],
    strides: [g.strideHeight, g.strideWidth],
    pads: [...g.pads],
    dilations: [g.dilationHeight, g.dilationWidth],
    group,
  };
  const y = b.conv(x, kernel, bias, attrs, withBatch(batch, outShape));
  return {
    y,
    shape: outShape,
    backward(dy, needDx, views) {
      const n = staticBatch(batch, 'conv2d');
      // When dx is not needed (first layer), dy is only an input of the kernel gradient, which
      // wants it as [M, N, outH, outW]: take that layout from the layer above if it offers it.
      const dyT = !needDx && group === 1 ? views?.channelMajor?.() : undefined;
      const k = { b, x, n, channels: shape[0]!, filters: o.filters, group, g };
      const grads: Record<string, Value> = {
        kernel:
          formulations.kernelGrad === 'im2col' && group === 1
            ? kernelGradientIm2col({ ...k, dy })
            : kernelGradient({ ...k, dy: dyT ?? dy, dyIsChannelMajor: dyT !== undefined }),
      };
      if (bias !== null) {
        grads['bias'] =
          views?.channelSums?.() ?? b.reduce('ReduceSum', dy, [0, 2, 3], false, [o.filters]);
      }
      let dx: Value | null = null;
      const flippable =
        group === 1 &&
        g.strideHeight === 1 &&
        g.strideWidth === 1 &&
        Math.max(g.pads[0], g.pads[2]) <= g.effectiveKernelHeight - 1 &&
        Math.max(g.pads[1], g.pads[3]) <= g.effectiveKernelWidth - 1;
      if (needDx && formulations.inputGrad === 'flippedConv' && flippable) {
        dx = inputGradientFlipped(b, dy, kernel, g, withBatch(n, shape));
      } else if (needDx) {
        const [remH, remW] = remainders(g);
        dx = b.convTranspose(
          dy,
          kernel,
          null,
          { ...attrs, outputPadding: remH === 0 && remW === 0 ? undefined : [remH, remW] },
          withBatch(n, shape),
        );
      }
      return { dx, grads };
    },
  };
}

/**
 * dx for stride 1 (group 1) as a plain Conv: dy padded by (effective − 1 − pad) on each side,
 * convolved with the kernel flipped in space and with its two channel axes swapped.
 */
function inputGradientFlipped(
  b: GraphBuilder,
  dy: Value,
  kernel: Value,
  g: ConvGeometry,
  shape: readonly Dim[],
): Value {
  const kh = g.kernelHeight;
  const kw = g.kernelWidth;
  const flipped = b.slice(kernel, [kh - 1, kw - 1], [-(kh + 1), -(kw + 1)], [2, 3], [-1, -1]);
  const swapped = b.transpose(flipped, [1, 0, 2, 3]);
  const eh = g.effectiveKernelHeight - 1;
  const ew = g.effectiveKernelWidth - 1;
  return b.conv(
    dy,
    swapped,
    null,
    {
      kernelShape: [kh, kw],
      pads: [eh - g.pads[0], ew - g.pads[1], eh - g.pads[2], ew - g.pads[3]],
      dilations: [g.dilationHeight, g.dilationWidth],
    },
    shape,
  );
}

/** What both kernel-gradient formulations read: the layer's input, dy (N = n) and geometry. */
interface KernelGradInput {
  readonly b: GraphBuilder;
  readonly x: Value;
  readonly dy: Value;
  readonly n: number;
  readonly channels: number;
  readonly filters: number;
  readonly group: number;
  readonly g: ConvGeometry;
  /** dy arrives already laid out [M, N, outH, outW] (the layer above offered that view). */
  readonly dyIsChannelMajor?: boolean;
}

/**
 * dW (group 1) as one Gemm over an explicit im2col: x transposed to [C, N, H, W] (padded), one
 * strided Slice per kernel tap gives [C, N·outH·outW] rows, a Concat stacks them into
 * [C·kh·kw, N·outH·outW], and dW = dy[M, N·outH·outW] · thatᵀ.
 */
function kernelGradientIm2col({ b, x, dy, n, channels, filters, g }: KernelGradInput): Value {
  const oh = g.outHeight;
  const ow = g.outWidth;
  const k = n * oh * ow;
  let xT = reshapeOrTranspose(
    b,
    x,
    [n, channels, g.inHeight, g.inWidth],
    [1, 0, 2, 3],
    [channels, n, g.inHeight, g.inWidth],
  );
  if (g.pads.some((p) => p > 0)) {
    xT = b.pad(xT, [0, 0, g.pads[0], g.pads[1], 0, 0, g.pads[2], g.pads[3]]);
  }
  const taps: Value[] = [];
  for (let p = 0; p < g.kernelHeight; p++) {
    for (let q = 0; q < g.kernelWidth; q++) {
      const r0 = p * g.dilationHeight;
      const c0 = q * g.dilationWidth;
      const s = b.slice(
        xT,
        [r0, c0],
        [r0 + (oh - 1) * g.strideHeight + 1, c0 + (ow - 1) * g.strideWidth + 1],
        [2, 3],
        [g.strideHeight, g.strideWidth],
      );
      taps.push(b.reshape(s, [channels, 1, k]));
    }
  }
  const taps2 = b.op('Concat', taps, { axis: 1 }, undefined, [channels, taps.length, k]);
  const cols = b.reshape(taps2, [channels * taps.length, k]);
  const dyT = reshapeOrTranspose(b, dy, [n, filters, oh * ow], [1, 0, 2], [filters, k]);
  const dw = b.gemm(dyT, cols, null, { transB: true }, [filters, channels * taps.length]);
  return b.reshape(dw, [filters, channels, g.kernelHeight, g.kernelWidth]);
}

/** Input rows/columns past the last window: (in + pads − effective) mod stride. */
function remainders(g: ConvGeometry): [number, number] {
  return [
    (g.inHeight + g.pads[0] + g.pads[2] - g.effectiveKernelHeight) % g.strideHeight,
    (g.inWidth + g.pads[1] + g.pads[3] - g.effectiveKernelWidth) % g.strideWidth,
  ];
}

/**
 * dW as one Conv: the input, laid out [C/group, group·N, H, W], convolved with dy laid out
 * [M, N, outH, outW] as the kernel (group = group), gives [C/group, M, kh, kw]; a transpose makes
 * it [M, C/group, kh, kw]. Stride and dilation swap roles. The end pads shrink by the remainder
 * so the result is exactly kh × kw (cropping the input where the pad is too small).
 * Transposes that only move a size-1 axis are emitted as Reshapes (free in ORT).
 */
function kernelGradient(k: KernelGradInput): Value {
  const { b, x, dy, n, channels, filters, group, g, dyIsChannelMajor = false } = k;
  const cg = channels / group;
  const mg = filters / group;
  const [remH, remW] = remainders(g);
  let padBottom = g.pads[2] - remH;
  let padRight = g.pads[3] - remW;
  let xs = x;
  let h = g.inHeight;
  let w = g.inWidth;
  if (padBottom < 0 || padRight < 0) {
    h += Math.min(0, padBottom);
    w += Math.min(0, padRight);
    xs = b.slice(x, [0, 0], [h, w], [2, 3]);
    padBottom = Math.max(0, padBottom);
    padRight = Math.max(0, padRight);
  }
  // x [N, C, H, W] → [Cg, G·N, H, W]
  const xT = reshapeOrTranspose(
    b,
    xs,
    [n, group, cg, h, w],
    [2, 1, 0, 3, 4],
    [cg, group * n, h, w],
  );
  // dy [N, M, oh, ow] → [M, N, oh, ow] (as [G, Mg, N, …])
  const dyT = dyIsChannelMajor
    ? dy
    : reshapeOrTranspose(
        b,
        dy,
        [n, group, mg, g.outHeight, g.outWidth],
        [1, 2, 0, 3, 4],
        [filters, n, g.outHeight, g.outWidth],
      );
  const dwT = b.conv(
    xT,
    dyT,
    null,
    {
      strides: [g.dilationHeight, g.dilationWidth],
      dilations: [g.strideHeight, g.strideWidth],
      pads: [g.pads[0], g.pads[1], padBottom, padRight],
      group,
      kernelShape: [g.outHeight, g.outWidth],
    },
    [cg, filters, g.kernelHeight, g.kernelWidth],
  );
  return reshapeOrTranspose(
    b,
    dwT,
    [cg, filters, g.kernelHeight, g.kernelWidth],
    [1, 0, 2, 3],
    [filters, cg, g.kernelHeight, g.kernelWidth],
  );
}

/**
 * Reshape `v` to `from`, permute by `perm`, reshape to `to`. Axes of size 1 are dropped first
 * (they do not change the data order), so the Transpose has the lowest rank possible, and when
 * nothing else moves one Reshape does it all.
 */
function reshapeOrTranspose(
  b: GraphBuilder,
  v: Value,
  from: readonly number[],
  perm: readonly number[],
  to: readonly number[],
): Value {
  const keep = from.map((d, a) => (d === 1 ? -1 : a)).filter((a) => a >= 0);
  const rank = new Map(keep.map((a, k) => [a, k]));
  const dims = keep.map((a) => from[a]!);
  const p = perm.filter((a) => from[a] !== 1).map((a) => rank.get(a)!);
  if (p.every((a, k) => a === k)) return sameDims(v.shape, to) ? v : b.reshape(v, to);
  const t = b.transpose(sameDims(v.shape, dims) ? v : b.reshape(v, dims), p);
  return sameDims(t.shape, to) ? t : b.reshape(t, to);
}

function sameDims(a: readonly Dim[] | undefined, b: readonly number[]): boolean {
  return a !== undefined && a.length === b.length && a.every((d, k) => d === b[k]);
}

export const conv2dOnnx: OnnxLayerRecord<Conv2dSpec> = {
  ops: {
    forward: ['Conv'],
    backward: ['ConvTranspose', 'Conv', 'Transpose', 'Reshape', 'ReduceSum', 'Slice', 'Pad'],
  },
  emit: (input, layer, { param }) =>
    emitConv2d(input, layer, param('kernel'), layer.bias === false ? null : param('bias')),
  importers: {
    Conv({ node, weight }) {
      const w = weight(1, 'kernel');
      if (w.shape.length !== 4)
        throw new OnnxModelError(
          `node ${describe(node)}: kernel must be 4-D, got [${w.shape.join(', ')}]`,
        );
      const dilations = pair(node, 'dilations');
      const strides = pair(node, 'strides');
      const p = pads(node);
      const group = int(node, 'group', 1);
      const hasBias = node.inputs[2] !== undefined && node.inputs[2] !== '';
      return {
        layer: {
          type: 'conv2d',
          filters: w.shape[0]!,
          kernelShape: [w.shape[2]!, w.shape[3]!],
          ...(strides ? { strides } : {}),
          ...(p !== undefined ? { pads: p } : {}),
          ...(dilations ? { dilations } : {}),
          ...(group !== 1 ? { group } : {}),
          ...(hasBias ? {} : { bias: false }),
        },
        params: {
          kernel: tensorOf(w),
          ...(hasBias ? { bias: tensorOf(weight(2, 'bias')) } : {}),
        },
      };
    },
  },
};
