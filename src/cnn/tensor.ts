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
      throw new RangeError(
        `shape dimensions must be non-negative integers, got [${shape.join(', ')}]`,
      );
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
    throw new RangeError(
      `data has ${data.length} values but shape [${shape.join(', ')}] holds ${n}`,
    );
  }
  return { shape: [...shape], data: Float32Array.from(data) };
}

export function zeros(shape: readonly number[]): Tensor {
  return tensor(shape);
}

export function shapeToString(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A nested array of numbers, as written in lessons and tests: `[[1, 2], [3, 4]]`. */
export type Nested = number | readonly Nested[];

/**
 * Builds a tensor from nested arrays, inferring the shape: `fromNested([[1, 2], [3, 4]])` has
 * shape [2, 2]. Ragged arrays are refused, naming the first place where a row differs.
 */
export function fromNested(nested: Nested): Tensor {
  const shape: number[] = [];
  for (let level: Nested = nested; Array.isArray(level); level = (level as readonly Nested[])[0]) {
    shape.push((level as readonly Nested[]).length);
    if ((level as readonly Nested[]).length === 0) break;
  }
  const data = new Float32Array(sizeOf(shape));
  let k = 0;
  const walk = (value: Nested, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof value !== 'number') {
        throw new RangeError(
          `fromNested: expected a number at ${path}, got an array (ragged input)`,
        );
      }
      data[k++] = value;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      const got = Array.isArray(value) ? `${value.length} entries` : 'a number';
      throw new RangeError(
        `fromNested: expected ${shape[depth]} entries at ${path} (shape ${shapeToString(shape)}), got ${got}`,
      );
    }
    value.forEach((v: Nested, i: number) => walk(v, depth + 1, `${path}[${i}]`));
  };
  walk(nested, 0, 'root');
  return { shape, data };
}

/** The inverse of fromNested: nested plain arrays (numbers for a scalar shape []). */
export function toNested(t: Tensor): Nested {
  const build = (depth: number, offset: number): Nested => {
    if (depth === t.shape.length) return t.data[offset];
    const stride = sizeOf(t.shape.slice(depth + 1));
    return Array.from({ length: t.shape[depth] }, (_, i) => build(depth + 1, offset + i * stride));
  };
  return build(0, 0);
}

/** A copy that shares nothing with the original. */
export function cloneTensor(t: Tensor): Tensor {
  return { shape: [...t.shape], data: t.data.slice() };
}

/** The same values seen with another shape of the same size (ONNX Reshape; shares the data). */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  if (sizeOf(shape) !== t.data.length) {
    throw new RangeError(
      `reshape: cannot view ${shapeToString(t.shape)} (${t.data.length} values) as ${shapeToString(shape)} (${sizeOf(shape)} values)`,
    );
  }
  return { shape: [...shape], data: t.data };
}

/** True when both tensors have the same shape (compared dimension by dimension). */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
