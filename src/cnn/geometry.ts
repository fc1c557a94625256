import { checkPositiveInts, toPair } from './check.ts';
import type { PairLike } from './check.ts';
import { CnnError } from './errors.ts';

/**
 * The one place where convolution and pooling geometry is computed (like tfjs
 * `computeConv2DInfo`): every op, its backward pass, the teaching traces, the ONNX emitter and
 * the widgets call `convGeometry`, so output sizes and paddings cannot disagree.
 *
 * Padding, as in ONNX:
 *   number                      the same padding on all four sides
 *   [top, left, bottom, right]  ONNX `pads` order (begins first, then ends)
 *   'valid'                     no padding
 *   'same'                      ONNX auto_pad SAME_UPPER: out = ceil(in / stride); when the total
 *                               padding is odd the extra pixel goes at the end (bottom / right)
 * Effective kernel = dilation·(k − 1) + 1; out = floor((in + padBegin + padEnd − effective) / stride) + 1.
 */
export type PaddingLike = number | readonly [number, number, number, number] | 'same' | 'valid';

export interface ConvGeometryArgs {
  /** [N, C, H, W] */
  readonly inputShape: readonly number[];
  readonly kernelShape: PairLike;
  readonly strides?: PairLike;
  readonly pads?: PaddingLike;
  readonly dilations?: PairLike;
  /** Name used in error messages, e.g. 'conv2d'. */
  readonly op?: string;
}

export interface ConvGeometry {
  readonly batch: number;
  readonly inChannels: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly effectiveKernelHeight: number;
  readonly effectiveKernelWidth: number;
  /** [top, left, bottom, right] */
  readonly pads: readonly [number, number, number, number];
  readonly outHeight: number;
  readonly outWidth: number;
}

export function convGeometry(args: ConvGeometryArgs): ConvGeometry {
  const op = args.op ?? 'convGeometry';
  const { inputShape } = args;
  if (inputShape.length !== 4 || inputShape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new CnnError(
      `${op}: input shape must be [N, C, H, W] of non-negative integers, got [${inputShape.join(', ')}]`,
      { op, argument: 'input', value: [...inputShape] },
    );
  }
  const [batch, inChannels, inHeight, inWidth] = inputShape;
  const [kernelHeight, kernelWidth] = toPair(op, 'kernelShape', args.kernelShape);
  const [strideHeight, strideWidth] = toPair(op, 'strides', args.strides ?? 1);
  const [dilationHeight, dilationWidth] = toPair(op, 'dilations', args.dilations ?? 1);
  checkPositiveInts(op, 'kernel size', [kernelHeight, kernelWidth]);
  checkPositiveInts(op, 'stride', [strideHeight, strideWidth]);
  checkPositiveInts(op, 'dilation', [dilationHeight, dilationWidth]);
  const effectiveKernelHeight = dilationHeight * (kernelHeight - 1) + 1;
  const effectiveKernelWidth = dilationWidth * (kernelWidth - 1) + 1;

  const pads = resolvePads(
    op,
    args.pads ?? 'valid',
    [inHeight, inWidth],
    [strideHeight, strideWidth],
    [effectiveKernelHeight, effectiveKernelWidth],
  );
  const axis = (
    name: string,
    size: number,
    padBegin: number,
    padEnd: number,
    k: number,
    d: number,
    eff: number,
    s: number,
  ): number => {
    const padded = size + padBegin + padEnd;
    if (eff > padded) {
      throw new CnnError(
        `${op}: kernel ${kernelHeight}×${kernelWidth} with dilation ${d} spans ${eff} px but the padded input is ${padded} px ` +
          `(${name}: input ${size} + pads ${padBegin} + ${padEnd}, kernel ${k})`,
        { op, argument: 'kernelShape', value: args.kernelShape },
      );
    }
    return Math.floor((padded - eff) / s) + 1;
  };
  const outHeight = axis(
    'height',
    inHeight,
    pads[0],
    pads[2],
    kernelHeight,
    dilationHeight,
    effectiveKernelHeight,
    strideHeight,
  );
  const outWidth = axis(
    'width',
    inWidth,
    pads[1],
    pads[3],
    kernelWidth,
    dilationWidth,
    effectiveKernelWidth,
    strideWidth,
  );
  return {
    batch,
    inChannels,
    inHeight,
    inWidth,
    kernelHeight,
    kernelWidth,
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    effectiveKernelHeight,
    effectiveKernelWidth,
    pads,
    outHeight,
    outWidth,
  };
}

/** [top, left, bottom, right] from any padding form; 'same' needs the sizes, strides and kernel. */
export function resolvePads(
  op: string,
  pads: PaddingLike,
  [inHeight, inWidth]: [number, number] = [0, 0],
  [strideHeight, strideWidth]: [number, number] = [1, 1],
  [effHeight, effWidth]: [number, number] = [1, 1],
): [number, number, number, number] {
  if (pads === 'valid') return [0, 0, 0, 0];
  if (pads === 'same') {
    // SAME_UPPER: total = max(0, (out − 1)·stride + effective − in); begin gets the smaller half.
    const split = (size: number, s: number, eff: number): [number, number] => {
      const out = Math.ceil(size / s);
      const total = Math.max(0, (out - 1) * s + eff - size);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    };
    const [top, bottom] = split(inHeight, strideHeight, effHeight);
    const [left, right] = split(inWidth, strideWidth, effWidth);
    return [top, left, bottom, right];
  }
  const four: readonly number[] = typeof pads === 'number' ? [pads, pads, pads, pads] : pads;
  if (!Array.isArray(four) || four.length !== 4) {
    throw new CnnError(
      `${op}: pads must be a number, [top, left, bottom, right], 'same' or 'valid', got ${JSON.stringify(pads)}`,
      { op, argument: 'pads', value: pads },
    );
  }
  for (const p of four) {
    if (!Number.isInteger(p) || p < 0) {
      throw new CnnError(
        `${op}: padding must be a non-negative integer, got ${p} (pads [${four.join(', ')}])`,
        { op, argument: 'pads', value: pads },
      );
    }
  }
  return [four[0], four[1], four[2], four[3]];
}

/**
 * Where output cell i, kernel tap p lands in the input: i·stride − padBegin + p·dilation.
 * A result outside [0, size) is a padded cell (it contributes zero).
 */
export function inputRow(g: ConvGeometry, i: number, p: number): number {
  return i * g.strideHeight - g.pads[0] + p * g.dilationHeight;
}
export function inputCol(g: ConvGeometry, j: number, q: number): number {
  return j * g.strideWidth - g.pads[1] + q * g.dilationWidth;
}

/**
 * The output columns j (as a half-open range [first, end)) whose tap q lands inside the input,
 * i.e. 0 ≤ inputCol(g, j, q) < inWidth. The inner loops run over exactly this range, so they
 * need no bounds test per element.
 */
export function validCols(g: ConvGeometry, q: number): [number, number] {
  return validRange(g.outWidth, g.inWidth, g.strideWidth, g.pads[1] - q * g.dilationWidth);
}
export function validRows(g: ConvGeometry, p: number): [number, number] {
  return validRange(g.outHeight, g.inHeight, g.strideHeight, g.pads[0] - p * g.dilationHeight);
}

/** Outputs o in [0, outSize) with 0 ≤ o·stride − shift < inSize. */
function validRange(
  outSize: number,
  inSize: number,
  stride: number,
  shift: number,
): [number, number] {
  const first = Math.max(0, Math.ceil(shift / stride));
  const end = Math.min(outSize, Math.floor((inSize - 1 + shift) / stride) + 1);
  return [first, Math.max(first, end)];
}
