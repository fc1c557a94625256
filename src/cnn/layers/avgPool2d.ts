/** avgPool2d: the mean of each window; backward spreads dy / count over the window. */
import { avgPool2d, avgPool2dBackward } from '../ops/avgPool2d.ts';
import type { Padding, Pair } from './attributes.ts';
import { poolOutputShape } from './shape-checks.ts';
import type { LayerRecord } from './types.ts';

export interface AvgPool2dSpec {
  readonly type: 'avgPool2d';
  readonly kernelShape: Pair;
  readonly strides?: Pair; // default = kernelShape
  readonly pads?: Padding; // default 'valid'
  readonly countIncludePad?: boolean; // default false (ONNX count_include_pad = 0)
}

export const avgPool2dLayer: LayerRecord<AvgPool2dSpec> = {
  outputShape: (layer, inShape, { op }) => poolOutputShape(op, inShape, layer),
  forward(layer, x) {
    return {
      y: avgPool2d(x, layer),
      backward: (dy) => ({ dx: avgPool2dBackward(x.shape, dy, layer) }),
    };
  },
};
