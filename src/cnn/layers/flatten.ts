/** flatten: NCHW → [N, C·H·W] (ONNX Flatten, axis 1); backward reshapes dy back. */
import { flatten, flattenBackward } from '../ops/flatten.ts';
import type { LayerRecord } from './types.ts';

export interface FlattenSpec {
  readonly type: 'flatten';
}

export const flattenLayer: LayerRecord<FlattenSpec> = {
  outputShape: (_layer, inShape) => [inShape[0], inShape.slice(1).reduce((a, b) => a * b, 1)],
  forward: (_layer, x) => ({
    y: flatten(x),
    backward: (dy) => ({ dx: flattenBackward(dy, x.shape) }),
  }),
};
