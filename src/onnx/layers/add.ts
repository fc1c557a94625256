/**
 * add (a residual connection's join): y = x + h_from (ONNX Add), h_from the output of the earlier
 * layer `from` (−1: the images). Backward: dx = dy, and dy goes to h_from too, where emitGradients
 * sums it with the gradient arriving through the layers in between (one more Add).
 * Imported from an Add node whose other input is an earlier layer's output (an Add of a stored
 * bias after a MatMul is the dense layer's).
 */
import type { AddSpec } from '../../cnn/index.ts';
import { fail } from './import.ts';
import { withBatch } from './types.ts';
import type { OnnxLayerRecord } from './types.ts';

export const addOnnx: OnnxLayerRecord<AddSpec> = {
  ops: { forward: ['Add'], backward: ['Add'] },
  emit({ b, x, batch, shape }, layer, { output }) {
    const y = b.add(x, output(layer.from), withBatch(batch, shape));
    return {
      y,
      shape,
      backward: (dy, needDx) => ({
        dx: needDx ? dy : null,
        grads: {},
        earlier: [{ layer: layer.from, dy }],
      }),
    };
  },
  importers: {
    Add({ node, current, layerOf }) {
      const other = node.inputs.find((name) => name !== current) ?? current;
      const from = layerOf(other);
      if (from === undefined) {
        fail(node, `an Add of ${other}, which no earlier layer outputs, cannot be represented`);
      }
      return { layer: { type: 'add', from } };
    },
  },
};
