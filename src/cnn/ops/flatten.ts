import { reshape, shapeToString } from '../tensor.ts';
import type { Tensor } from '../tensor.ts';

/** ONNX Flatten(axis = 1): [N, C, H, W] → [N, C·H·W], values in NCHW order (no copy). */
export function flatten(x: Tensor): Tensor {
  if (x.shape.length < 1)
    throw new RangeError(
      `flatten: input must have a batch axis, got shape ${shapeToString(x.shape)}`,
    );
  const [batch, ...rest] = x.shape;
  return reshape(x, [batch, rest.reduce((a, b) => a * b, 1)]);
}

/** The gradient of a reshape is the same values reshaped back. */
export function flattenBackward(dy: Tensor, xShape: readonly number[]): Tensor {
  return reshape(dy, xShape);
}
