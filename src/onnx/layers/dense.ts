/**
 * dense: y = x·Wᵀ + b with W [units, inFeatures] (ONNX Gemm, transB = 1); backward side by side:
 *   dW = dyᵀ·x   (Gemm transA = 1)      db = Σ_n dy      dx = dy·W   (MatMul)
 */
import type { DenseSpec, Tensor } from '../../cnn/index.ts';
import type { Value } from '../builder.ts';
import { OnnxModelError } from '../errors.ts';
import { attrFloat, describe, int, tensorOf, transpose2d } from './import.ts';
import { withBatch } from './types.ts';
import type { EmittedLayer, LayerInput, OnnxLayerRecord, LayerImporter } from './types.ts';

export function emitDense(
  { b, x, batch, shape }: LayerInput,
  units: number,
  weight: Value,
  bias: Value | null,
): EmittedLayer {
  if (shape.length !== 1) {
    throw new RangeError(
      `dense: input must be [N, features] (add a flatten layer), got [N, ${shape.join(', ')}]`,
    );
  }
  const y = b.gemm(x, weight, bias, { transB: true }, withBatch(batch, [units]));
  return {
    y,
    shape: [units],
    backward(dy, needDx) {
      const grads: Record<string, Value> = {
        weight: b.gemm(dy, x, null, { transA: true }, [units, shape[0]!]),
      };
      if (bias !== null) grads['bias'] = b.reduce('ReduceSum', dy, [0], false, [units]);
      const dx = needDx ? b.matMul(dy, weight, withBatch(batch, shape)) : null;
      return { dx, grads };
    },
  };
}

/** Gemm (transA 0, alpha = beta = 1), or MatMul followed by an Add of a bias initializer. */
const importDense: LayerImporter = ({ node, rank, next, weight, initializer }) => {
  if (rank !== 2)
    throw new OnnxModelError(
      `node ${describe(node)}: a dense layer needs a flat input; add a Flatten before it`,
    );
  const w = weight(1, 'weight');
  if (w.shape.length !== 2)
    throw new OnnxModelError(
      `node ${describe(node)}: weight must be 2-D, got [${w.shape.join(', ')}]`,
    );
  const gemm = node.opType === 'Gemm';
  if (
    gemm &&
    (int(node, 'transA', 0) !== 0 ||
      attrFloat(node, 'alpha') !== 1 ||
      attrFloat(node, 'beta') !== 1)
  ) {
    throw new OnnxModelError(
      `node ${describe(node)}: only Gemm with transA 0, alpha 1 and beta 1 can be represented`,
    );
  }
  const transB = gemm && int(node, 'transB', 0) === 1;
  const units = transB ? w.shape[0]! : w.shape[1]!;
  const params: Record<string, Tensor> = { weight: transB ? tensorOf(w) : transpose2d(w) };
  let biasName = gemm ? node.inputs[2] : undefined;
  let out = node.outputs[0]!;
  let consumesNext = false;
  if (!gemm && next?.opType === 'Add' && next.inputs.includes(out)) {
    const other = next.inputs.find((n) => n !== out);
    if (other !== undefined && initializer(other) !== undefined) {
      biasName = other;
      out = next.outputs[0]!;
      consumesNext = true;
    }
  }
  if (biasName !== undefined && biasName !== '') {
    const b = initializer(biasName);
    if (b === undefined || !(b.values instanceof Float32Array) || b.values.length !== units) {
      throw new OnnxModelError(
        `node ${describe(node)}: its bias must be a float32 initializer of ${units} values`,
      );
    }
    params['bias'] = tensorOf(b, [units]);
  }
  const bias = biasName !== undefined && biasName !== '';
  return {
    layer: { type: 'dense', units, ...(bias ? {} : { bias: false }) },
    params,
    output: out,
    consumesNext,
  };
};

export const denseOnnx: OnnxLayerRecord<DenseSpec> = {
  ops: { forward: ['Gemm'], backward: ['Gemm', 'ReduceSum', 'MatMul'] },
  emit: (input, layer, { param }) =>
    emitDense(input, layer.units, param('weight'), layer.bias === false ? null : param('bias')),
  importers: { Gemm: importDense, MatMul: importDense },
};
