/** maxPool2d: the maximum of each window; backward sends dy to each window's first maximum. */
import { maxPool2dBackward, maxPool2dWithArgmax } from '../ops/maxPool2d.ts';
import type { Padding, Pair } from './attributes.ts';
import { poolOutputShape } from './shape-checks.ts';
import type { LayerRecord } from './types.ts';

export interface MaxPool2dSpec {
  readonly type: 'maxPool2d';
  readonly kernelShape: Pair;
  readonly strides?: Pair; // default = kernelShape
  readonly pads?: Padding; // default 'valid'
}

export const maxPool2dLayer: LayerRecord<MaxPool2dSpec> = {
  outputShape: (layer, inShape, { op }) => poolOutputShape(op, inShape, layer),
  forward(layer, x) {
    const { y, argmax } = maxPool2dWithArgmax(x, layer);
    return { y, backward: (dy) => ({ dx: maxPool2dBackward(x.shape, argmax, dy) }) };
  },
};
