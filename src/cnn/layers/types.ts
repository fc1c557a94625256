/**
 * One layer type, one record. A record says everything the reference engine knows about a layer
 * type: its shape rule, its parameters and their initialisation, and its forward pass, which
 * returns the backward pass beside it (a closure over what backward needs: the input, the
 * output, max-pool winners, a dropout mask). The records are collected in LAYERS (./index.ts),
 * keyed by the layer type, and every network function walks the layers through that table.
 */
import type { Tensor } from '../tensor.ts';

/** A parameter: `${layerIndex}.${role}`, its shape, and how initParams fills it. */
export interface ParamRule {
  readonly role: string;
  readonly shape: number[];
  /** 'heNormal': N(0, 2 / fanIn), fanIn = the product of shape[1…]; 'zeros': biases. */
  readonly init: 'heNormal' | 'zeros';
}

export interface LayerContext {
  /** How errors name the layer: "layer 3 (conv2d)". */
  readonly op: string;
  /** The layer's index in spec.layers. */
  readonly index: number;
}

export interface ShapeContext extends LayerContext {
  /** The output shape of layer k; k = −1 is the network input. */
  shapeOf(k: number): readonly number[];
}

export interface ForwardContext extends LayerContext {
  /** Training mode (dropout on). */
  readonly training: boolean;
  readonly dropoutSeed: number | undefined;
  /** This layer's parameter `${index}.${role}`. */
  param(role: string): Tensor;
  /** The output of layer k; k = −1 is the network input. */
  output(k: number): Tensor;
}

export interface LayerGradients {
  /** dL/d(input); null when not asked for (the first layer, unless the image gradient is wanted). */
  readonly dx: Tensor | null;
  /** dL/d(parameter) by role. */
  readonly grads?: Readonly<Record<string, Tensor>>;
  /** dL/d(output of an earlier layer k) for the earlier outputs this layer read (see `reads`). */
  readonly earlier?: readonly { readonly layer: number; readonly dy: Tensor }[];
}

/** A layer run forward: its output, and its backward pass beside it. */
export interface LayerStep {
  readonly y: Tensor;
  backward(dy: Tensor, options: { readonly inputGradient: boolean }): LayerGradients;
}

export interface LayerRecord<S> {
  /** The output shape [N, …] for an input [N, …]; throws, naming the layer, if it does not fit. */
  outputShape(layer: S, inShape: readonly number[], ctx: ShapeContext): number[];
  /** Its parameters for an input [N, …], in order (none when absent). */
  params?(layer: S, inShape: readonly number[]): ParamRule[];
  /** Earlier layers whose outputs it reads besides its input (a residual connection). */
  reads?(layer: S): number[];
  forward(layer: S, x: Tensor, ctx: ForwardContext): LayerStep;
}

/** The table type: one record per layer type; a missing one is a compile error naming it. */
export type LayerTable<Spec extends { readonly type: string }> = {
  readonly [K in Spec['type']]: LayerRecord<Extract<Spec, { readonly type: K }>>;
};
