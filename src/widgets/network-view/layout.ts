/**
 * What the whole-network figure draws for any sequential network, pure: one stage per layer —
 * feature maps for a layer whose output is [C, H, W], a vector for one whose output is flat
 * (flatten, dense, the logits) — then the softmax. Nothing assumes ten classes or a given depth.
 */
import { outputShapes } from '../../cnn/index.ts';
import type { LayerSpec, NetworkSpec } from '../../cnn/index.ts';

export type Stage =
  | {
      readonly kind: 'maps';
      /** The layer whose output this is; −1 for the input image. */
      readonly layer: number;
      readonly label: string;
      readonly channels: number;
      readonly height: number;
      readonly width: number;
      /** Ink for values that cannot be negative (the image, after ReLU or pooling of those). */
      readonly signed: boolean;
    }
  | {
      readonly kind: 'vector';
      readonly layer: number;
      readonly label: string;
      readonly size: number;
    }
  | { readonly kind: 'softmax'; readonly label: string; readonly size: number };

type Labeller<K extends LayerSpec['type']> = (layer: Extract<LayerSpec, { type: K }>) => string;
const pair = (p: readonly [number, number]) => `${p[0]}×${p[1]}`;

/** Each layer type's name in the figure: one record per type (tsc names a missing one). */
const LABELS: { readonly [K in LayerSpec['type']]: Labeller<K> } = {
  conv2d: (l) => `conv ${l.filters}@${pair(l.kernelShape)}`,
  maxPool2d: (l) => `max pool ${pair(l.kernelShape)}`,
  avgPool2d: (l) => `average pool ${pair(l.kernelShape)}`,
  relu: () => 'ReLU',
  leakyRelu: (l) => `leaky ReLU (α ${l.alpha ?? 0.01})`,
  sigmoid: () => 'sigmoid',
  tanh: () => 'tanh',
  flatten: () => 'flatten',
  dense: (l) => `dense ${l.units}`,
  dropout: (l) => `dropout ${l.rate} (off when reading)`,
  add: (l) => `add (+ output of layer ${l.from})`,
};

export function layerLabel(layer: LayerSpec): string {
  return (LABELS[layer.type] as (l: LayerSpec) => string)(layer);
}

/** Whether a layer's output can be negative, given whether its input can (for the colour map). */
const SIGNED: { readonly [K in LayerSpec['type']]: (input: boolean) => boolean } = {
  conv2d: () => true,
  maxPool2d: (s) => s,
  avgPool2d: (s) => s,
  relu: () => false,
  leakyRelu: () => true,
  sigmoid: () => false,
  tanh: () => true,
  flatten: (s) => s,
  dense: () => true,
  dropout: (s) => s,
  add: () => true,
};

/** The stages of `spec`, input first, softmax last. */
export function stagesOf(spec: NetworkSpec): Stage[] {
  const shapes = outputShapes(spec, 1);
  const [c, h, w] = spec.inputShape;
  const stages: Stage[] = [
    { kind: 'maps', layer: -1, label: 'input', channels: c, height: h, width: w, signed: false },
  ];
  let signed = false;
  spec.layers.forEach((layer, i) => {
    signed = SIGNED[layer.type](signed);
    const shape = shapes[i]!;
    const label = layerLabel(layer);
    if (shape.length === 4)
      stages.push({
        kind: 'maps',
        layer: i,
        label,
        channels: shape[1]!,
        height: shape[2]!,
        width: shape[3]!,
        signed,
      });
    else stages.push({ kind: 'vector', layer: i, label, size: shape[1]! });
  });
  const classes = shapes.at(-1)![1]!;
  stages.push({ kind: 'softmax', label: 'softmax', size: classes });
  return stages;
}

/** One feature map of the figure: its stage and channel. */
export interface MapRef {
  readonly stage: number;
  readonly layer: number;
  readonly channel: number;
}

/**
 * Every feature map of every layer, stage by stage, channel by channel: what ←/→ walk in the
 * overview and what a click opens (the input image is not a layer's map: it has no window).
 */
export function allMaps(stages: readonly Stage[]): MapRef[] {
  const out: MapRef[] = [];
  stages.forEach((s, stage) => {
    if (s.kind === 'maps' && s.layer >= 0)
      for (let channel = 0; channel < s.channels; channel++)
        out.push({ stage, layer: s.layer, channel });
  });
  return out;
}
