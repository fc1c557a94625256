/** dense: y = x·Wᵀ + b, weight [units, inFeatures] (ONNX Gemm with transB = 1). */
import { linear, linearBackward } from '../ops/linear.ts';
import { needRank } from './shape-checks.ts';
import type { Tensor } from '../tensor.ts';
import type { LayerRecord, ParamRule } from './types.ts';

export interface DenseSpec {
  readonly type: 'dense';
  readonly units: number;
  readonly bias?: boolean; // default true
}

export const denseLayer: LayerRecord<DenseSpec> = {
  params(layer, inShape) {
    const weight: ParamRule = {
      role: 'weight',
      shape: [layer.units, inShape[1]],
      init: 'heNormal',
    };
    if (layer.bias === false) return [weight];
    return [weight, { role: 'bias', shape: [layer.units], init: 'zeros' }];
  },
  outputShape(layer, inShape, { op }) {
    needRank(op, inShape, 2, '[N, features]', '; add a flatten layer before it');
    if (!Number.isInteger(layer.units) || layer.units < 1) {
      throw new RangeError(`${op}: units must be a positive integer, got ${layer.units}`);
    }
    return [inShape[0], layer.units];
  },
  forward(layer, x, { param }) {
    const weight = param('weight');
    const bias = layer.bias === false ? null : param('bias');
    return {
      y: linear(x, weight, bias),
      backward(dy, { inputGradient }) {
        const g = linearBackward(x, weight, dy, { inputGradient });
        const grads: Record<string, Tensor> = { weight: g.dWeight };
        if (bias) grads['bias'] = g.dBias;
        return { dx: g.dx, grads };
      },
    };
  },
};
