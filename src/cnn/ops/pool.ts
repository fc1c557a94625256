import { checkRank, toPair, type PairLike } from '../check.ts';
import { CnnError } from '../errors.ts';
import { convGeometry, type ConvGeometry, type PaddingLike } from '../geometry.ts';

/** ONNX MaxPool / AveragePool attributes (no ceil_mode, no dilations). */
export interface Pool2dAttributes {
  readonly kernelShape: PairLike;
  /** Default: kernelShape (non-overlapping windows), as in the network spec. */
  readonly strides?: PairLike;
  readonly pads?: PaddingLike;
}

/**
 * Geometry of a pooling window. Padding must be smaller than the window so that every window
 * holds at least one real cell (ONNX and PyTorch require the same).
 */
export function poolGeometry(
  op: string,
  xShape: readonly number[],
  attrs: Pool2dAttributes,
): ConvGeometry {
  checkRank(op, 'input', { shape: xShape, data: new Float32Array(0) }, 4, 'N, C, H, W');
  const g = convGeometry({
    op,
    inputShape: xShape,
    kernelShape: attrs.kernelShape,
    strides: attrs.strides ?? attrs.kernelShape,
    pads: attrs.pads ?? 'valid',
  });
  const [top, left, bottom, right] = g.pads;
  const [kh, kw] = toPair(op, 'kernelShape', attrs.kernelShape);
  if (Math.max(top, bottom) >= kh || Math.max(left, right) >= kw) {
    throw new CnnError(
      `${op}: padding must be smaller than the ${kh}×${kw} window, got pads [${g.pads.join(', ')}]`,
      { op, argument: 'pads', value: attrs.pads },
    );
  }
  return g;
}

/** Window row for output row i and window offset p: i·stride − padTop + p. */
export function windowRow(g: ConvGeometry, i: number, p: number): number {
  return i * g.strideHeight - g.pads[0] + p;
}
export function windowCol(g: ConvGeometry, j: number, q: number): number {
  return j * g.strideWidth - g.pads[1] + q;
}
