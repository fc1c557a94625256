/** avgPool2d: the mean of each window; backward spreads dy / count over the window. */
import { avgPool2d, avgPool2dBackward } from '../ops/avgPool2d.ts';
import { poolGeometry } from '../ops/pool.ts';
import type { Padding, Pair } from './attributes.ts';
import { needRank } from './shape-checks.ts';
import type { LayerRecord } from './types.ts';

export interface AvgPool2dSpec {
  readonly type: 'avgPool2d';
  readonly kernelShape: Pair;
  readonly strides?: Pair; // default = kernelShape
  readonly pads?: Padding; // default 'valid'
  readonly countIncludePad?: boolean; // default false (ONNX count_include_pad = 0)
}

export const avgPool2dLayer: LayerRecord<AvgPool2dSpec> = {
  outputShape(layer, inShape, { op }) {
    needRank(op, inShape, 4, '[N, C, H, W]');
    const g = poolGeometry(op, inShape, layer);
    return [g.batch, g.inChannels, g.outHeight, g.outWidth];
  },
  forward(layer, x) {
    return {
      y: avgPool2d(x, layer),
      backward: (dy) => ({ dx: avgPool2dBackward(x.shape, dy, layer) }),
    };
  },
};
