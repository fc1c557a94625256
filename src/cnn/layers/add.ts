/**
 * add: the join of a residual connection. y = x + h_from, where x is this layer's input and
 * h_from the output of the earlier layer `from` (−1: the network input): a block's input skips
 * the layers between and is added to their output, so the block learns only a correction.
 * Backward: the gradient reaches both, unchanged (dx = dy, dh_from += dy); at h_from it is summed
 * with the gradient that arrives there through the layers in between.
 */
import { add, addBackward } from '../ops/add.ts';
import { shapeToString } from '../tensor.ts';
import type { LayerRecord } from './types.ts';

export interface AddSpec {
  readonly type: 'add';
  /** The earlier layer whose output is added (−1: the network input). */
  readonly from: number;
}

export const addLayer: LayerRecord<AddSpec> = {
  reads: (layer) => [layer.from],
  outputShape(layer, inShape, { op, shapeOf }) {
    const skip = shapeOf(layer.from);
    if (skip.length !== inShape.length || skip.some((d, k) => d !== inShape[k])) {
      throw new RangeError(
        `${op}: the output of layer ${layer.from} has shape ${shapeToString(skip)} but the input has ${shapeToString(inShape)}; a residual Add needs the same shape`,
      );
    }
    return [...inShape];
  },
  forward(layer, x, { output }) {
    return {
      y: add(x, output(layer.from)),
      backward(dy, { inputGradient }) {
        const { da, db } = addBackward(dy);
        return { dx: inputGradient ? da : null, earlier: [{ layer: layer.from, dy: db }] };
      },
    };
  },
};
