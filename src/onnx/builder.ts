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
 * Three files: value.ts (values and attributes), graph.ts (inputs, initializers, generic nodes,
 * outputs, serialisation: the Graph class) and this one (GraphBuilder: one typed helper per op).
 */
import { DATA_TYPE } from './proto.ts';
import type { DType } from './proto.ts';
import { Graph } from './graph.ts';
import { float } from './value.ts';
import type { Attrs, Dim, Value } from './value.ts';

export type { DType } from './proto.ts';
export { Value, float, floats } from './value.ts';
export type { AttrValue, Attrs, Dim, FloatAttr, FloatsAttr, TensorData } from './value.ts';
export type { ModelOptions } from './graph.ts';

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

/** The graph builder: Graph's inputs, nodes and serialisation, plus one typed helper per op. */
export class GraphBuilder extends Graph {
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
