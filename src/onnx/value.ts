/**
 * Values and attributes of a ConvBook graph. A `Value` is an identity, as in onnx-ir: it gets a
 * name only when the model is serialised (graph inputs, outputs and named initializers keep the
 * names they were given).
 */
import type { DType } from './proto.ts';

export type { DType } from './proto.ts';
export type Dim = number | string;

export class Value {
  readonly id: number;
  readonly dtype: DType;
  readonly shape: readonly Dim[] | undefined;
  readonly hint: string;
  /** Use GraphBuilder methods to make values. */
  constructor(id: number, dtype: DType, shape: readonly Dim[] | undefined, hint: string) {
    this.id = id;
    this.dtype = dtype;
    this.shape = shape;
    this.hint = hint;
  }
}

/** Attribute values: integers and integer lists by default; floats must be marked. */
export type AttrValue = number | readonly number[] | string | FloatAttr | FloatsAttr;
export interface FloatAttr {
  readonly kind: 'float';
  readonly value: number;
}
export interface FloatsAttr {
  readonly kind: 'floats';
  readonly value: readonly number[];
}
export const float = (value: number): FloatAttr => ({ kind: 'float', value });
export const floats = (value: readonly number[]): FloatsAttr => ({ kind: 'floats', value });

export type Attrs = Readonly<Record<string, AttrValue | undefined>>;

export type TensorData = Float32Array | BigInt64Array | Int32Array | Uint8Array;
