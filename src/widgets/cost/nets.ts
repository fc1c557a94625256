/**
 * The networks the cost figure measures: the engine's presets, with each conv layer's kernel
 * size, filters and stride editable. An edit is kept per layer index (0-based, as in the table);
 * the network itself is always rebuilt from the preset and the edits, so what the table shows is
 * exactly the spec the engines run.
 */
import { mnistLargeNet, mnistTutorialNet, residualNet, tinyNet } from '../../cnn/index';
import type { Conv2dSpec, LayerSpec, NetworkSpec } from '../../cnn/index';
import { integer } from '../shared/fields';
import type { Field } from '../shared/fields';

export const PRESETS = {
  mnistTutorialNet,
  tinyNet,
  mnistLargeNet,
  residualNet,
} as const satisfies Record<string, NetworkSpec>;
export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export const PRESET_LABEL: Readonly<Record<PresetName, string>> = {
  mnistTutorialNet: 'TensorFlow.js tutorial net (lesson 9)',
  tinyNet: 'Tiny net (lesson 8)',
  mnistLargeNet: 'Larger net, "same" padding',
  residualNet: 'Residual net (one skip)',
};

/** What the reader may change on a conv layer. */
export interface ConvEdit {
  readonly k: number;
  readonly f: number;
  readonly s: number;
}
export type ConvSetting = keyof ConvEdit;
export const CONV_SETTINGS: readonly ConvSetting[] = ['k', 'f', 's'];

/** One field per setting and layer: link key `k0`, `f3`, …, the control's name too. */
export function convField(setting: ConvSetting, layer: number): Field<number> {
  const name = `layer ${layer}`;
  if (setting === 'k')
    return integer(`k${layer}`, `${name} kernel size`, { min: 1, max: 11, initial: 0 });
  if (setting === 'f')
    return integer(`f${layer}`, `${name} filters`, {
      min: 1,
      max: 256,
      initial: 0,
      why: 'more would not fit a phone',
    });
  return integer(`s${layer}`, `${name} stride`, { min: 1, max: 4, initial: 0 });
}

/** Indices of the conv layers of `spec`: the ones the reader can edit. */
export function convLayers(spec: NetworkSpec): number[] {
  return spec.layers.flatMap((l, i) => (l.type === 'conv2d' ? [i] : []));
}

/** A conv layer's settings as they stand in `spec`. */
export function convSettings(layer: Conv2dSpec): ConvEdit {
  return { k: layer.kernelShape[0], f: layer.filters, s: layer.strides?.[0] ?? 1 };
}

/** The preset with the edits applied (square kernels and strides). */
export function editedNet(
  preset: PresetName,
  edits: Readonly<Record<number, ConvEdit>>,
): NetworkSpec {
  const base = PRESETS[preset];
  const layers = base.layers.map((layer, i): LayerSpec => {
    const e = edits[i];
    if (layer.type !== 'conv2d' || !e) return layer;
    // An unchanged layer stays the preset's own object: the unedited net is the preset itself.
    const was = convSettings(layer);
    if (was.k === e.k && was.f === e.f && was.s === e.s) return layer;
    return { ...layer, kernelShape: [e.k, e.k], filters: e.f, strides: [e.s, e.s] };
  });
  return { ...base, layers };
}
