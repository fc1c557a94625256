/**
 * Reading an .onnx file back: `parseModel(bytes)` decodes the ModelProto (onnx-proto) and
 * describes it (inputs, outputs, nodes, initializers), or throws an OnnxModelError whose message
 * says what is wrong in words a reader can act on:
 *   "not an ONNX model (protobuf decode failed at byte 17: invalid wire type 7)"
 *   "uses op LSTM which ConvBook cannot show"
 *   "initializer conv1.w declares shape [8, 1, 5, 5] (200 values) but holds 199"
 */
import { OnnxModelError } from './errors.ts';
import { ONNX_LAYERS } from './layers/index.ts';
import { DATA_TYPE, onnx } from './proto.ts';
import type { OnnxTypes } from './proto.ts';

export { OnnxModelError } from './errors.ts';

/**
 * Ops a ConvBook page can draw and run: what the layers' forward emitters write and what their
 * importers read (both from the layer table), the Add of MatMul + Add (a dense layer), the
 * single-op ConvTranspose, the final Softmax and Constant (exporters write Reshape shapes that way).
 */
export const SHOWABLE_OPS: readonly string[] = [
  ...new Set([
    ...Object.values(ONNX_LAYERS).flatMap((r) => [
      ...r.ops.forward,
      ...Object.keys(r.importers ?? {}),
    ]),
    'Add',
    'ConvTranspose',
    'Softmax',
    'Constant',
  ]),
];

export type {
  AttributeValue,
  DimValue,
  InitializerDescription,
  ModelDescription,
  NodeDescription,
  ValueDescription,
} from './description.ts';
import type {
  AttributeValue,
  InitializerDescription,
  ModelDescription,
  NodeDescription,
  ValueDescription,
} from './description.ts';

const DTYPE_NAMES: Readonly<Record<number, string>> = {
  ...Object.fromEntries(Object.entries(DATA_TYPE).map(([k, v]) => [v, k])),
  2: 'uint8',
  3: 'int8',
  10: 'float16',
  11: 'float64',
};

export interface ParseOptions {
  /** Throw on ops outside SHOWABLE_OPS (default true). */
  readonly requireShowable?: boolean;
}

export function parseModel(bytes: Uint8Array, options: ParseOptions = {}): ModelDescription {
  if (!(bytes instanceof Uint8Array))
    throw new OnnxModelError('not an ONNX model (expected bytes, a Uint8Array)');
  if (bytes.length === 0) throw new OnnxModelError('not an ONNX model (the file is empty)');
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new OnnxModelError(
      `not an ONNX model (protobuf decode failed at byte ${decodeOffset(message)}: ${message})`,
    );
  }
  const graph = model.graph;
  if (graph === null || graph === undefined || (graph.node ?? []).length === 0) {
    throw new OnnxModelError('not an ONNX model (it decodes, but holds no graph of nodes)');
  }
  const irVersion = toNumber(model.irVersion);
  if (irVersion === 0) throw new OnnxModelError('not an ONNX model (no ir_version)');

  const initializers = (graph.initializer ?? []).map(describeInitializer);
  const initNames = new Set(initializers.map((i) => i.name));
  const nodes = (graph.node ?? []).map(describeNode);
  if (options.requireShowable ?? true) {
    for (const n of nodes) {
      const qualified =
        n.domain === '' || n.domain === 'ai.onnx' ? n.opType : `${n.domain}.${n.opType}`;
      if (qualified !== n.opType || !SHOWABLE_OPS.includes(n.opType)) {
        throw new OnnxModelError(
          `uses op ${qualified} which ConvBook cannot show (node ${n.name || '(unnamed)'})`,
        );
      }
    }
  }
  const inputs = (graph.input ?? []).filter((v) => !initNames.has(v.name ?? '')).map(describeValue);
  for (const i of inputs) {
    if (i.shape === null)
      throw new OnnxModelError(`input ${i.name} has no shape; ConvBook needs its rank and sizes`);
  }
  return {
    irVersion,
    producer: `${model.producerName ?? ''} ${model.producerVersion ?? ''}`.trim(),
    opsets: (model.opsetImport ?? []).map((o) => ({
      domain: o.domain ?? '',
      version: toNumber(o.version),
    })),
    graphName: graph.name ?? '',
    inputs,
    outputs: (graph.output ?? []).map(describeValue),
    nodes,
    initializers,
  };
}

/** protobufjs messages carry the offset: "index out of range: 12 + 10 > 15", "… at offset 3". */
function decodeOffset(message: string): string {
  const range = /index out of range: (\d+)/.exec(message);
  if (range) return range[1]!;
  const offset = /offset (\d+)/.exec(message);
  return offset ? offset[1]! : '?';
}

function toNumber(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

function dtypeName(code: number | null | undefined): string {
  return DTYPE_NAMES[code ?? 0] ?? `type ${code ?? 0}`;
}

function describeValue(v: OnnxTypes.IValueInfoProto): ValueDescription {
  const name = v.name ?? '';
  const tensorType = v.type?.tensorType;
  if (tensorType === null || tensorType === undefined) {
    throw new OnnxModelError(`value ${name} is not a tensor; ConvBook shows tensors only`);
  }
  const dims = tensorType.shape?.dim;
  return {
    name,
    dtype: dtypeName(tensorType.elemType),
    shape:
      tensorType.shape === null || tensorType.shape === undefined
        ? null
        : (dims ?? []).map((d) =>
            d.dimParam
              ? d.dimParam
              : d.dimValue !== null && d.dimValue !== undefined
                ? toNumber(d.dimValue)
                : null,
          ),
  };
}

function describeInitializer(t: OnnxTypes.ITensorProto): InitializerDescription {
  const name = t.name ?? '';
  const shape = (t.dims ?? []).map((d) => toNumber(d));
  const count = shape.reduce((a, d) => a * d, 1);
  const dtype = dtypeName(t.dataType);
  let values: Float32Array | number[] | null = null;
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : null;
  if (dtype === 'float32') {
    if (raw !== null) {
      if (raw.length !== count * 4) {
        throw new OnnxModelError(
          `initializer ${name} declares shape [${shape.join(', ')}] (${count} values) but holds ${raw.length / 4}`,
        );
      }
      values = new Float32Array(count);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
    } else {
      values = Float32Array.from(t.floatData ?? []);
    }
  } else if (dtype === 'int64') {
    if (raw !== null) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      values = Array.from({ length: raw.length / 8 }, (_, i) =>
        Number(view.getBigInt64(i * 8, true)),
      );
    } else {
      values = (t.int64Data ?? []).map((v) => toNumber(v));
    }
  }
  if (values !== null && values.length !== count) {
    throw new OnnxModelError(
      `initializer ${name} declares shape [${shape.join(', ')}] (${count} values) but holds ${values.length}`,
    );
  }
  return { name, dtype, shape, values };
}

function describeNode(n: OnnxTypes.INodeProto): NodeDescription {
  const attributes: Record<string, AttributeValue> = {};
  for (const a of n.attribute ?? []) {
    const name = a.name ?? '';
    switch (a.type) {
      case 1:
        attributes[name] = a.f ?? 0;
        break;
      case 2:
        attributes[name] = toNumber(a.i);
        break;
      case 3:
        attributes[name] = new TextDecoder().decode(a.s ?? new Uint8Array());
        break;
      case 6:
        attributes[name] = [...(a.floats ?? [])];
        break;
      case 7:
        attributes[name] = (a.ints ?? []).map((v) => toNumber(v));
        break;
      case 8:
        attributes[name] = (a.strings ?? []).map((s) => new TextDecoder().decode(s));
        break;
      case 4:
        attributes[name] = describeInitializer(a.t ?? {});
        break;
      default:
        attributes[name] = `(${a.type ?? 'unknown'} attribute)`;
    }
  }
  return {
    name: n.name ?? '',
    opType: n.opType ?? '',
    domain: n.domain ?? '',
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attributes,
  };
}
