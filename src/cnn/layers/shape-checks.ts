import { pooledShape, poolGeometry } from '../ops/pool.ts';
import type { Pool2dAttributes } from '../ops/pool.ts';
import { shapeToString } from '../tensor.ts';

/** "layer 3 (dense): input must be [N, features], got [1, 8, 4, 4]; add a flatten layer before it" */
export function needRank(
  op: string,
  inShape: readonly number[],
  rank: number,
  layout: string,
  hint = '',
): void {
  if (inShape.length !== rank) {
    throw new RangeError(`${op}: input must be ${layout}, got ${shapeToString(inShape)}${hint}`);
  }
}

/** A pooling layer's output [N, C, outH, outW], by the ops' own window geometry. */
export function poolOutputShape(
  op: string,
  inShape: readonly number[],
  layer: Pool2dAttributes,
): number[] {
  needRank(op, inShape, 4, '[N, C, H, W]');
  return pooledShape(poolGeometry(op, inShape, layer));
}
