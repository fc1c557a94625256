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
