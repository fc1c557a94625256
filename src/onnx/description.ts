/** What parseModel reads out of an ONNX model: plain data, no protobuf types. */
export type DimValue = number | string | null;
export type AttributeValue =
  number | string | readonly number[] | readonly string[] | InitializerDescription;

export interface ValueDescription {
  readonly name: string;
  readonly dtype: string;
  /** null for an unknown dimension; a string for a symbolic one ('N'). */
  readonly shape: readonly DimValue[] | null;
}
export interface InitializerDescription {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Values of float32 and int64 initializers (int64 as numbers). */
  readonly values: Float32Array | readonly number[] | null;
}
export interface NodeDescription {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}
export interface ModelDescription {
  readonly irVersion: number;
  readonly producer: string;
  readonly opsets: readonly { readonly domain: string; readonly version: number }[];
  readonly graphName: string;
  /** Graph inputs that are not initializers (what must be fed). */
  readonly inputs: readonly ValueDescription[];
  readonly outputs: readonly ValueDescription[];
  readonly nodes: readonly NodeDescription[];
  readonly initializers: readonly InitializerDescription[];
}
