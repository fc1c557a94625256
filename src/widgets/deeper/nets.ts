/**
 * The two networks lesson 14 trains side by side: a deep stack of 3×3 convolutions, plain, and
 * the same stack with a skip around every pair of convolutions. Both have the same layers and
 * the same parameters (an Add has none), so they start from the same weights; the only
 * difference is the Adds. Blocks are pre-activation (activation → conv → activation → conv, then
 * the Add), so the skip path runs from the stem to the head with nothing in between.
 */
import type { LayerSpec, NetworkSpec, Params } from '../../cnn/index.ts';
import { initParams } from '../../cnn/index.ts';

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface DeepSettings {
  /** Convolutions in the stack after the stem (even: two per block). */
  readonly depth: number;
  readonly activation: Activation;
  /** With skips: an Add around each pair of convolutions. */
  readonly skips: boolean;
}

/** Channels of every convolution; 8 keeps a step of a 16-layer net within a frame or two. */
export const CHANNELS = 8;

const conv = (strides = 1): LayerSpec => ({
  type: 'conv2d',
  filters: CHANNELS,
  kernelShape: [3, 3],
  strides: [strides, strides],
  pads: 'same',
});

/**
 * stem: conv 3×3 stride 2 (28 → 14) · blocks: [act, conv, act, conv, (+ skip)] × depth/2 ·
 * head: act, flatten (8·14·14 = 1,568), dense 10. No pooling: ORT's WebGPU ConvTranspose is
 * wrong for a depthwise kernel (docs/runtime.md), which average pooling's backward uses, and max
 * pooling's ties would need the WebGPU formulation; a dense head keeps the check graph simple.
 */
export function deepNet({ depth, activation, skips }: DeepSettings): NetworkSpec {
  if (!Number.isInteger(depth) || depth < 2 || depth % 2 !== 0)
    throw new RangeError(`depth must be an even number of convolutions, at least 2, got ${depth}`);
  const act = { type: activation } as LayerSpec;
  const layers: LayerSpec[] = [conv(2)];
  for (let b = 0; b < depth / 2; b++) {
    const input = layers.length - 1; // the block's input: the stem's or the previous block's output
    layers.push(act, conv(), act, conv());
    if (skips) layers.push({ type: 'add', from: input });
  }
  layers.push(act, { type: 'flatten' });
  layers.push({ type: 'dense', units: 10 });
  return {
    name: `deep${depth}${activation}${skips ? 'Skips' : 'Plain'}`,
    inputShape: [1, 28, 28],
    layers,
  };
}

/** Indices of the convolutions, first to last: the rows of the gradient figure. */
export const convIndices = (spec: NetworkSpec): number[] =>
  spec.layers.flatMap((l, i) => (l.type === 'conv2d' ? [i] : []));

/**
 * He-normal weights times `scale` for every convolution (the dense head keeps He): scale 1 is
 * He's rule, which keeps a plain ReLU stack's signal the same size layer after layer; below 1
 * each layer shrinks it, and the gradient too. The same seed gives both networks the same start.
 */
export function initDeep(spec: NetworkSpec, seed: number, scale: number): Params {
  const params = initParams(spec, seed);
  for (const i of convIndices(spec)) {
    const k = params[`${i}.kernel`]!;
    for (let j = 0; j < k.data.length; j++) k.data[j] = k.data[j]! * scale;
  }
  return params;
}
