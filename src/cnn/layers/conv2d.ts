/**
 * conv2d: y = conv(x, kernel) + bias, kernel [filters, inChannels / group, kh, kw].
 * Networks train with conv2dFast (the same sums as conv2d.ts's loops, fast).
 */
import { conv2dFast, conv2dFastBackward } from '../ops/conv2dFast.ts';
import { conv2dSetup } from '../ops/conv2dSetup.ts';
import type { Padding, Pair } from './attributes.ts';
import { needRank } from './shape-checks.ts';
import type { Tensor } from '../tensor.ts';
import type { LayerRecord, ParamRule } from './types.ts';

export interface Conv2dSpec {
  readonly type: 'conv2d';
  readonly filters: number;
  readonly kernelShape: Pair;
  readonly strides?: Pair; // default [1, 1]
  readonly pads?: Padding; // default 'valid'
  readonly dilations?: Pair; // default [1, 1]
  readonly group?: number; // default 1
  readonly bias?: boolean; // default true
}

function params(layer: Conv2dSpec, inShape: readonly number[]): ParamRule[] {
  const group = layer.group ?? 1;
  const [kh, kw] = layer.kernelShape;
  const kernel: ParamRule = {
    role: 'kernel',
    shape: [layer.filters, inShape[1] / group, kh, kw],
    init: 'heNormal',
  };
  if (layer.bias === false) return [kernel];
  return [kernel, { role: 'bias', shape: [layer.filters], init: 'zeros' }];
}

export const conv2dLayer: LayerRecord<Conv2dSpec> = {
  params,
  outputShape(layer, inShape, { op }) {
    needRank(op, inShape, 4, '[N, C, H, W]');
    const group = layer.group ?? 1;
    if (!Number.isInteger(layer.filters) || layer.filters < 1) {
      throw new RangeError(`${op}: filters must be a positive integer, got ${layer.filters}`);
    }
    if (!Number.isInteger(group) || group < 1 || inShape[1] % group !== 0) {
      throw new RangeError(
        `${op}: group must be a positive integer dividing the ${inShape[1]} input channels, got ${group}`,
      );
    }
    const { g } = conv2dSetup(op, inShape, params(layer, inShape)[0].shape, layer);
    return [g.batch, layer.filters, g.outHeight, g.outWidth];
  },
  forward(layer, x, { param }) {
    const kernel = param('kernel');
    const bias = layer.bias === false ? null : param('bias');
    return {
      y: conv2dFast(x, kernel, { ...layer, bias }),
      backward(dy, { inputGradient }) {
        const g = conv2dFastBackward(x, kernel, dy, layer, { inputGradient });
        const grads: Record<string, Tensor> = { kernel: g.dKernel };
        if (bias) grads['bias'] = g.dBias;
        return { dx: g.dx, grads };
      },
    };
  },
};
