import { CnnError } from '../errors.ts';
import { checkGradShape, checkPositiveInts, toPair } from '../check.ts';
import type { PairLike } from '../check.ts';
import { resolvePads } from '../geometry.ts';
import { shapeToString } from '../tensor.ts';
import type { Tensor } from '../tensor.ts';
import { convBackwardInto, convForwardInto } from './conv2dFast.ts';
import { checkBias, checkConvArgs, conv2dSetup, sumPlanes } from './conv2dSetup.ts';
import type { Conv2dSetup } from './conv2dSetup.ts';

/** ONNX ConvTranspose attributes (explicit pads only; no auto_pad, no output_shape). */
export interface ConvTranspose2dAttributes {
  readonly strides?: PairLike;
  readonly pads?: number | readonly [number, number, number, number] | 'valid';
  readonly dilations?: PairLike;
  readonly group?: number;
  readonly outputPadding?: PairLike;
}

/**
 * A transposed convolution is the input-gradient of a convolution: each input cell scatters
 * x[n,c,i,j] · w[c,m,p,q] onto out[n,m, i·s−pad+p·d, j·s−pad+q·d]. So it is computed by the very
 * loops of conv2dBackward, on the convolution that maps out back to x.
 * x [N, C, H, W], weight [C, M/group, kh, kw] → [N, M, outH, outW] with
 * outH = s·(H − 1) + outputPadding + d·(kh − 1) + 1 − padTop − padBottom.
 */
export function convTranspose2dSetup(
  op: string,
  xShape: readonly number[],
  weightShape: readonly number[],
  attrs: ConvTranspose2dAttributes,
): Conv2dSetup {
  const group = checkConvArgs(op, xShape, 'weight', weightShape, 'C, M/group, kh, kw', attrs);
  if (weightShape[0] !== xShape[1]) {
    throw new CnnError(
      `${op}: weight expects ${weightShape[0]} input channels but input has ${xShape[1]} (input ${shapeToString(xShape)}, weight ${shapeToString(weightShape)})`,
      {
        op,
        argument: 'weight',
        value: [...weightShape],
      },
    );
  }
  if (xShape[1] % group !== 0) {
    throw new CnnError(`${op}: group ${group} must divide the ${xShape[1]} input channels`, {
      op,
      argument: 'group',
      value: group,
    });
  }
  const [sh, sw] = toPair(op, 'strides', attrs.strides ?? 1);
  const [oph, opw] = toPair(op, 'outputPadding', attrs.outputPadding ?? 0);
  for (const [v, s] of [
    [oph, sh],
    [opw, sw],
  ]) {
    if (!Number.isInteger(v) || v < 0 || v >= s) {
      throw new CnnError(`${op}: output padding must be an integer in [0, stride ${s}), got ${v}`, {
        op,
        argument: 'outputPadding',
        value: attrs.outputPadding,
      });
    }
  }
  const [dh, dw] = toPair(op, 'dilations', attrs.dilations ?? 1);
  checkPositiveInts(op, 'stride', [sh, sw]);
  checkPositiveInts(op, 'dilation', [dh, dw]);
  if ((attrs.pads as unknown) === 'same') {
    throw new CnnError(
      `${op}: pads 'same' is not supported for transposed convolution; give explicit pads`,
      {
        op,
        argument: 'pads',
        value: attrs.pads,
      },
    );
  }
  const pads = resolvePads(op, attrs.pads ?? 'valid');
  const [top, left, bottom, right] = pads;
  const outH = sh * (xShape[2] - 1) + oph + dh * (weightShape[2] - 1) + 1 - top - bottom;
  const outW = sw * (xShape[3] - 1) + opw + dw * (weightShape[3] - 1) + 1 - left - right;
  if (outH < 1 || outW < 1) {
    throw new CnnError(`${op}: pads [${pads.join(', ')}] leave an empty output (${outH}×${outW})`, {
      op,
      argument: 'pads',
      value: attrs.pads,
    });
  }
  const M = weightShape[1] * group;
  return conv2dSetup(op, [xShape[0], M, outH, outW], weightShape, { ...attrs, pads });
}

export function convTranspose2d(
  x: Tensor,
  weight: Tensor,
  options: ConvTranspose2dAttributes & { bias?: Tensor | null } = {},
): Tensor {
  const s = convTranspose2dSetup('convTranspose2d', x.shape, weight.shape, options);
  const [N, M, outH, outW] = [s.g.batch, s.g.inChannels, s.g.inHeight, s.g.inWidth];
  checkBias('convTranspose2d', options.bias, M);
  const out = new Float32Array(N * M * outH * outW);
  convBackwardInto(s, null, weight.data, x.data, out, null);
  const bias = options.bias?.data;
  if (bias) for (let k = 0; k < out.length; k++) out[k] += bias[Math.floor(k / (outH * outW)) % M];
  return { shape: [N, M, outH, outW], data: out };
}

/** dx = conv2d(dy, weight) and dWeight = the kernel gradient of that convolution. */
export function convTranspose2dBackward(
  x: Tensor,
  weight: Tensor,
  dy: Tensor,
  attrs: ConvTranspose2dAttributes = {},
): { dx: Tensor; dWeight: Tensor; dBias: Tensor } {
  const s = convTranspose2dSetup('convTranspose2dBackward', x.shape, weight.shape, attrs);
  checkGradShape('convTranspose2dBackward', dy, [
    s.g.batch,
    s.g.inChannels,
    s.g.inHeight,
    s.g.inWidth,
  ]);
  const dx = new Float32Array(x.data.length);
  convForwardInto(s, dy.data, weight.data, null, dx);
  const dWeight = new Float32Array(weight.data.length);
  convBackwardInto(s, dy.data, weight.data, x.data, null, dWeight);
  return {
    dx: { shape: [...x.shape], data: dx },
    dWeight: { shape: [...weight.shape], data: dWeight },
    dBias: { shape: [s.g.inChannels], data: sumPlanes(dy) },
  };
}
