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
import { runChecker } from '../checker';
import type { CheckResult } from '../checker';
import { heatmapOutputs, plotOutput, showOutputs, tableOutput, textOutput } from '../outputs';
import type { HeatmapOptions, PlotOptions } from '../outputs';
import type { CellData, CellMessage, Output } from '../protocol';
import { EXERCISES } from './exercises';
import { createNetApi } from './net';
import { recordedOps } from './record';
import type { OpRecorder } from './record';

type Post = (message: CellMessage) => void;

function engine(): Record<string, unknown> {
  const all = cnn as unknown as Record<string, unknown>;
  return Object.fromEntries(ENGINE_NAMES.map((name) => [name, all[name]]));
}

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
  // Each checker calls the reader's function with the case's inputs in order, then its options.
  const checkers = Object.fromEntries(
    Object.entries(EXERCISES).map(([name, ex]) => {
      const check = (yours: (...args: never[]) => unknown): boolean => {
        must(yours, name, ex.op);
        const call = yours as (...args: unknown[]) => unknown;
        return report(
          runChecker(
            ex.op,
            ex.inputs,
            ex.cases(),
            (inputs, o) => call(...inputs, o),
            (inputs, o) => ex.engine(ops, inputs, o),
            ex.extras,
          ),
        );
      };
      return [name, check];
    }),
  ) as Record<keyof typeof EXERCISES, (yours: (...args: never[]) => unknown) => boolean>;
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
    ...checkers,
  };
}
