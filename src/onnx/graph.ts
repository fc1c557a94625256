/**
 * The core of the graph builder: graph inputs, initializers and constants, generic nodes, graph
 * outputs, and serialisation. Nodes are kept in creation order, which is always a topological
 * order, and nodes that no output depends on are dropped at serialisation, which goes through
 * onnx-proto (protobufjs). GraphBuilder (builder.ts) adds one typed helper per ONNX op.
 */
import { ATTRIBUTE_TYPE, DATA_TYPE, onnx } from './proto.ts';
import type { DType, OnnxTypes } from './proto.ts';
import { Value } from './value.ts';
import type { AttrValue, Attrs, Dim, FloatAttr, FloatsAttr, TensorData } from './value.ts';

interface NodeRecord {
  readonly opType: string;
  readonly inputs: readonly (Value | null)[];
  readonly outputs: readonly Value[];
  readonly attrs: Attrs;
  readonly name: string;
}

interface InitializerRecord {
  readonly data: TensorData;
  readonly dtype: DType;
  readonly dims: readonly number[];
}

export interface ModelOptions {
  /** Default opset of the ai.onnx domain; 17 unless given. */
  readonly opset?: number;
  readonly irVersion?: number;
  readonly graphName?: string;
  readonly producerName?: string;
  readonly docString?: string;
}

/** Ops whose `axes` became an input (ReduceSum in opset 13, the other reductions in 18). */
const AXES_AS_INPUT_SINCE: Readonly<Record<string, number>> = {
  ReduceSum: 13,
  ReduceMax: 18,
  ReduceMin: 18,
  ReduceMean: 18,
  ReduceProd: 18,
  ReduceL2: 18,
  ReduceLogSumExp: 18,
  Squeeze: 13,
  Unsqueeze: 13,
};

export class Graph {
  /** Prefix for the names of nodes made from now on (helps reading profiles); '' for none. */
  prefix = '';
  private nextId = 0;
  private readonly nodes: NodeRecord[] = [];
  private readonly producers = new Map<Value, NodeRecord>();
  private readonly graphInputs: Value[] = [];
  private readonly graphOutputs: Value[] = [];
  private readonly initializers = new Map<Value, InitializerRecord>();
  private readonly fixedNames = new Map<Value, string>();
  private readonly usedNames = new Set<string>();
  private readonly constantCache = new Map<string, Value>();

  private newValue(dtype: DType, shape: readonly Dim[] | undefined, hint: string): Value {
    return new Value(this.nextId++, dtype, shape === undefined ? undefined : [...shape], hint);
  }

  private claimName(value: Value, name: string): void {
    if (name === '') throw new RangeError('a graph name must not be empty');
    if (this.usedNames.has(name)) throw new RangeError(`the name "${name}" is already used`);
    this.usedNames.add(name);
    this.fixedNames.set(value, name);
  }

  /** A graph input. Dimensions may be numbers or symbolic names such as 'N'. */
  input(name: string, dtype: DType, shape: readonly Dim[]): Value {
    const v = this.newValue(dtype, shape, name);
    this.claimName(v, name);
    this.graphInputs.push(v);
    return v;
  }

  /** A weight stored in the model. Unnamed initializers get a name at serialisation. */
  initializer(
    data: TensorData | readonly number[],
    dims: readonly number[],
    name?: string,
    dtype?: DType,
  ): Value {
    const typed = toTypedData(data, dtype ?? inferDType(data));
    const resolvedType = dtype ?? inferDType(typed);
    const count = dims.reduce((a, d) => a * d, 1);
    if (typed.length !== count) {
      throw new RangeError(
        `initializer ${name ?? ''} has ${typed.length} values, dims [${dims.join(', ')}] hold ${count}`,
      );
    }
    const v = this.newValue(resolvedType, dims, name ?? 'const');
    if (name !== undefined) this.claimName(v, name);
    this.initializers.set(v, { data: typed, dtype: resolvedType, dims: [...dims] });
    return v;
  }

  /** A constant, shared by every use with the same dtype, dims and values. */
  constant(values: readonly number[], dims: readonly number[], dtype: DType = 'float32'): Value {
    const key = `${dtype}|${dims.join(',')}|${values.join(',')}`;
    const cached = this.constantCache.get(key);
    if (cached !== undefined) return cached;
    const v = this.initializer(values, dims, undefined, dtype);
    this.constantCache.set(key, v);
    return v;
  }
  /** A float32 scalar constant. */
  scalar(x: number): Value {
    return this.constant([x], []);
  }
  /** A 1-D int64 constant (shapes, axes, indices). */
  int64s(values: readonly number[]): Value {
    return this.constant(values, [values.length], 'int64');
  }

  /**
   * The generic node: `inputs` may hold null for an omitted optional input. Outputs take the
   * dtype of the first input unless `outputTypes` says otherwise.
   */
  node(
    opType: string,
    inputs: readonly (Value | null)[],
    attrs: Attrs = {},
    nOutputs = 1,
    outputTypes?: readonly DType[],
    outputShapes?: readonly (readonly Dim[] | undefined)[],
  ): Value[] {
    const firstType = inputs.find((v) => v !== null)?.dtype ?? 'float32';
    const base = this.prefix === '' ? opType : `${this.prefix}/${opType}`;
    const outputs = Array.from({ length: nOutputs }, (_, k) =>
      this.newValue(outputTypes?.[k] ?? firstType, outputShapes?.[k], base),
    );
    const record: NodeRecord = { opType, inputs: [...inputs], outputs, attrs, name: base };
    this.nodes.push(record);
    for (const o of outputs) this.producers.set(o, record);
    return outputs;
  }

  /** A node with one output. */
  op(
    opType: string,
    inputs: readonly (Value | null)[],
    attrs: Attrs = {},
    outputType?: DType,
    shape?: readonly Dim[],
  ): Value {
    return this.node(
      opType,
      inputs,
      attrs,
      1,
      outputType === undefined ? undefined : [outputType],
      [shape],
    )[0]!;
  }

  /** Marks `value` as a graph output called `name` (through an Identity if it already has a name). */
  output(value: Value, name: string): Value {
    let v = value;
    if (this.fixedNames.has(v) || this.graphOutputs.includes(v))
      v = this.op('Identity', [v], {}, undefined, v.shape);
    this.claimName(v, name);
    this.graphOutputs.push(v);
    return v;
  }

  /** The node that made `value`, if any (for small pattern checks in emitters). */
  producerOf(
    value: Value,
  ): { opType: string; inputs: readonly (Value | null)[]; attrs: Attrs } | undefined {
    return this.producers.get(value);
  }

  // ---- serialisation -------------------------------------------------------------------------

  toModelProto(options: ModelOptions = {}): OnnxTypes.ModelProto {
    const opset = options.opset ?? 17;
    if (this.graphOutputs.length === 0) throw new RangeError('the graph has no outputs');

    // Keep only the nodes that some output depends on.
    const live = new Set<NodeRecord>();
    const stack = [...this.graphOutputs];
    const seen = new Set<Value>();
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      const p = this.producers.get(v);
      if (p === undefined || live.has(p)) continue;
      live.add(p);
      for (const i of p.inputs) if (i !== null) stack.push(i);
    }

    const names = new Map<Value, string>(this.fixedNames);
    const taken = new Set(this.usedNames);
    const nameOf = (v: Value): string => {
      let n = names.get(v);
      if (n === undefined) {
        n = `${v.hint}_${v.id}`;
        while (taken.has(n)) n += '_';
        taken.add(n);
        names.set(v, n);
      }
      return n;
    };

    const nodeProtos: OnnxTypes.INodeProto[] = [];
    let nodeIndex = 0;
    for (const rec of this.nodes) {
      if (!live.has(rec)) continue;
      const inputs = rec.inputs.map((v) => (v === null ? '' : nameOf(v)));
      const attrs: Record<string, AttrValue | undefined> = { ...rec.attrs };
      const since = AXES_AS_INPUT_SINCE[rec.opType];
      if (since !== undefined && opset >= since && attrs['axes'] !== undefined) {
        const axes = attrs['axes'] as readonly number[];
        delete attrs['axes'];
        const axesValue = this.int64s(axes);
        seen.add(axesValue);
        inputs.push(nameOf(axesValue));
      }
      while (inputs.length > 0 && inputs[inputs.length - 1] === '') inputs.pop();
      nodeProtos.push({
        opType: rec.opType,
        name: `${rec.name}_${nodeIndex++}`,
        input: inputs,
        output: rec.outputs.map(nameOf),
        attribute: Object.entries(attrs)
          .filter((e): e is [string, AttrValue] => e[1] !== undefined)
          .map(([k, a]) => attributeProto(k, a)),
      });
    }

    const initializerProtos: OnnxTypes.ITensorProto[] = [];
    for (const [v, init] of this.initializers) {
      if (!seen.has(v)) continue;
      initializerProtos.push(tensorProto(nameOf(v), init));
    }

    const graph: OnnxTypes.IGraphProto = {
      name: options.graphName ?? 'convbook',
      node: nodeProtos,
      initializer: initializerProtos,
      input: this.graphInputs.map((v) => valueInfo(nameOf(v), v)),
      output: this.graphOutputs.map((v) => valueInfo(nameOf(v), v)),
    };
    return onnx.ModelProto.create({
      irVersion: options.irVersion ?? 8,
      producerName: options.producerName ?? 'convbook',
      docString: options.docString ?? '',
      opsetImport: [{ domain: '', version: opset }],
      graph,
    });
  }

  toModelBytes(options: ModelOptions = {}): Uint8Array {
    return onnx.ModelProto.encode(this.toModelProto(options)).finish();
  }
}

function inferDType(data: TensorData | readonly number[]): DType {
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'bool';
  return 'float32';
}

function toTypedData(data: TensorData | readonly number[], dtype: DType): TensorData {
  if (!Array.isArray(data)) return data as TensorData;
  const list = data as readonly number[];
  switch (dtype) {
    case 'float32':
      return Float32Array.from(list);
    case 'int64':
      return BigInt64Array.from(list, (x) => BigInt(x));
    case 'int32':
      return Int32Array.from(list);
    case 'bool':
      return Uint8Array.from(list, (x) => (x ? 1 : 0));
  }
}

function attributeProto(name: string, a: AttrValue): OnnxTypes.IAttributeProto {
  if (typeof a === 'number') {
    if (!Number.isInteger(a))
      throw new RangeError(`attribute ${name}: ${a} is not an integer; wrap floats in float()`);
    return { name, type: ATTRIBUTE_TYPE.INT, i: a };
  }
  if (typeof a === 'string')
    return { name, type: ATTRIBUTE_TYPE.STRING, s: new TextEncoder().encode(a) };
  if (Array.isArray(a))
    return { name, type: ATTRIBUTE_TYPE.INTS, ints: [...(a as readonly number[])] };
  const marked = a as FloatAttr | FloatsAttr;
  if (marked.kind === 'float') return { name, type: ATTRIBUTE_TYPE.FLOAT, f: marked.value };
  return { name, type: ATTRIBUTE_TYPE.FLOATS, floats: [...marked.value] };
}

function tensorProto(name: string, init: InitializerRecord): OnnxTypes.ITensorProto {
  const bytes = new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength);
  return { name, dims: [...init.dims], dataType: DATA_TYPE[init.dtype], rawData: bytes.slice() };
}

function valueInfo(name: string, v: Value): OnnxTypes.IValueInfoProto {
  const tensorType: OnnxTypes.TypeProto.ITensor = { elemType: DATA_TYPE[v.dtype] };
  if (v.shape !== undefined) {
    tensorType.shape = {
      dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
    };
  }
  return { name, type: { tensorType } };
}
