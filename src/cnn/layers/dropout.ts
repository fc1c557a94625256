/**
 * dropout: in training, y = x · mask with the mask of dropoutMask(dropoutLayerSeed(seed, i), …)
 * (0 or 1 / (1 − rate)); in evaluation, y = x. Backward: dx = dy · mask.
 */
import { dropout, dropoutBackward } from '../ops/dropout.ts';
import type { LayerRecord } from './types.ts';

export interface DropoutSpec {
  readonly type: 'dropout';
  readonly rate: number; // probability of zeroing; kept values are scaled by 1 / (1 − rate)
}

/** The mask seed of dropout layer i, so every layer of a step draws a different mask. */
export function dropoutLayerSeed(dropoutSeed: number, layerIndex: number): number {
  return (dropoutSeed + Math.imul(layerIndex + 1, 0x9e3779b9)) >>> 0;
}

export const dropoutLayer: LayerRecord<DropoutSpec> = {
  outputShape(layer, inShape, { op }) {
    if (!(layer.rate >= 0 && layer.rate < 1)) {
      throw new RangeError(`${op}: rate must be in [0, 1), got ${layer.rate}`);
    }
    return [...inShape];
  },
  forward(layer, x, { op, index, training, dropoutSeed }) {
    if (training && layer.rate > 0 && dropoutSeed === undefined) {
      throw new RangeError(`${op}: training mode needs options.dropoutSeed, got undefined`);
    }
    const seed = dropoutLayerSeed(dropoutSeed ?? 0, index);
    const { y, mask } = dropout(x, { rate: layer.rate, training, seed });
    return { y, backward: (dy) => ({ dx: dropoutBackward(dy, mask) }) };
  },
};
