import type { LayerSpec, Tensor } from '../../cnn/index.ts';
import type { Dim, GraphBuilder, Value } from '../builder.ts';
import type { Formulations } from '../formulations.ts';
import type { InitializerDescription, NodeDescription } from '../description.ts';

/** What a layer's backward emitter returns: the input gradient and its parameter gradients. */
export interface LayerGradients {
  /** null when the caller said the input gradient is not needed (the first layer). */
  readonly dx: Value | null;
  /** Keyed by parameter role: 'kernel', 'weight', 'bias'. */
  readonly grads: Readonly<Record<string, Value>>;
  /** Cheaper ways to get what a layer below may derive from dx (see GradientViews). */
  readonly views?: GradientViews;
  /** dL/d(output of an earlier layer k), for the earlier outputs it read (a residual Add). */
  readonly earlier?: readonly { readonly layer: number; readonly dy: Value }[];
}

/**
 * Things the next layer down would compute from dx, offered by a layer that can make them more
 * cheaply (max-pool backward knows dx is its pooled gradient scattered into zeros):
 * channelSums  Σ of dx over batch and space, [C]: a conv's bias gradient.
 * channelMajor dx laid out [C, N, H, W]: what a conv's kernel gradient transposes dy into.
 * Each is built only if called (unused graph nodes are pruned anyway).
 */
export interface GradientViews {
  readonly channelSums?: () => Value;
  readonly channelMajor?: () => Value;
}

/**
 * One layer as emitted into a graph: its output, the output shape of one example, and (in
 * training graphs) the backward emitter, which closes over the forward values it needs.
 */
export interface EmittedLayer {
  readonly y: Value;
  readonly shape: readonly number[];
  readonly backward: (dy: Value, needDx: boolean, views?: GradientViews) => LayerGradients;
}

/** The input of a layer emitter: one value and its shape without the batch dimension. */
export interface LayerInput {
  readonly b: GraphBuilder;
  readonly x: Value;
  readonly batch: Dim;
  readonly shape: readonly number[];
  /** True in training graphs (emitters may keep extra forward values for backward). */
  readonly training?: boolean;
  /** Which backward formulations to emit (training graphs). */
  readonly formulations: Formulations;
}

export function withBatch(batch: Dim, shape: readonly number[]): Dim[] {
  return [batch, ...shape];
}

/** The batch as a number, for emitters whose backward needs static shapes. */
export function staticBatch(batch: Dim, what: string): number {
  if (typeof batch !== 'number') {
    throw new RangeError(`${what}: the backward graph needs a fixed batch size, got "${batch}"`);
  }
  return batch;
}

/** What a layer's emitter may ask of the network around it. */
export interface EmitContext {
  /** The layer's index in spec.layers. */
  readonly index: number;
  /** This layer's parameter `${index}.${role}` (a graph input or initializer). */
  param(role: string): Value;
  /** The output of layer k; k = −1 is the images. */
  output(k: number): Value;
  /** This layer's dropout mask [N, …], fed as a graph input in training graphs; else null. */
  readonly mask: Value | null;
}

/** One layer type in ONNX: what it emits, which ops, how it is read back from a model. */
export interface OnnxLayerRecord<S> {
  /** The ONNX ops its forward pass writes, and those its backward pass may write. */
  readonly ops: { readonly forward: readonly string[]; readonly backward: readonly string[] };
  /** Emits the forward pass; the result carries the backward emitter beside it. */
  emit(input: LayerInput, layer: S, ctx: EmitContext): EmittedLayer;
  /** How a node of each ONNX op type becomes this layer (importInferenceModel). */
  readonly importers?: Readonly<Record<string, LayerImporter>>;
}

/** The table type: one record per layer type; a missing one is a compile error naming it. */
export type OnnxLayerTable<Spec extends { readonly type: string }> = {
  readonly [K in Spec['type']]: OnnxLayerRecord<Extract<Spec, { readonly type: K }>>;
};

/** A node being imported, with the model around it (see ./import.ts). */
export interface ImportState {
  readonly node: NodeDescription;
  /** The value the chain has reached: the previous layer's output (or the image input). */
  readonly current: string;
  /** Rank of `current`: 4 (images, feature maps) or 2 (after a flatten). */
  readonly rank: number;
  /** The next node, for importers that fold it in (MatMul + Add); see ImportedLayer.consumesNext. */
  readonly next: NodeDescription | undefined;
  /** The layer whose output `name` is (−1: the image input), if any. */
  layerOf(name: string): number | undefined;
  initializer(name: string): InitializerDescription | undefined;
  /** The float32 initializer at input k, or an OnnxModelError naming `what`. */
  weight(k: number, what: string): InitializerDescription;
}

export interface ImportedLayer {
  /** The layer, or null when the node is skipped (Identity, Dropout, a second Flatten). */
  readonly layer: LayerSpec | null;
  /** Its parameters by role. */
  readonly params?: Readonly<Record<string, Tensor>>;
  /** The chain continues from this value (default: the node's first output). */
  readonly output?: string;
  /** The importer used the next node too (it is skipped). */
  readonly consumesNext?: boolean;
  /** Rank after this node (default: unchanged). */
  readonly rank?: number;
}

export type LayerImporter = (s: ImportState) => ImportedLayer;
