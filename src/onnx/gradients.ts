/**
 * (d) Gradient graphs: the network's forward pass, then the backward pass from a gradient on the
 * logits, with the gradients a lesson wants to show as outputs.
 *
 * Inputs   images [B, C, H, W] · every parameter · and the seed: `labels` [B, classes] one-hot
 *          (the loss's gradient, as in training) or `dLogits` [B, classes] (any gradient on the
 *          logits, e.g. one-hot of a class: its score's gradient, a saliency map).
 * Outputs  logits · with labels: loss, probabilities, dLogits · `grad.${param}` (unless
 *          parameterGradients is false) · `dact.${i}` = dL/d(output of layer i) for the layers
 *          asked for · `dinput` = dL/d(images) when asked for.
 * Evaluation mode: dropout is the identity (no mask inputs).
 */
import type { NetworkSpec } from '../cnn/index.ts';
import { GraphBuilder } from './builder.ts';
import type { Value } from './builder.ts';
import { DEFAULT_FORMULATIONS } from './formulations.ts';
import type { Formulations } from './formulations.ts';
import { emitSoftmaxCrossEntropy } from './loss.ts';
import { emitGradients, emitNetwork, layerShapes, networkParams } from './network.ts';

export interface GradientModelOptions {
  /** The batch (backward graphs need a fixed one); default 1. */
  readonly batch?: number;
  /** What the pass starts from: the loss of `labels` (default) or a given `dLogits`. */
  readonly seed?: 'labels' | 'dLogits';
  /** Output dL/d(output) of these layers, or of every layer but the last ('all'). */
  readonly layerGradients?: readonly number[] | 'all';
  /** Output dL/d(images) as `dinput` (default true). */
  readonly inputGradient?: boolean;
  /** Output `grad.${param}` for every parameter (default true). */
  readonly parameterGradients?: boolean;
  /** Backward formulations (default: DEFAULT_FORMULATIONS). */
  readonly formulations?: Partial<Formulations>;
  readonly opset?: number;
}

export interface GradientModel {
  readonly bytes: Uint8Array;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

/** The output name of dL/d(output of layer i). */
export const layerGradientName = (i: number): string => `dact.${i}`;

/** The layers whose dL/d(output) is wanted: all below the logits, or those listed (checked). */
function wantedLayers(
  spec: NetworkSpec,
  layerGradients: GradientModelOptions['layerGradients'] = [],
): readonly number[] {
  const last = spec.layers.length - 1;
  if (layerGradients === 'all') return spec.layers.map((_l, i) => i).filter((i) => i < last);
  for (const i of layerGradients) {
    if (!Number.isInteger(i) || i < 0 || i >= last)
      throw new RangeError(
        `layerGradients: layer ${i} is not a layer below the logits (0 … ${last - 1})`,
      );
  }
  return layerGradients;
}

export function buildGradientGraph(
  spec: NetworkSpec,
  options: GradientModelOptions = {},
): GraphBuilder {
  const batch = options.batch ?? 1;
  if (!Number.isInteger(batch) || batch < 1)
    throw new RangeError(`batch must be a positive integer, got ${batch}`);
  const shapes = layerShapes(spec);
  if (shapes[shapes.length - 1]!.length !== 1)
    throw new RangeError(`gradient graph: network ${spec.name} must give [N, classes] logits`);
  const classes = shapes[shapes.length - 1]![0]!;
  const last = spec.layers.length - 1;
  const b = new GraphBuilder();
  const images = b.input('images', 'float32', [batch, ...spec.inputShape]);
  const seedName = options.seed ?? 'labels';
  const seed = b.input(seedName, 'float32', [batch, classes]);
  const params = new Map<string, Value>();
  for (const p of networkParams(spec)) params.set(p.name, b.input(p.name, 'float32', p.shape));
  const formulations = { ...DEFAULT_FORMULATIONS, ...options.formulations };
  // training: the emitters keep what their backward needs; with no dropout masks fed, dropout is
  // the identity, so this is the evaluation-mode network.
  const layers = emitNetwork(b, spec, images, batch, params, { training: true, formulations });
  const logits = layers[last]!.y;
  b.output(logits, 'logits');
  let dLogits = seed;
  if (seedName === 'labels') {
    const l = emitSoftmaxCrossEntropy(b, logits, seed, batch, classes);
    b.output(l.loss, 'loss');
    b.output(l.probabilities, 'probabilities');
    b.output(l.dLogits, 'dLogits');
    dLogits = l.dLogits;
  }
  const wanted = wantedLayers(spec, options.layerGradients);
  const inputGradient = options.inputGradient ?? true;
  const g = emitGradients(b, spec, layers, dLogits, {
    formulations,
    layerGradients: wanted,
    inputGradient,
  });
  if (options.parameterGradients ?? true) {
    for (const p of networkParams(spec)) b.output(g.grads.get(p.name)!, `grad.${p.name}`);
  }
  for (const i of wanted) b.output(g.layerGradients.get(i)!, layerGradientName(i));
  if (inputGradient) b.output(g.dInput!, 'dinput');
  return b;
}

export function buildGradientModel(
  spec: NetworkSpec,
  options: GradientModelOptions = {},
): GradientModel {
  const b = buildGradientGraph(spec, options);
  const wanted = wantedLayers(spec, options.layerGradients);
  const seed = options.seed ?? 'labels';
  const outputNames = [
    'logits',
    ...(seed === 'labels' ? ['loss', 'probabilities', 'dLogits'] : []),
    ...((options.parameterGradients ?? true)
      ? networkParams(spec).map((p) => `grad.${p.name}`)
      : []),
    ...wanted.map(layerGradientName),
    ...((options.inputGradient ?? true) ? ['dinput'] : []),
  ];
  return {
    bytes: b.toModelBytes({ opset: options.opset ?? 17, graphName: `${spec.name}.gradients` }),
    inputNames: ['images', seed, ...networkParams(spec).map((p) => p.name)],
    outputNames,
  };
}
