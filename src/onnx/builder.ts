/**
 * A small ONNX graph builder in the style of `onnx.helper.make_node`, with value handles as in
 * onnx-ir: a `Value` is an identity, and names exist only when the model is serialised (graph
 * inputs, outputs and named initializers keep the names they were given).
 *
 *   const b = new GraphBuilder();
 *   const x = b.input('x', 'float32', ['N', 1, 28, 28]);
 *   const w = b.initializer(kernel.data, kernel.shape, 'w');
 *   const y = b.conv(x, w, null, { strides: [1, 1], pads: [2, 2, 2, 2] });
 *   b.output(b.relu(y), 'y');
 *   const bytes = b.toModelBytes({ opset: 17 });
 *
 * Nodes are kept in creation order, which is always a topological order, and nodes that no output
 * depends on are dropped at serialisation. Serialisation goes through onnx-proto (protobufjs).
 */
import { ATTRIBUTE_TYPE, DATA_TYPE, onnx, type DType, type OnnxTypes } from './proto.ts';

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

export interface ConvAttrs {
  readonly strides?: readonly number[];
  readonly pads?: readonly number[];
  readonly dilations?: readonly number[];
  readonly group?: number;
  readonly kernelShape?: readonly number[];
}
export interface ConvTransposeAttrs extends ConvAttrs {
  readonly outputPadding?: readonly number[];
}
export interface PoolAttrs {
  readonly kernelShape: readonly number[];
  readonly strides?: readonly number[];
  readonly pads?: readonly number[];
  readonly countIncludePad?: boolean;
}
export interface GemmAttrs {
  readonly alpha?: number;
  readonly beta?: number;
  readonly transA?: boolean;
  readonly transB?: boolean;
}

export class GraphBuilder {
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

  // ---- typed helpers -------------------------------------------------------------------------

  conv(x: Value, w: Value, bias: Value | null, a: ConvAttrs = {}, shape?: readonly Dim[]): Value {
    return this.op('Conv', bias === null ? [x, w] : [x, w, bias], convAttrs(a), undefined, shape);
  }
  /**
   * ConvTranspose. Asymmetric pads are emitted as pads 0 followed by a Slice that crops
   * [top, left, bottom, right] — the same numbers by definition (pads crop the full output) —
   * because ORT 1.30's WebGPU (JSEP) kernel computes asymmetric pads wrongly.
   */
  convTranspose(
    x: Value,
    w: Value,
    bias: Value | null,
    a: ConvTransposeAttrs = {},
    shape?: readonly Dim[],
  ): Value {
    const inputs = bias === null ? [x, w] : [x, w, bias];
    const p = a.pads;
    if (p !== undefined && (p[0] !== p[2] || p[1] !== p[3])) {
      const full = this.op('ConvTranspose', inputs, {
        ...convAttrs({ ...a, pads: [0, 0, 0, 0] }),
        output_padding: a.outputPadding,
      });
      const end = (cut: number) => (cut > 0 ? -cut : Number.MAX_SAFE_INTEGER);
      const starts = this.int64s([p[0]!, p[1]!]);
      const ends = this.int64s([end(p[2]!), end(p[3]!)]);
      return this.op('Slice', [full, starts, ends, this.int64s([2, 3])], {}, undefined, shape);
    }
    return this.op(
      'ConvTranspose',
      inputs,
      {
        ...convAttrs(a),
        output_padding: a.outputPadding,
      },
      undefined,
      shape,
    );
  }

  maxPool(x: Value, a: PoolAttrs, shape?: readonly Dim[]): Value {
    return this.op('MaxPool', [x], poolAttrs(a), undefined, shape);
  }
  averagePool(x: Value, a: PoolAttrs, shape?: readonly Dim[]): Value {
    return this.op(
      'AveragePool',
      [x],
      {
        ...poolAttrs(a),
        count_include_pad: a.countIncludePad === true ? 1 : undefined,
      },
      undefined,
      shape,
    );
  }
  gemm(a: Value, b: Value, c: Value | null, attrs: GemmAttrs = {}, shape?: readonly Dim[]): Value {
    return this.op(
      'Gemm',
      c === null ? [a, b] : [a, b, c],
      {
        alpha: attrs.alpha === undefined ? undefined : float(attrs.alpha),
        beta: attrs.beta === undefined ? undefined : float(attrs.beta),
        transA: attrs.transA === true ? 1 : undefined,
        transB: attrs.transB === true ? 1 : undefined,
      },
      undefined,
      shape,
    );
  }
  matMul(a: Value, b: Value, shape?: readonly Dim[]): Value {
    return this.op('MatMul', [a, b], {}, undefined, shape);
  }
  relu(x: Value): Value {
    return this.op('Relu', [x], {}, undefined, x.shape);
  }
  leakyRelu(x: Value, alpha: number): Value {
    return this.op('LeakyRelu', [x], { alpha: float(alpha) }, undefined, x.shape);
  }
  sigmoid(x: Value): Value {
    return this.op('Sigmoid', [x], {}, undefined, x.shape);
  }
  tanh(x: Value): Value {
    return this.op('Tanh', [x], {}, undefined, x.shape);
  }
  softmax(x: Value, axis = -1): Value {
    return this.op('Softmax', [x], { axis }, undefined, x.shape);
  }
  exp(x: Value): Value {
    return this.op('Exp', [x], {}, undefined, x.shape);
  }
  log(x: Value): Value {
    return this.op('Log', [x], {}, undefined, x.shape);
  }
  sqrt(x: Value): Value {
    return this.op('Sqrt', [x], {}, undefined, x.shape);
  }
  add(a: Value, b: Value, shape?: readonly Dim[]): Value {
    return this.op('Add', [a, b], {}, undefined, shape ?? broadcastShape(a, b));
  }
  sub(a: Value, b: Value, shape?: readonly Dim[]): Value {
    return this.op('Sub', [a, b], {}, undefined, shape ?? broadcastShape(a, b));
  }
  mul(a: Value, b: Value, shape?: readonly Dim[]): Value {
    return this.op('Mul', [a, b], {}, undefined, shape ?? broadcastShape(a, b));
  }
  div(a: Value, b: Value, shape?: readonly Dim[]): Value {
    return this.op('Div', [a, b], {}, undefined, shape ?? broadcastShape(a, b));
  }
  greater(a: Value, b: Value): Value {
    return this.op('Greater', [a, b], {}, 'bool', broadcastShape(a, b));
  }
  equal(a: Value, b: Value): Value {
    return this.op('Equal', [a, b], {}, 'bool', broadcastShape(a, b));
  }
  and(a: Value, b: Value): Value {
    return this.op('And', [a, b], {}, 'bool', broadcastShape(a, b));
  }
  where(cond: Value, a: Value, b: Value, shape?: readonly Dim[]): Value {
    return this.op('Where', [cond, a, b], {}, a.dtype, shape);
  }
  cast(x: Value, to: DType): Value {
    return this.op('Cast', [x], { to: DATA_TYPE[to] }, to, x.shape);
  }
  reshape(x: Value, shape: readonly number[]): Value {
    const known = shape.every((d) => d > 0);
    return this.op('Reshape', [x, this.int64s(shape)], {}, undefined, known ? shape : undefined);
  }
  transpose(x: Value, perm: readonly number[]): Value {
    const s = x.shape === undefined ? undefined : perm.map((p) => x.shape![p]!);
    return this.op('Transpose', [x], { perm }, undefined, s);
  }
  flatten(x: Value, axis = 1): Value {
    return this.op('Flatten', [x], { axis });
  }
  /** Slice along `axes` from `starts` to `ends` (exclusive), optional `steps`. */
  slice(
    x: Value,
    starts: readonly number[],
    ends: readonly number[],
    axes: readonly number[],
    steps?: readonly number[],
  ): Value {
    const inputs = [x, this.int64s(starts), this.int64s(ends), this.int64s(axes)];
    if (steps !== undefined) inputs.push(this.int64s(steps));
    return this.op('Slice', inputs);
  }
  /** Zero padding; pads in ONNX order [x1_begin, x2_begin, …, x1_end, x2_end, …]. */
  pad(x: Value, pads: readonly number[]): Value {
    return this.op('Pad', [x, this.int64s(pads)]);
  }
  /** A reduction; the axes become an attribute or an input as the opset requires. */
  reduce(
    opType: 'ReduceSum' | 'ReduceMax' | 'ReduceMean',
    x: Value,
    axes: readonly number[],
    keepdims: boolean,
    shape?: readonly Dim[],
  ): Value {
    return this.op(opType, [x], { axes, keepdims: keepdims ? 1 : 0 }, undefined, shape);
  }
  argMax(x: Value, axis: number, keepdims: boolean): Value {
    return this.op(
      'ArgMax',
      [x],
      { axis, keepdims: keepdims ? 1 : 0, select_last_index: 0 },
      'int64',
    );
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

function convAttrs(a: ConvAttrs): Attrs {
  return {
    kernel_shape: a.kernelShape,
    strides: a.strides,
    pads: a.pads,
    dilations: a.dilations,
    group: a.group === undefined || a.group === 1 ? undefined : a.group,
  };
}

function poolAttrs(a: PoolAttrs): Attrs {
  return { kernel_shape: a.kernelShape, strides: a.strides, pads: a.pads };
}

function broadcastShape(a: Value, b: Value): readonly Dim[] | undefined {
  if (a.shape === undefined || b.shape === undefined) return undefined;
  const n = Math.max(a.shape.length, b.shape.length);
  const out: Dim[] = [];
  for (let k = 0; k < n; k++) {
    const da = a.shape[a.shape.length - n + k] ?? 1;
    const db = b.shape[b.shape.length - n + k] ?? 1;
    out.push(da === 1 ? db : da);
  }
  return out;
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
