/**
 * relu, leakyRelu, sigmoid, tanh: forward and backward, side by side.
 *   relu       dx = dy where y > 0, else 0          (ReLU'(0) = 0, as the reference engine)
 *   leakyRelu  dx = dy where x > 0, else α·dy
 *   sigmoid    dx = dy · y · (1 − y)
 *   tanh       dx = dy · (1 − y²)
 */
import type { LeakyReluSpec, ReluSpec, SigmoidSpec, TanhSpec } from '../../cnn/index.ts';
import type { Value } from '../builder.ts';
import { withBatch } from './types.ts';
import type { EmittedLayer, LayerInput, OnnxLayerRecord } from './types.ts';

export type ActivationType = 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh';

export function emitActivation(
  { b, x, batch, shape }: LayerInput,
  type: ActivationType,
  alpha = 0.01,
): EmittedLayer {
  const s = withBatch(batch, shape);
  let y: Value;
  switch (type) {
    case 'relu':
      y = b.relu(x);
      break;
    case 'leakyRelu':
      y = b.leakyRelu(x, alpha);
      break;
    case 'sigmoid':
      y = b.sigmoid(x);
      break;
    case 'tanh':
      y = b.tanh(x);
      break;
  }
  const zero = () => b.scalar(0);
  const one = () => b.scalar(1);
  return {
    y,
    shape,
    backward(dy, needDx) {
      if (!needDx) return { dx: null, grads: {} };
      let dx: Value;
      switch (type) {
        case 'relu':
          dx = b.where(b.greater(y, zero()), dy, zero(), s);
          break;
        case 'leakyRelu':
          dx = b.where(b.greater(x, zero()), dy, b.mul(dy, b.scalar(alpha)), s);
          break;
        case 'sigmoid':
          dx = b.mul(dy, b.mul(y, b.sub(one(), y)));
          break;
        case 'tanh':
          dx = b.mul(dy, b.sub(one(), b.mul(y, y)));
          break;
      }
      return { dx, grads: {} };
    },
  };
}

const BACKWARD = ['Where', 'Greater', 'Mul', 'Sub'];

/** The record of an activation without attributes: one ONNX op each way, imported back as is. */
function plainActivation<S extends ReluSpec | SigmoidSpec | TanhSpec>(
  type: S['type'],
  opType: string,
): OnnxLayerRecord<S> {
  return {
    ops: { forward: [opType], backward: BACKWARD },
    emit: (input) => emitActivation(input, type),
    importers: { [opType]: () => ({ layer: { type } }) },
  };
}

export const reluOnnx = plainActivation<ReluSpec>('relu', 'Relu');
export const sigmoidOnnx = plainActivation<SigmoidSpec>('sigmoid', 'Sigmoid');
export const tanhOnnx = plainActivation<TanhSpec>('tanh', 'Tanh');

export const leakyReluOnnx: OnnxLayerRecord<LeakyReluSpec> = {
  ops: { forward: ['LeakyRelu'], backward: BACKWARD },
  emit: (input, layer) => emitActivation(input, 'leakyRelu', layer.alpha ?? 0.01),
  importers: {
    LeakyRelu({ node }) {
      const alpha = node.attributes['alpha'];
      return {
        layer: { type: 'leakyRelu', alpha: typeof alpha === 'number' ? Math.fround(alpha) : 0.01 },
      };
    },
  },
};
