/**
 * The training lab's three networks: each preset's layers as data, its parameter count and the
 * rows of the "Layers" table the settings show. Pure; no DOM.
 */
import {
  mnistLargeNet,
  mnistTutorialNet,
  outputShapes,
  paramShapes,
  tinyNet,
} from '../../cnn/index.ts';
import type { LayerSpec, NetworkSpec } from '../../cnn/index.ts';
import type { ClassifierPreset as PresetName } from '../../runtime/lab/protocol';

export const PRESETS: Readonly<Record<PresetName, { label: string; network: NetworkSpec }>> = {
  tutorial: { label: 'TensorFlow.js tutorial net', network: mnistTutorialNet },
  small: { label: 'Tiny net', network: tinyNet },
  large: { label: 'Larger net with dropout', network: mnistLargeNet },
};
export const PRESET_NAMES: readonly PresetName[] = ['tutorial', 'small', 'large'];

export function parameterCount(spec: NetworkSpec): number {
  return paramShapes(spec).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
}

function describeLayer(layer: LayerSpec): string {
  switch (layer.type) {
    case 'conv2d': {
      const pads = layer.pads === 'same' ? ', same padding' : '';
      return `conv ${layer.filters} filters ${layer.kernelShape.join('×')}${pads}`;
    }
    case 'maxPool2d':
      return `max pool ${layer.kernelShape.join('×')}`;
    case 'avgPool2d':
      return `average pool ${layer.kernelShape.join('×')}`;
    case 'dense':
      return `dense ${layer.units}`;
    case 'dropout':
      return `dropout ${layer.rate}`;
    case 'leakyRelu':
      return 'leaky ReLU';
    case 'relu':
      return 'ReLU';
    default:
      return layer.type;
  }
}

export interface LayerRow {
  readonly layer: string;
  /** Output shape of one image, e.g. "8×24×24". */
  readonly output: string;
  readonly params: number;
}

/** One row per layer: what it is, its output shape for one image and its parameter count. */
export function presetLayers(spec: NetworkSpec): LayerRow[] {
  const shapes = outputShapes(spec, 1);
  const params = new Map<number, number>();
  for (const p of paramShapes(spec)) {
    const i = Number(p.name.split('.')[0]);
    params.set(i, (params.get(i) ?? 0) + p.shape.reduce((a, b) => a * b, 1));
  }
  return spec.layers.map((layer, i) => ({
    layer: describeLayer(layer),
    output: shapes[i].slice(1).join('×'),
    params: params.get(i) ?? 0,
  }));
}
