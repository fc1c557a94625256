/**
 * The exercise checkers a cell can call (`checkConv2d(myConv2d)` …), one record each: the op's
 * name in messages, its inputs, the cases, the engine's answer (through the recorded ops, so the
 * op list shows them) and, for gradients, the finite differences the engine is held to first.
 */
import * as cnn from '../../../cnn/index.ts';
import type { Tensor } from '../../../cnn/index.ts';
import type { CHECKER_NAMES } from '../api-names';
import { conv2dCases, maxPool2dCases } from '../checker';
import type { CheckCase, CheckExtras } from '../checker';
import {
  conv2dBackwardCases,
  maxPoolBackwardCases,
  numericGradient,
  reluBackwardCases,
  reluCases,
} from '../gradcheck';
import { convGradWindow, convWindow, elementWindow, poolGradWindow, poolWindow } from '../windows';
import type { recordedOps } from './record';

type Ops = ReturnType<typeof recordedOps>;
type Options = CheckCase['options'];

export interface Exercise {
  /** The op's name in the verdict ("✗ case 3 of 12 …"). */
  readonly op: string;
  /** The reader's function is called with these inputs, in order, then the case's options. */
  readonly inputs: readonly string[];
  readonly cases: () => readonly CheckCase[];
  readonly engine: (ops: Ops, inputs: readonly Tensor[], o: Options) => Tensor;
  readonly extras: CheckExtras;
}

const pool = (o: Options) => o as unknown as cnn.Pool2dAttributes;

export const EXERCISES: Readonly<Record<(typeof CHECKER_NAMES)[number], Exercise>> = {
  /** conv2d(x, kernel, { strides: [sh, sw], pads: [top, left, bottom, right] }) */
  checkConv2d: {
    op: 'conv2d',
    inputs: ['x', 'kernel'],
    cases: conv2dCases,
    engine: (ops, [x, k], o) => ops.conv2d(x!, k!, o),
    extras: { window: convWindow },
  },
  /** maxPool2d(x, { kernelShape: [kh, kw], strides: [sh, sw] }) */
  checkMaxPool2d: {
    op: 'maxPool2d',
    inputs: ['x'],
    cases: maxPool2dCases,
    engine: (ops, [x], o) => ops.maxPool2d(x!, pool(o)),
    extras: { window: poolWindow },
  },
  /** conv2d's input gradient (x, kernel, dy, { strides, pads }) → dx */
  checkConv2dBackward: {
    op: 'conv2d backward',
    inputs: ['x', 'kernel', 'dy'],
    cases: conv2dBackwardCases,
    engine: (ops, [x, k, dy], o) => ops.conv2dInputGradient(x!, k!, dy!, o),
    extras: {
      output: 'dx',
      window: convGradWindow,
      numeric: ({ inputs: [x, k, dy], options: o }) =>
        numericGradient((v) => cnn.conv2d(v, k!, o), x!, dy!),
    },
  },
  /** relu(x) */
  checkRelu: {
    op: 'relu',
    inputs: ['x'],
    cases: reluCases,
    engine: (ops, [x]) => ops.relu(x!),
    extras: { window: elementWindow(['x']) },
  },
  /** reluBackward(x, dy) → dx */
  checkReluBackward: {
    op: 'reluBackward',
    inputs: ['x', 'dy'],
    cases: reluBackwardCases,
    engine: (ops, [x, dy]) => ops.reluBackward(x!, dy!),
    extras: {
      output: 'dx',
      window: elementWindow(['x', 'dy']),
      numeric: ({ inputs: [x, dy] }) => numericGradient(cnn.relu, x!, dy!),
    },
  },
  /** maxPool2dBackward(x, dy, { kernelShape, strides }) → dx */
  checkMaxPool2dBackward: {
    op: 'maxPool2dBackward',
    inputs: ['x', 'dy'],
    cases: maxPoolBackwardCases,
    engine: (ops, [x, dy], o) => ops.maxPool2dGradient(x!, dy!, pool(o)),
    extras: {
      output: 'dx',
      window: poolGradWindow,
      numeric: ({ inputs: [x, dy], options: o }) =>
        numericGradient((v) => cnn.maxPool2d(v, pool(o)), x!, dy!),
    },
  },
};
