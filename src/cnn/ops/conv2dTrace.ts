import { inputCol, inputRow } from '../geometry.ts';
import { shapeToString } from '../tensor.ts';
import type { Tensor } from '../tensor.ts';
import { checkGradShape } from '../check.ts';
import { conv2dSetup, groupBase } from './conv2dSetup.ts';
import type { Conv2dAttributes, Conv2dOptions } from './conv2dSetup.ts';

/**
 * Teaching traces for the convolution stepper: which input and kernel cells meet at one output
 * cell, and which output-gradient cells flow back to one kernel or input cell. They read the same
 * setup (geometry and patch-offset table) as conv2d and sum in the same order, so a trace's sum
 * is bit-identical to the op's output (the tests check this on random cases).
 */

export interface ConvForwardTerm {
  readonly channel: number; // c, input channel (absolute)
  readonly kernelRow: number; // p
  readonly kernelCol: number; // q
  readonly inputRow: number; // i·s − padTop + p·d (may be outside the image)
  readonly inputCol: number; // j·s − padLeft + q·d
  readonly inPadding: boolean; // true: the tap falls in the zero padding
  readonly input: number; // x value (0 in the padding)
  readonly kernel: number; // k[m, c − first channel of the group, p, q]
  readonly product: number;
}
export interface ConvForwardTrace {
  readonly n: number;
  readonly filter: number; // m
  readonly row: number; // i
  readonly col: number; // j
  readonly bias: number;
  readonly terms: readonly ConvForwardTerm[];
  /** bias + Σ products, rounded to float32 like the stored output. */
  readonly sum: number;
}

/** out[n, filter, row, col] of conv2d(x, kernel, options), term by term. */
export function conv2dTrace(
  x: Tensor,
  kernel: Tensor,
  cell: { n: number; filter: number; row: number; col: number },
  options: Conv2dOptions = {},
): ConvForwardTrace {
  const s = conv2dSetup('conv2dTrace', x.shape, kernel.shape, options);
  const { g, patchSize: R } = s;
  const { n, filter: m, row: i, col: j } = cell;
  checkCell('conv2dTrace', [n, m, i, j], [g.batch, s.filters, g.outHeight, g.outWidth]);
  const group = Math.floor(m / s.filtersPerGroup);
  const base = groupBase(s, n, group);
  const bias = options.bias ? options.bias.data[m] : 0;
  const terms: ConvForwardTerm[] = [];
  let sum = bias;
  let r = 0;
  for (let c = 0; c < s.channelsPerGroup; c++) {
    for (let p = 0; p < g.kernelHeight; p++) {
      for (let q = 0; q < g.kernelWidth; q++, r++) {
        const offset = s.offsets[(i * g.outWidth + j) * R + r];
        const input = offset >= 0 ? x.data[base + offset] : 0;
        const k = kernel.data[m * R + r];
        sum += k * input;
        terms.push({
          channel: group * s.channelsPerGroup + c,
          kernelRow: p,
          kernelCol: q,
          inputRow: inputRow(g, i, p),
          inputCol: inputCol(g, j, q),
          inPadding: offset < 0,
          input,
          kernel: k,
          product: k * input,
        });
      }
    }
  }
  return { n, filter: m, row: i, col: j, bias, terms, sum: Math.fround(sum) };
}

export interface KernelGradTerm {
  readonly n: number;
  readonly outRow: number; // i
  readonly outCol: number; // j
  readonly outputGrad: number; // dy[n, m, i, j]
  readonly inputRow: number;
  readonly inputCol: number;
  readonly input: number; // x[n, c, inputRow, inputCol]
  readonly product: number;
}

/**
 * dKernel[filter, channel, kernelRow, kernelCol] = Σ dy[n,m,i,j] · x[n,c, i·s−pad+p·d, j·s−pad+q·d]
 * over the output cells whose tap (p, q) lands inside the image (`channel` is within the group).
 */
export function conv2dKernelGradTrace(
  x: Tensor,
  kernelShape: readonly number[],
  dy: Tensor,
  cell: { filter: number; channel: number; kernelRow: number; kernelCol: number },
  attrs: Conv2dAttributes = {},
): { terms: readonly KernelGradTerm[]; sum: number } {
  const s = conv2dSetup('conv2dKernelGradTrace', x.shape, kernelShape, attrs);
  const { g, patchSize: R, pixels: P } = s;
  checkGradShape('conv2dKernelGradTrace', dy, [g.batch, s.filters, g.outHeight, g.outWidth]);
  const { filter: m, channel: c, kernelRow: p, kernelCol: q } = cell;
  checkCell('conv2dKernelGradTrace', [m, c, p, q], kernelShape);
  const r = (c * g.kernelHeight + p) * g.kernelWidth + q;
  const group = Math.floor(m / s.filtersPerGroup);
  const terms: KernelGradTerm[] = [];
  let sum = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let i = 0; i < g.outHeight; i++) {
      for (let j = 0; j < g.outWidth; j++) {
        const offset = s.offsets[(i * g.outWidth + j) * R + r];
        if (offset < 0) continue; // padding: x = 0, no gradient flows
        const outputGrad = dy.data[(n * s.filters + m) * P + i * g.outWidth + j];
        const input = x.data[groupBase(s, n, group) + offset];
        sum += outputGrad * input;
        terms.push({
          n,
          outRow: i,
          outCol: j,
          outputGrad,
          inputRow: inputRow(g, i, p),
          inputCol: inputCol(g, j, q),
          input,
          product: outputGrad * input,
        });
      }
    }
  }
  return { terms, sum };
}

export interface InputGradTerm {
  readonly filter: number; // m
  readonly kernelRow: number; // p
  readonly kernelCol: number; // q
  readonly outRow: number; // i with i·s − padTop + p·d = row
  readonly outCol: number; // j with j·s − padLeft + q·d = col
  readonly outputGrad: number; // dy[n, m, i, j]
  readonly kernel: number; // k[m, c within group, p, q]
  readonly product: number;
}

/** dx[n, channel, row, col] = Σ dy[n,m,i,j] · k[m,c,p,q] over every (m, p, q, i, j) that met it. */
export function conv2dInputGradTrace(
  xShape: readonly number[],
  kernel: Tensor,
  dy: Tensor,
  cell: { n: number; channel: number; row: number; col: number },
  attrs: Conv2dAttributes = {},
): { terms: readonly InputGradTerm[]; sum: number } {
  const s = conv2dSetup('conv2dInputGradTrace', xShape, kernel.shape, attrs);
  const { g, patchSize: R, pixels: P, filtersPerGroup: Mg } = s;
  checkGradShape('conv2dInputGradTrace', dy, [g.batch, s.filters, g.outHeight, g.outWidth]);
  const { n, channel, row, col } = cell;
  checkCell('conv2dInputGradTrace', [n, channel, row, col], xShape);
  const group = Math.floor(channel / s.channelsPerGroup);
  const c = channel - group * s.channelsPerGroup;
  const target = (c * g.inHeight + row) * g.inWidth + col; // as stored in the offset table
  const terms: InputGradTerm[] = [];
  let sum = 0;
  for (let m = group * Mg; m < (group + 1) * Mg; m++) {
    for (let p = 0; p < g.kernelHeight; p++) {
      for (let q = 0; q < g.kernelWidth; q++) {
        const r = (c * g.kernelHeight + p) * g.kernelWidth + q;
        for (let pixel = 0; pixel < P; pixel++) {
          if (s.offsets[pixel * R + r] !== target) continue;
          const outputGrad = dy.data[(n * s.filters + m) * P + pixel];
          const k = kernel.data[m * R + r];
          sum += outputGrad * k;
          const outRow = Math.floor(pixel / g.outWidth);
          const outCol = pixel % g.outWidth;
          terms.push({
            filter: m,
            kernelRow: p,
            kernelCol: q,
            outRow,
            outCol,
            outputGrad,
            kernel: k,
            product: outputGrad * k,
          });
        }
      }
    }
  }
  return { terms, sum };
}

export function checkCell(op: string, index: readonly number[], shape: readonly number[]): void {
  if (index.some((v, a) => !Number.isInteger(v) || v < 0 || v >= shape[a])) {
    throw new RangeError(
      `${op}: cell [${index.join(', ')}] is outside shape ${shapeToString(shape)}`,
    );
  }
}
