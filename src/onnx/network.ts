/**
 * Walks a NetworkSpec and emits its layers into a graph, in order, tracking each example's shape.
 * Parameters are named as the reference engine names them: `${i}.kernel` [M, C/group, kh, kw],
 * `${i}.weight` [units, inFeatures] and `${i}.bias`.
 */
import { outputShapes, paramShapes, type NetworkSpec } from '../cnn/index.ts';
import type { Dim, GraphBuilder, Value } from './builder.ts';
import { emitActivation } from './layers/activation.ts';
import { emitConv2d } from './layers/conv.ts';
import { emitDense } from './layers/dense.ts';
import { emitAvgPool2d, emitMaxPool2d } from './layers/pool.ts';
import { emitDropout, emitFlatten } from './layers/reshape.ts';
import type { EmittedLayer, GradientViews, LayerInput } from './layers/types.ts';
import { DEFAULT_FORMULATIONS, type Formulations } from './formulations.ts';

export interface ParamInfo {
  readonly name: string;
  readonly layer: number;
  readonly role: 'kernel' | 'weight' | 'bias';
  readonly shape: readonly number[];
}

/** Every parameter of `spec`, in layer order (the reference engine's paramShapes). */
export function networkParams(spec: NetworkSpec): ParamInfo[] {
  return paramShapes(spec).map(({ name, shape }) => {
    const [layer, role] = name.split('.') as [string, ParamInfo['role']];
    return { name, layer: Number(layer), role, shape };
  });
}

/** The output shape of one example after each layer (reference outputShapes, batch dropped). */
export function layerShapes(spec: NetworkSpec): number[][] {
  return outputShapes(spec, 1).map((s) => s.slice(1));
}

export interface EmitNetworkOptions {
  readonly training: boolean;
  /** Dropout masks by layer index (training only). */
  readonly dropoutMasks?: ReadonlyMap<number, Value>;
  readonly formulations?: Formulations;
}

/** Emits every layer; returns them in order (the last one's output is the logits). */
export function emitNetwork(
  b: GraphBuilder,
  spec: NetworkSpec,
  images: Value,
  batch: Dim,
  params: ReadonlyMap<string, Value>,
  options: EmitNetworkOptions,
): EmittedLayer[] {
  const param = (name: string): Value => {
    const v = params.get(name);
    if (v === undefined) throw new RangeError(`missing parameter ${name}`);
    return v;
  };
  const optional = (name: string): Value | null => params.get(name) ?? null;
  layerShapes(spec); // the reference engine's shape checks, with its error messages
  const layers: EmittedLayer[] = [];
  let x = images;
  let shape: readonly number[] = spec.inputShape;
  spec.layers.forEach((layer, i) => {
    b.prefix = `${i}.${layer.type}`;
    const input: LayerInput = {
      b,
      x,
      batch,
      shape,
      training: options.training,
      formulations: options.formulations ?? DEFAULT_FORMULATIONS,
    };
    let emitted: EmittedLayer;
    switch (layer.type) {
      case 'conv2d':
        emitted = emitConv2d(
          input,
          layer,
          param(`${i}.kernel`),
          layer.bias === false ? null : param(`${i}.bias`),
        );
        break;
      case 'maxPool2d':
        emitted = emitMaxPool2d(input, layer);
        break;
      case 'avgPool2d':
        emitted = emitAvgPool2d(input, layer);
        break;
      case 'relu':
      case 'sigmoid':
      case 'tanh':
        emitted = emitActivation(input, layer.type);
        break;
      case 'leakyRelu':
        emitted = emitActivation(input, 'leakyRelu', layer.alpha ?? 0.01);
        break;
      case 'flatten':
        emitted = emitFlatten(input);
        break;
      case 'dense':
        emitted = emitDense(
          input,
          layer.units,
          param(`${i}.weight`),
          layer.bias === false ? null : optional(`${i}.bias`),
        );
        break;
      case 'dropout':
        emitted = emitDropout(
          input,
          options.training ? (options.dropoutMasks?.get(i) ?? null) : null,
        );
        break;
    }
    layers.push(emitted);
    x = emitted.y;
    shape = emitted.shape;
  });
  b.prefix = '';
  return layers;
}

/**
 * Runs the backward emitters from the last layer to the first and returns the gradient of every
 * parameter, by name. `dLogits` is the gradient of the loss with respect to the last output.
 */
export function emitBackward(
  b: GraphBuilder,
  spec: NetworkSpec,
  layers: readonly EmittedLayer[],
  dLogits: Value,
  formulations: Formulations = DEFAULT_FORMULATIONS,
): Map<string, Value> {
  const grads = new Map<string, Value>();
  // The first layer that has parameters: nothing before it needs a gradient.
  const firstWithParams = spec.layers.findIndex((l) => l.type === 'conv2d' || l.type === 'dense');
  let dy = dLogits;
  let views: GradientViews | undefined;
  let skipRelu = -1;
  for (let i = layers.length - 1; i >= Math.max(0, firstWithParams); i--) {
    const layer = spec.layers[i]!;
    b.prefix = `${i}.${layer.type}.backward`;
    if (i === skipRelu) continue; // its mask was applied at the pooled resolution below
    if (
      layer.type === 'maxPool2d' &&
      spec.layers[i - 1]?.type === 'relu' &&
      formulations.reluPool === 'pooled'
    ) {
      // maxPool(relu(x)): the gradient reaches relu's output only at each window's first maximum,
      // where relu's output is the pooled value, so ReLU's mask (y > 0) can be applied to dy at
      // the pooled resolution: a quarter of the work for 2×2 windows, and no full-size mask.
      const pooled = layers[i]!.y;
      dy = b.where(b.greater(pooled, b.scalar(0)), dy, b.scalar(0), pooled.shape);
      skipRelu = i - 1;
    }
    const result = layers[i]!.backward(dy, i > firstWithParams, views);
    for (const [role, v] of Object.entries(result.grads)) grads.set(`${i}.${role}`, v);
    if (result.dx === null) break;
    dy = result.dx;
    views = result.views;
  }
  b.prefix = '';
  return grads;
}
