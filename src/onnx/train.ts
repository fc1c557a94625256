/**
 * (b) The training-step graph: forward, softmax cross-entropy, backward and the optimiser update,
 * in standard ONNX ops that ORT's WebGPU EP implements (no LogSoftmax, no training ops).
 *
 * Inputs   images [B, C, H, W] · labels [B, classes] one-hot float (no integer ops on the GPU;
 *          for a network whose output is a map [classes, h, w], one row per position:
 *          [B·h·w, classes] in the order b, row, column — see loss-map.ts; for a network with
 *          a detection head, its target rows [B·h·w, 2K + 5] — see loss-detect.ts)
 *          · every parameter (`${i}.kernel`, …) · every optimiser slot (`${param}.velocity`,
 *          `${param}.m`, `${param}.v`) · scalars `lr` (and for Adam `biasCorrection1`,
 *          `biasCorrection2`; see optimizerScalars) · `dropout.${i}` masks [B, …] per dropout layer
 *          (0 or 1 / (1 − rate), from the reference engine's dropoutMask).
 * Outputs  `updated.${param}`, `updated.${slot}`, `loss`, `accuracy` (and `grad.${param}` when
 *          asked for).
 */
import type { NetworkSpec, OptimizerSpec } from '../cnn/index.ts';
import { GraphBuilder } from './builder.ts';
import type { Value } from './builder.ts';
import type { Formulations } from './formulations.ts';
import { variants } from './variants.ts';
import { emitSoftmaxCrossEntropy } from './loss.ts';
import { emitPixelSoftmaxCrossEntropy } from './loss-map.ts';
import { emitDetectionLoss } from './loss-detect.ts';
import { emitBackward, emitNetwork, layerShapes, networkParams } from './network.ts';
import type { ParamInfo } from './network.ts';
import { emitUpdate, scalarInputs, slotSuffixes } from './optimizer.ts';

export interface TrainingModelOptions {
  readonly batch: number;
  /** Also output `grad.${param}` for every parameter (for checks). */
  readonly gradients?: boolean;
  readonly opset?: number;
  /** Backward formulations (see formulations.ts); default: variants(), the wasm-fastest. */
  readonly formulations?: Partial<Formulations>;
}

export interface TrainingModel {
  readonly bytes: Uint8Array;
  readonly batch: number;
  readonly classes: number;
  /**
   * The `labels` input's shape: [B, classes], or [B·h·w, classes] for a map output, or
   * [B·h·w, 2K + 5] target rows for a detection head (src/onnx/loss-detect.ts).
   */
  readonly labelsShape: readonly number[];
  readonly params: readonly ParamInfo[];
  /** Slot input name → [parameter name, shape]. */
  readonly slots: readonly {
    readonly name: string;
    readonly param: string;
    readonly shape: readonly number[];
  }[];
  readonly scalars: readonly string[];
  /** Dropout mask input name → its shape including the batch. */
  readonly dropoutMasks: readonly {
    readonly name: string;
    readonly layer: number;
    readonly shape: readonly number[];
  }[];
  /** Input name → output name of its updated value, for parameters and slots. */
  readonly updated: Readonly<Record<string, string>>;
}

export function buildTrainingGraph(
  spec: NetworkSpec,
  opt: OptimizerSpec,
  options: TrainingModelOptions,
): {
  builder: GraphBuilder;
  model: Omit<TrainingModel, 'bytes'>;
} {
  const { batch } = options;
  if (!Number.isInteger(batch) || batch < 1)
    throw new RangeError(`batch must be a positive integer, got ${batch}`);
  const shapes = layerShapes(spec);
  const last = shapes[shapes.length - 1];
  if (last === undefined || (last.length !== 1 && last.length !== 3))
    throw new RangeError(
      `network ${spec.name}: the last layer must give [N, classes] logits or a map [N, classes, h, w]`,
    );
  const head = spec.head;
  if (head !== undefined && (last.length !== 3 || last[0] !== 2 * head.classes + 4))
    throw new RangeError(
      `network ${spec.name}: a detection head of ${head.classes} classes needs a map of ${2 * head.classes + 4} channels`,
    );
  const classes = last[0]!;
  const rows = last.length === 3 ? batch * last[1]! * last[2]! : batch;
  // A detection head's targets: one-hot segmentation and centre, the box and its mask per cell.
  const columns = head === undefined ? classes : 2 * head.classes + 5;
  const b = new GraphBuilder();
  const images = b.input('images', 'float32', [batch, ...spec.inputShape]);
  const labels = b.input('labels', 'float32', [rows, columns]);

  const infos = networkParams(spec);
  const params = new Map<string, Value>();
  for (const p of infos) params.set(p.name, b.input(p.name, 'float32', p.shape));
  const slotInfo: { name: string; param: string; shape: readonly number[] }[] = [];
  const slotValues = new Map<string, Record<string, Value>>();
  for (const p of infos) {
    const rec: Record<string, Value> = {};
    for (const s of slotSuffixes(opt)) {
      const name = `${p.name}.${s}`;
      rec[s] = b.input(name, 'float32', p.shape);
      slotInfo.push({ name, param: p.name, shape: p.shape });
    }
    slotValues.set(p.name, rec);
  }
  const scalars: Record<string, Value> = {};
  for (const s of scalarInputs(opt)) scalars[s] = b.input(s, 'float32', []);
  const masks = new Map<number, Value>();
  const maskInfo: { name: string; layer: number; shape: readonly number[] }[] = [];
  spec.layers.forEach((l, i) => {
    if (l.type !== 'dropout' || l.rate === 0) return;
    const shape = [batch, ...(i === 0 ? spec.inputShape : shapes[i - 1]!)];
    masks.set(i, b.input(`dropout.${i}`, 'float32', shape));
    maskInfo.push({ name: `dropout.${i}`, layer: i, shape });
  });

  const formulations: Formulations = { ...variants(), ...options.formulations };
  const layers = emitNetwork(b, spec, images, batch, params, {
    training: true,
    dropoutMasks: masks,
    formulations,
  });
  const logits = layers[layers.length - 1]!.y;
  const { loss, accuracy, dLogits } =
    head !== undefined
      ? emitDetectionLoss(b, logits, labels, batch, last, head)
      : last.length === 3
        ? emitPixelSoftmaxCrossEntropy(b, logits, labels, batch, last)
        : emitSoftmaxCrossEntropy(b, logits, labels, batch, classes);
  const grads = emitBackward(b, spec, layers, dLogits, formulations);

  const updated: Record<string, string> = {};
  for (const p of infos) {
    const grad = grads.get(p.name);
    if (grad === undefined) throw new Error(`internal: no gradient for ${p.name}`);
    b.prefix = `${p.name}.update`;
    const u = emitUpdate(b, opt, params.get(p.name)!, grad, slotValues.get(p.name)!, scalars);
    b.output(u.param, `updated.${p.name}`);
    updated[p.name] = `updated.${p.name}`;
    for (const [suffix, v] of Object.entries(u.slots)) {
      b.output(v, `updated.${p.name}.${suffix}`);
      updated[`${p.name}.${suffix}`] = `updated.${p.name}.${suffix}`;
    }
    if (options.gradients === true) b.output(grad, `grad.${p.name}`);
  }
  b.prefix = '';
  b.output(loss, 'loss');
  b.output(accuracy, 'accuracy');
  return {
    builder: b,
    model: {
      batch,
      classes,
      labelsShape: [rows, columns],
      params: infos,
      slots: slotInfo,
      scalars: scalarInputs(opt),
      dropoutMasks: maskInfo,
      updated,
    },
  };
}

export function buildTrainingModel(
  spec: NetworkSpec,
  opt: OptimizerSpec,
  options: TrainingModelOptions,
): TrainingModel {
  const { builder, model } = buildTrainingGraph(spec, opt, options);
  return {
    bytes: builder.toModelBytes({ opset: options.opset ?? 17, graphName: `${spec.name}.train` }),
    ...model,
  };
}

/** One-hot float labels [B, classes] from class indices. */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= classes)
      throw new RangeError(`label ${i} is ${k}, expected 0…${classes - 1}`);
    out[i * classes + k] = 1;
  }
  return out;
}
