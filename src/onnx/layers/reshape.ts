/**
 * flatten ([N, C, H, W] → [N, C·H·W], ONNX Flatten axis 1; backward reshapes back) and dropout
 * (eval: identity; training: y = x · mask, dx = dy · mask, where the mask, fed as a graph input,
 * holds 0 for dropped cells and 1 / (1 − rate) for kept ones, so both engines use the same mask).
 */
import type { DropoutSpec, FlattenSpec } from '../../cnn/index.ts';
import type { Value } from '../builder.ts';
import { fail, int } from './import.ts';
import { staticBatch, withBatch } from './types.ts';
import type { EmittedLayer, LayerInput, OnnxLayerRecord, LayerImporter } from './types.ts';

export function emitFlatten({ b, x, batch, shape }: LayerInput): EmittedLayer {
  const features = shape.reduce((a, d) => a * d, 1);
  const y = b.op('Flatten', [x], { axis: 1 }, undefined, withBatch(batch, [features]));
  return {
    y,
    shape: [features],
    backward(dy, needDx) {
      if (!needDx) return { dx: null, grads: {} };
      return { dx: b.reshape(dy, [staticBatch(batch, 'flatten'), ...shape]), grads: {} };
    },
  };
}

export function emitDropout({ b, x, shape }: LayerInput, mask: Value | null): EmittedLayer {
  const y = mask === null ? x : b.mul(x, mask);
  return {
    y,
    shape,
    backward(dy, needDx) {
      if (!needDx) return { dx: null, grads: {} };
      return { dx: mask === null ? dy : b.mul(dy, mask), grads: {} };
    },
  };
}

/** Flatten (axis 1) or a Reshape to [N, −1]; a second one on a flat value is no layer. */
const importFlatten: LayerImporter = ({ node, rank, initializer }) => {
  if (node.opType === 'Flatten' && int(node, 'axis', 1) !== 1) {
    fail(node, 'only Flatten with axis 1 can be represented');
  }
  if (node.opType === 'Reshape') {
    const target = initializer(node.inputs[1] ?? '')?.values;
    const ok =
      Array.isArray(target) &&
      target.length === 2 &&
      (target[0] === 0 || target[0] === -1 || target[0] === 1) &&
      target[1] === -1;
    if (!ok) fail(node, 'only a Reshape to [N, -1] (a flatten) can be represented');
  }
  return { layer: rank === 4 ? { type: 'flatten' } : null, rank: 2 };
};

export const flattenOnnx: OnnxLayerRecord<FlattenSpec> = {
  ops: { forward: ['Flatten'], backward: ['Reshape'] },
  emit: (input) => emitFlatten(input),
  importers: { Flatten: importFlatten, Reshape: importFlatten },
};

/** Dropout is the identity at inference: an exported model has none, an imported one is skipped. */
export const dropoutOnnx: OnnxLayerRecord<DropoutSpec> = {
  ops: { forward: [], backward: ['Mul'] },
  emit: (input, _layer, { mask }) => emitDropout(input, mask),
  importers: { Dropout: () => ({ layer: null }), Identity: () => ({ layer: null }) },
};
