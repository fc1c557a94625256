/**
 * (c) One-op graphs for the widgets: the op, its attributes and input shapes in; model bytes, the
 * input names and the output name out. One record per op in OPS (its inputs, its emitter). Op names and attribute names are those of the reference
 * engine (src/cnn/ops), and 'same' / 'valid' pads are resolved by its geometry, so both engines
 * compute the same thing.
 *
 *   conv2d           inputs x [N, C, H, W], kernel [M, C/group, kh, kw], bias [M]?   → ONNX Conv
 *   convTranspose2d  inputs x [N, C, H, W], weight [C, M/group, kh, kw], bias [M]?  → ConvTranspose
 *   maxPool2d        input x                                                        → MaxPool
 *   avgPool2d        input x (attribute countIncludePad)                            → AveragePool
 *   relu, leakyRelu (alpha), sigmoid, tanh, softmax (rows of [N, K])                → the ONNX op
 *   linear           inputs x [N, F], weight [U, F], bias [U]?  (y = x·Wᵀ + b)       → Gemm transB = 1
 *   add              inputs a, b of one shape (a residual connection's join)          → Add
 */
import { conv2dSetup, poolGeometry, resolvePads } from '../cnn/index.ts';
import type { PaddingLike, PairLike } from '../cnn/index.ts';
import { GraphBuilder } from './builder.ts';
import type { Value } from './builder.ts';

/** The union of every op's attributes (each op reads its own). */
export interface OpAttributes {
  readonly kernelShape?: PairLike;
  readonly strides?: PairLike;
  readonly pads?: PaddingLike;
  readonly dilations?: PairLike;
  readonly group?: number;
  readonly outputPadding?: PairLike;
  readonly countIncludePad?: boolean;
  readonly alpha?: number;
}

export interface OpModel {
  readonly bytes: Uint8Array;
  readonly inputNames: readonly string[];
  readonly outputName: 'y';
}

const pair = (v: PairLike | undefined, d: number): [number, number] =>
  v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0], v[1]];

interface OpRecord {
  /** Graph input names, in order; the last may be omitted when there are 2 or more (a bias). */
  readonly inputs: readonly string[];
  emit(
    b: GraphBuilder,
    a: OpAttributes,
    inputs: readonly Value[],
    shapes: readonly (readonly number[])[],
  ): Value;
}

/** The ops, keyed by the reference engine's op names (src/cnn/ops). */
const OPS = {
  conv2d: {
    inputs: ['x', 'kernel', 'bias'],
    emit(b, a, [x, w, bias], shapes) {
      const { g, group } = conv2dSetup('conv2d', shapes[0]!, shapes[1]!, a);
      return b.conv(x!, w!, bias ?? null, {
        kernelShape: [g.kernelHeight, g.kernelWidth],
        strides: [g.strideHeight, g.strideWidth],
        pads: [...g.pads],
        dilations: [g.dilationHeight, g.dilationWidth],
        group,
      });
    },
  },
  convTranspose2d: {
    inputs: ['x', 'weight', 'bias'],
    emit(b, a, [x, w, bias], shapes) {
      const op = 'convTranspose2d';
      if (a.pads === 'same') {
        throw new RangeError(
          `${op}: pads 'same' is not supported for transposed convolution; give explicit pads`,
        );
      }
      const pads = resolvePads(op, a.pads ?? 'valid');
      const outputPadding = pair(a.outputPadding, 0);
      return b.convTranspose(x!, w!, bias ?? null, {
        kernelShape: [shapes[1]![2]!, shapes[1]![3]!],
        strides: pair(a.strides, 1),
        pads: [...pads],
        dilations: pair(a.dilations, 1),
        group: a.group ?? 1,
        outputPadding: outputPadding[0] === 0 && outputPadding[1] === 0 ? undefined : outputPadding,
      });
    },
  },
  maxPool2d: {
    inputs: ['x'],
    emit: (b, a, [x], shapes) => b.maxPool(x!, poolAttributes('maxPool2d', a, shapes[0]!)),
  },
  avgPool2d: {
    inputs: ['x'],
    emit: (b, a, [x], shapes) =>
      b.averagePool(x!, {
        ...poolAttributes('avgPool2d', a, shapes[0]!),
        countIncludePad: a.countIncludePad === true,
      }),
  },
  relu: { inputs: ['x'], emit: (b, _a, [x]) => b.relu(x!) },
  leakyRelu: { inputs: ['x'], emit: (b, a, [x]) => b.leakyRelu(x!, a.alpha ?? 0.01) },
  sigmoid: { inputs: ['x'], emit: (b, _a, [x]) => b.sigmoid(x!) },
  tanh: { inputs: ['x'], emit: (b, _a, [x]) => b.tanh(x!) },
  softmax: {
    inputs: ['x'],
    emit(b, _a, [x], [xShape]) {
      if (xShape!.length !== 2)
        throw new RangeError(`softmax: input must be [N, classes], got [${xShape!.join(', ')}]`);
      return b.softmax(x!, -1);
    },
  },
  linear: {
    inputs: ['x', 'weight', 'bias'],
    emit: (b, _a, [x, w, bias]) => b.gemm(x!, w!, bias ?? null, { transB: true }),
  },
  add: {
    inputs: ['a', 'b'],
    emit(b, _a, [x, y], [aShape, bShape]) {
      // The reference op refuses broadcasting; so does this graph, with the same rule.
      if (aShape!.join() !== bShape!.join())
        throw new RangeError(
          `add: inputs must have one shape, got [${aShape!.join(', ')}] and [${bShape!.join(', ')}]`,
        );
      return b.add(x!, y!, aShape);
    },
  },
} as const satisfies Record<string, OpRecord>;

export type OpName = keyof typeof OPS;

export const OP_NAMES = Object.keys(OPS) as readonly OpName[];

function poolAttributes(op: string, a: OpAttributes, xShape: readonly number[]) {
  if (a.kernelShape === undefined) throw new RangeError(`${op}: kernelShape is required`);
  const g = poolGeometry(op, xShape, {
    kernelShape: a.kernelShape,
    strides: a.strides,
    pads: a.pads,
  });
  return {
    kernelShape: [g.kernelHeight, g.kernelWidth],
    strides: [g.strideHeight, g.strideWidth],
    pads: [...g.pads],
  };
}

/** Input names of `op` when given `count` inputs. */
export function opInputNames(op: OpName, count: number): string[] {
  const names: readonly string[] = OPS[op].inputs;
  if (count > names.length || count < Math.min(names.length, 2)) {
    throw new RangeError(
      `${op} takes ${names.length === 1 ? '1 input' : `2 or 3 inputs (${names.join(', ')})`}, got ${count}`,
    );
  }
  return names.slice(0, count);
}

export function emitOp(
  b: GraphBuilder,
  op: OpName,
  attributes: OpAttributes,
  inputs: readonly Value[],
  shapes: readonly (readonly number[])[],
): Value {
  return (OPS[op] as OpRecord).emit(b, attributes, inputs, shapes);
}

/** A model computing one op on graph inputs of the given shapes (batch dimensions included). */
export function buildOpModel(
  op: OpName,
  attributes: OpAttributes,
  inputShapes: readonly (readonly number[])[],
  options: { opset?: number } = {},
): OpModel {
  if (!OP_NAMES.includes(op))
    throw new RangeError(`unknown op ${String(op)}; ConvBook ops are ${OP_NAMES.join(', ')}`);
  const names = opInputNames(op, inputShapes.length);
  const b = new GraphBuilder();
  const inputs = names.map((n, k) => b.input(n, 'float32', inputShapes[k]!));
  b.output(emitOp(b, op, attributes, inputs, inputShapes), 'y');
  return {
    bytes: b.toModelBytes({ opset: options.opset ?? 17, graphName: op }),
    inputNames: names,
    outputName: 'y',
  };
}
