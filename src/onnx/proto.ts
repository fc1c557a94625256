/**
 * The ONNX protobuf classes, from the `onnx-proto` package (protobufjs 6 code generated from
 * onnx.proto). It is a CommonJS module: bundlers expose `onnx` as a named export, Node's ESM loader
 * only as a property of the default export. This file hides the difference.
 */
import * as onnxProtoModule from 'onnx-proto';

type OnnxNamespace = typeof onnxProtoModule.onnx;
const loaded = onnxProtoModule as unknown as {
  onnx?: OnnxNamespace;
  default?: { onnx?: OnnxNamespace };
};
const resolved = loaded.onnx ?? loaded.default?.onnx;
if (resolved === undefined) throw new Error('onnx-proto did not load: no `onnx` namespace export');

export const onnx: OnnxNamespace = resolved;
export type { onnx as OnnxTypes } from 'onnx-proto';

/** TensorProto.DataType codes used by ConvBook. */
export const DATA_TYPE = { float32: 1, int32: 6, int64: 7, bool: 9 } as const;
export type DType = keyof typeof DATA_TYPE;

/** AttributeProto.AttributeType codes. */
export const ATTRIBUTE_TYPE = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  FLOATS: 6,
  INTS: 7,
} as const;
