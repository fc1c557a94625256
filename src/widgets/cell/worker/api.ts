/**
 * The `convbook` API the reader's code sees in its worker: the reference engine, its recorded
 * ops, the MNIST digits the page embedded, output helpers and the exercise checkers. Output goes
 * to the page as plain data through `post`; nothing here touches a DOM or the network.
 */
import * as cnn from '../../../cnn/index.ts';
import { iou, nms } from '../../../data/boxes.ts';
import type { MnistDataset } from '../../../data/mnist.ts';
import type { Tensor } from '../../../cnn/index.ts';
import { ENGINE_NAMES } from '../api-names';
import { conv2dCases, maxPool2dCases, runChecker, type CheckResult } from '../checker';
import {
  conv2dBackwardCases,
  maxPoolBackwardCases,
  numericGradient,
  reluBackwardCases,
  reluCases,
} from '../gradcheck';
import { convGradWindow, convWindow, elementWindow, poolGradWindow, poolWindow } from '../windows';
import {
  heatmapOutputs,
  plotOutput,
  showOutputs,
  tableOutput,
  textOutput,
  type HeatmapOptions,
  type PlotOptions,
} from '../outputs';
import type { CellData, CellMessage, Output } from '../protocol';
import { createNetApi } from './net';
import { recordedOps, type OpRecorder } from './record';

type Post = (message: CellMessage) => void;

function engine(): Record<string, unknown> {
  const all = cnn as unknown as Record<string, unknown>;
  return Object.fromEntries(ENGINE_NAMES.map((name) => [name, all[name]]));
}

const pool = (o: Readonly<Record<string, readonly number[]>>) =>
  o as unknown as cnn.Pool2dAttributes;

function must(yours: unknown, checker: string, op: string): void {
  if (typeof yours !== 'function') throw new TypeError(`${checker}: pass your ${op} function`);
}

export function createApi(
  rec: OpRecorder,
  post: Post,
  data: CellData | null,
  load?: () => Promise<MnistDataset>,
) {
  const ops = recordedOps(rec);
  const emit = (outputs: readonly Output[]) => {
    for (const output of outputs) post({ kind: 'output', output });
  };
  const report = (result: CheckResult) => {
    emit([{ kind: 'check', pass: result.pass, text: result.text }]);
    return result.pass;
  };
  const digits = data?.digits ?? [];
  return {
    ...engine(),
    ...ops,
    ...createNetApi(rec, (text) => emit([textOutput(text)]), load),
    /** Boxes (lesson 12): intersection over union and non-maximum suppression, as the figure uses. */
    iou,
    nms,
    /** Writes values as text; a tensor of 2+ dimensions is drawn as heatmaps. */
    show: (...values: unknown[]) => emit(showOutputs(values)),
    heatmap: (value: unknown, options?: HeatmapOptions) => emit(heatmapOutputs(value, options)),
    table: (rows: readonly unknown[], columns?: readonly string[]) =>
      emit([tableOutput(rows, columns)]),
    plot: (values: unknown, options?: PlotOptions) => emit([plotOutput(values, options)]),
    /** The i-th embedded MNIST digit: its label and the image as a [1, 1, 28, 28] tensor in [0, 1]. */
    mnist(i = 0): { label: number; image: Tensor } {
      const d = digits[i];
      if (!d)
        throw new RangeError(
          `mnist(${i}): this cell has ${digits.length} digits (0…${digits.length - 1})`,
        );
      return { label: d.label, image: cnn.tensor([1, 1, 28, 28], d.pixels) };
    },
    /** Standard-normal values, reproducible by seed. */
    randomTensor(shape: readonly number[], seed = 1): Tensor {
      const rng = cnn.createRng(seed);
      const t = cnn.zeros(shape);
      for (let k = 0; k < t.data.length; k++) t.data[k] = rng.normal();
      return t;
    },
    /** Your conv2d(x, kernel, { strides: [sh, sw], pads: [top, left, bottom, right] }) against the engine's. */
    checkConv2d(
      yours: (x: Tensor, kernel: Tensor, options: Record<string, readonly number[]>) => unknown,
    ) {
      must(yours, 'checkConv2d', 'conv2d');
      return report(
        runChecker(
          'conv2d',
          ['x', 'kernel'],
          conv2dCases(),
          ([x, k], o) => yours(x!, k!, o),
          ([x, k], o) => ops.conv2d(x!, k!, o),
          { window: convWindow },
        ),
      );
    },
    /** Your maxPool2d(x, { kernelShape: [kh, kw], strides: [sh, sw] }) against the engine's. */
    checkMaxPool2d(yours: (x: Tensor, options: Record<string, readonly number[]>) => unknown) {
      must(yours, 'checkMaxPool2d', 'maxPool2d');
      return report(
        runChecker(
          'maxPool2d',
          ['x'],
          maxPool2dCases(),
          ([x], o) => yours(x!, o),
          ([x], o) => ops.maxPool2d(x!, pool(o)),
          { window: poolWindow },
        ),
      );
    },
    /** Your conv2d input gradient (x, kernel, dy, { strides, pads }) → dx, likewise. */
    checkConv2dBackward(
      yours: (
        x: Tensor,
        kernel: Tensor,
        dy: Tensor,
        options: Record<string, readonly number[]>,
      ) => unknown,
    ) {
      must(yours, 'checkConv2dBackward', 'conv2d backward');
      return report(
        runChecker(
          'conv2d backward',
          ['x', 'kernel', 'dy'],
          conv2dBackwardCases(),
          ([x, k, dy], o) => yours(x!, k!, dy!, o),
          ([x, k, dy], o) => ops.conv2dInputGradient(x!, k!, dy!, o),
          {
            output: 'dx',
            window: convGradWindow,
            numeric: ({ inputs: [x, k, dy], options: o }) =>
              numericGradient((v) => cnn.conv2d(v, k!, o), x!, dy!),
          },
        ),
      );
    },
    /** Your relu(x) against the engine's. */
    checkRelu(yours: (x: Tensor) => unknown) {
      must(yours, 'checkRelu', 'relu');
      return report(
        runChecker(
          'relu',
          ['x'],
          reluCases(),
          ([x]) => yours(x!),
          ([x]) => ops.relu(x!),
          {
            window: elementWindow(['x']),
          },
        ),
      );
    },
    /** Your reluBackward(x, dy) → dx against the engine's and finite differences of relu. */
    checkReluBackward(yours: (x: Tensor, dy: Tensor) => unknown) {
      must(yours, 'checkReluBackward', 'reluBackward');
      return report(
        runChecker(
          'reluBackward',
          ['x', 'dy'],
          reluBackwardCases(),
          ([x, dy]) => yours(x!, dy!),
          ([x, dy]) => ops.reluBackward(x!, dy!),
          {
            output: 'dx',
            window: elementWindow(['x', 'dy']),
            numeric: ({ inputs: [x, dy] }) => numericGradient(cnn.relu, x!, dy!),
          },
        ),
      );
    },
    /** Your maxPool2dBackward(x, dy, { kernelShape, strides }) → dx, likewise. */
    checkMaxPool2dBackward(
      yours: (x: Tensor, dy: Tensor, options: Record<string, readonly number[]>) => unknown,
    ) {
      must(yours, 'checkMaxPool2dBackward', 'maxPool2dBackward');
      return report(
        runChecker(
          'maxPool2dBackward',
          ['x', 'dy'],
          maxPoolBackwardCases(),
          ([x, dy], o) => yours(x!, dy!, o),
          ([x, dy], o) => ops.maxPool2dGradient(x!, dy!, pool(o)),
          {
            output: 'dx',
            window: poolGradWindow,
            numeric: ({ inputs: [x, dy], options: o }) =>
              numericGradient((v) => cnn.maxPool2d(v, pool(o)), x!, dy!),
          },
        ),
      );
    },
  };
}
