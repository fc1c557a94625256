import type { Dim, GraphBuilder, Value } from '../builder.ts';
import type { Formulations } from '../formulations.ts';

/** What a layer's backward emitter returns: the input gradient and its parameter gradients. */
export interface LayerGradients {
  /** null when the caller said the input gradient is not needed (the first layer). */
  readonly dx: Value | null;
  /** Keyed by parameter role: 'kernel', 'weight', 'bias'. */
  readonly grads: Readonly<Record<string, Value>>;
  /** Cheaper ways to get what a layer below may derive from dx (see GradientViews). */
  readonly views?: GradientViews;
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
