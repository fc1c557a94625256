/**
 * (c) One-op graphs for the widgets: the op, its attributes and input shapes in; model bytes, the
 * input names and the output name out. Op names and attribute names are those of the reference
 * engine (src/cnn/ops), and 'same' / 'valid' pads are resolved by its geometry, so both engines
 * compute the same thing.
 *
 *   conv2d           inputs x [N, C, H, W], kernel [M, C/group, kh, kw], bias [M]?   → ONNX Conv
 *   convTranspose2d  inputs x [N, C, H, W], weight [C, M/group, kh, kw], bias [M]?  → ConvTranspose
 *   maxPool2d        input x                                                        → MaxPool
 *   avgPool2d        input x (attribute countIncludePad)                            → AveragePool
 *   relu, leakyRelu (alpha), sigmoid, tanh, softmax (rows of [N, K])                → the ONNX op
 *   linear           inputs x [N, F], weight [U, F], bias [U]?  (y = x·Wᵀ + b)       → Gemm transB = 1
 */
import {
  conv2dSetup,
  poolGeometry,
  resolvePads,
  type PaddingLike,
  type PairLike,
} from '../cnn/index.ts';
import { GraphBuilder, type Value } from './builder.ts';

export type OpName =
  | 'conv2d'
  | 'convTranspose2d'
  | 'maxPool2d'
  | 'avgPool2d'
  | 'relu'
  | 'leakyRelu'
  | 'sigmoid'
  | 'tanh'
  | 'softmax'
  | 'linear';

export const OP_NAMES: readonly OpName[] = [
  'conv2d',
  'convTranspose2d',
  'maxPool2d',
  'avgPool2d',
  'relu',
  'leakyRelu',
  'sigmoid',
  'tanh',
  'softmax',
  'linear',
];

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

/** Input names of `op` when given `count` inputs. */
export function opInputNames(op: OpName, count: number): string[] {
  const names =
    op === 'conv2d'
      ? ['x', 'kernel', 'bias']
      : op === 'convTranspose2d' || op === 'linear'
        ? ['x', 'weight', 'bias']
        : ['x'];
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
  const [x, w] = inputs as [Value, Value | undefined];
  const bias = inputs[2] ?? null;
  const xShape = shapes[0]!;
  switch (op) {
    case 'conv2d': {
      const { g, group } = conv2dSetup(op, xShape, shapes[1]!, attributes);
      return b.conv(x, w!, bias, {
        kernelShape: [g.kernelHeight, g.kernelWidth],
        strides: [g.strideHeight, g.strideWidth],
        pads: [...g.pads],
        dilations: [g.dilationHeight, g.dilationWidth],
        group,
      });
    }
    case 'convTranspose2d': {
      if (attributes.pads === 'same') {
        throw new RangeError(
          `${op}: pads 'same' is not supported for transposed convolution; give explicit pads`,
        );
      }
      const pads = resolvePads(op, attributes.pads ?? 'valid');
      const outputPadding = pair(attributes.outputPadding, 0);
      return b.convTranspose(x, w!, bias, {
        kernelShape: [shapes[1]![2]!, shapes[1]![3]!],
        strides: pair(attributes.strides, 1),
        pads: [...pads],
        dilations: pair(attributes.dilations, 1),
        group: attributes.group ?? 1,
        outputPadding: outputPadding[0] === 0 && outputPadding[1] === 0 ? undefined : outputPadding,
      });
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      if (attributes.kernelShape === undefined)
        throw new RangeError(`${op}: kernelShape is required`);
      const g = poolGeometry(op, xShape, {
        kernelShape: attributes.kernelShape,
        strides: attributes.strides,
        pads: attributes.pads,
      });
      const a = {
        kernelShape: [g.kernelHeight, g.kernelWidth],
        strides: [g.strideHeight, g.strideWidth],
        pads: [...g.pads],
      };
      return op === 'maxPool2d'
        ? b.maxPool(x, a)
        : b.averagePool(x, { ...a, countIncludePad: attributes.countIncludePad === true });
    }
    case 'relu':
      return b.relu(x);
    case 'leakyRelu':
      return b.leakyRelu(x, attributes.alpha ?? 0.01);
    case 'sigmoid':
      return b.sigmoid(x);
    case 'tanh':
      return b.tanh(x);
    case 'softmax':
      if (xShape.length !== 2)
        throw new RangeError(`softmax: input must be [N, classes], got [${xShape.join(', ')}]`);
      return b.softmax(x, -1);
    case 'linear':
      return b.gemm(x, w!, bias, { transB: true });
  }
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
