/**
 * Walks a NetworkSpec and emits its layers into a graph, in order, tracking each example's shape.
 * Parameters are named as the reference engine names them: `${i}.kernel` [M, C/group, kh, kw],
 * `${i}.weight` [units, inFeatures] and `${i}.bias`.
 */
import { outputShapes, paramShapes, recordOf } from '../cnn/index.ts';
import type { NetworkSpec } from '../cnn/index.ts';
import type { Dim, GraphBuilder, Value } from './builder.ts';
import { onnxRecordOf } from './layers/index.ts';
import type { EmittedLayer, GradientViews, LayerInput } from './layers/types.ts';
import { DEFAULT_FORMULATIONS } from './formulations.ts';
import type { Formulations } from './formulations.ts';

export interface ParamInfo {
  readonly name: string;
  readonly layer: number;
  /** 'kernel', 'weight', 'bias', …: what the layer's record calls it. */
  readonly role: string;
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

/** Emits every layer through its record in ONNX_LAYERS; returns them in order (the last one's output is the logits). */
export function emitNetwork(
  b: GraphBuilder,
  spec: NetworkSpec,
  images: Value,
  batch: Dim,
  params: ReadonlyMap<string, Value>,
  options: EmitNetworkOptions,
): EmittedLayer[] {
  layerShapes(spec); // the reference engine's shape checks, with its error messages
  const layers: EmittedLayer[] = [];
  let x = images;
  let shape: readonly number[] = spec.inputShape;
  spec.layers.forEach((layer, index) => {
    b.prefix = `${index}.${layer.type}`;
    const input: LayerInput = {
      b,
      x,
      batch,
      shape,
      training: options.training,
      formulations: options.formulations ?? DEFAULT_FORMULATIONS,
    };
    const emitted = onnxRecordOf(layer).emit(input, layer, {
      index,
      param(role) {
        const v = params.get(`${index}.${role}`);
        if (v === undefined) throw new RangeError(`missing parameter ${index}.${role}`);
        return v;
      },
      output: (k) => (k === -1 ? images : layers[k]!.y),
      mask: options.training ? (options.dropoutMasks?.get(index) ?? null) : null,
    });
    layers.push(emitted);
    x = emitted.y;
    shape = emitted.shape;
  });
  b.prefix = '';
  return layers;
}

export interface EmitGradientsOptions {
  readonly formulations?: Formulations;
  /** Keep dL/d(output) of these layers (or of every layer): layerGradients.get(i). */
  readonly layerGradients?: readonly number[] | 'all';
  /** Also emit dL/d(images) (default false). */
  readonly inputGradient?: boolean;
}

export interface EmittedGradients {
  /** dL/d(parameter) by name. */
  readonly grads: Map<string, Value>;
  /** dL/d(output of layer i), for the layers asked for (the last one's is dLogits). */
  readonly layerGradients: Map<number, Value>;
  /** dL/d(images), when asked for. */
  readonly dInput: Value | null;
}

/**
 * Runs the backward emitters from the last layer to the first: the gradient of every parameter
 * and, on request, of layer outputs and the images. `dLogits` is the gradient of the loss with
 * respect to the last output. Gradients meeting at one output (a residual Add) are summed.
 */
export function emitGradients(
  b: GraphBuilder,
  spec: NetworkSpec,
  layers: readonly EmittedLayer[],
  dLogits: Value,
  options: EmitGradientsOptions = {},
): EmittedGradients {
  const formulations = options.formulations ?? DEFAULT_FORMULATIONS;
  const wantInput = options.inputGradient === true;
  const keep = options.layerGradients ?? [];
  const kept = (i: number) => keep === 'all' || keep.includes(i);
  const readsOf = (i: number) => onnxReads(spec, i);
  // Nothing below the lowest layer that has parameters, or whose gradient is asked for, needs one.
  const withParams = new Set(networkParams(spec).map((p) => p.layer));
  const lowest = spec.layers.findIndex((_l, i) => withParams.has(i) || kept(i));
  const stop = wantInput ? -1 : Math.max(0, lowest);
  const grads = new Map<string, Value>();
  const layerGradients = new Map<number, Value>();
  const pending = new Map<number, Value>();
  const arriving = (k: number, dy: Value | null): Value | null => {
    const extra = pending.get(k);
    return extra === undefined ? dy : dy === null ? extra : b.add(dy, extra);
  };
  let dy: Value | null = dLogits;
  let views: GradientViews | undefined;
  let skipRelu = -1;
  for (let i = layers.length - 1; i >= Math.max(0, stop); i--) {
    const layer = spec.layers[i]!;
    b.prefix = `${i}.${layer.type}.backward`;
    dy = arriving(i, dy);
    if (dy === null) throw new Error(`internal: no gradient reaches layer ${i}`);
    if (kept(i)) layerGradients.set(i, dy);
    if (i === skipRelu) continue; // its mask was applied at the pooled resolution below
    if (
      layer.type === 'maxPool2d' &&
      spec.layers[i - 1]?.type === 'relu' &&
      formulations.reluPool === 'pooled' &&
      !kept(i - 1) &&
      !readsOf(i - 1)
    ) {
      // maxPool(relu(x)): the gradient reaches relu's output only at each window's first maximum,
      // where relu's output is the pooled value, so ReLU's mask (y > 0) can be applied to dy at
      // the pooled resolution: a quarter of the work for 2×2 windows, and no full-size mask.
      const pooled = layers[i]!.y;
      dy = b.where(b.greater(pooled, b.scalar(0)), dy, b.scalar(0), pooled.shape);
      skipRelu = i - 1;
    }
    const result = layers[i]!.backward(dy, i > stop, views);
    for (const [role, v] of Object.entries(result.grads)) grads.set(`${i}.${role}`, v);
    for (const e of result.earlier ?? []) {
      const before = pending.get(e.layer);
      pending.set(e.layer, before === undefined ? e.dy : b.add(before, e.dy));
    }
    dy = result.dx;
    views = result.dx === null ? undefined : result.views;
  }
  b.prefix = '';
  const dInput = wantInput ? arriving(-1, dy) : null;
  return { grads, layerGradients, dInput };
}

/** Whether a later layer reads the output of layer k as a second input (a residual Add). */
function onnxReads(spec: NetworkSpec, k: number): boolean {
  return spec.layers.some((l) => (recordOf(l).reads?.(l) ?? []).includes(k));
}

/** The parameter gradients of a training step (emitGradients without the extras), by name. */
export function emitBackward(
  b: GraphBuilder,
  spec: NetworkSpec,
  layers: readonly EmittedLayer[],
  dLogits: Value,
  formulations: Formulations = DEFAULT_FORMULATIONS,
): Map<string, Value> {
  return emitGradients(b, spec, layers, dLogits, { formulations }).grads;
}
