/**
 * The one tensor type of the reference engine: a shape and a flat, row-major Float32Array.
 * Images and feature maps are NCHW (batch, channels, height, width), as in ONNX.
 */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Number of elements a shape holds (1 for a scalar shape []). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`shape dimensions must be non-negative integers, got [${shape.join(', ')}]`);
    }
    n *= d;
  }
  return n;
}

/** A tensor of the given shape; zero-filled unless `data` is given (its length must match). */
export function tensor(shape: readonly number[], data?: ArrayLike<number>): Tensor {
  const n = sizeOf(shape);
  if (data === undefined) return { shape: [...shape], data: new Float32Array(n) };
  if (data.length !== n) {
    throw new RangeError(`data has ${data.length} values but shape [${shape.join(', ')}] holds ${n}`);
  }
  return { shape: [...shape], data: Float32Array.from(data) };
}

export function zeros(shape: readonly number[]): Tensor {
  return tensor(shape);
}

export function shapeToString(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
