/**
 * The layer table: one record per layer type (./types.ts). `satisfies LayerTable<LayerSpec>`
 * makes a layer type without a record, or a record without a type, a compile error that names it.
 * To add a layer type, see "Adding a layer type, file by file" in docs/architecture.md.
 */
import { leakyReluLayer, reluLayer, sigmoidLayer, tanhLayer } from './activations.ts';
import type { ActivationSpec, LeakyReluSpec } from './activations.ts';
import { addLayer } from './add.ts';
import type { AddSpec } from './add.ts';
import { avgPool2dLayer } from './avgPool2d.ts';
import type { AvgPool2dSpec } from './avgPool2d.ts';
import { conv2dLayer } from './conv2d.ts';
import type { Conv2dSpec } from './conv2d.ts';
import { denseLayer } from './dense.ts';
import type { DenseSpec } from './dense.ts';
import { dropoutLayer } from './dropout.ts';
import type { DropoutSpec } from './dropout.ts';
import { flattenLayer } from './flatten.ts';
import type { FlattenSpec } from './flatten.ts';
import { maxPool2dLayer } from './maxPool2d.ts';
import type { MaxPool2dSpec } from './maxPool2d.ts';
import type { LayerRecord, LayerTable } from './types.ts';

export type { ReluSpec, SigmoidSpec, TanhSpec } from './activations.ts';
export type {
  ActivationSpec,
  AddSpec,
  AvgPool2dSpec,
  Conv2dSpec,
  DenseSpec,
  DropoutSpec,
  FlattenSpec,
  LeakyReluSpec,
  MaxPool2dSpec,
};

export type LayerSpec =
  | Conv2dSpec
  | MaxPool2dSpec
  | AvgPool2dSpec
  | ActivationSpec
  | LeakyReluSpec
  | FlattenSpec
  | DenseSpec
  | DropoutSpec
  | AddSpec;

export const LAYERS = {
  conv2d: conv2dLayer,
  maxPool2d: maxPool2dLayer,
  avgPool2d: avgPool2dLayer,
  relu: reluLayer,
  leakyRelu: leakyReluLayer,
  sigmoid: sigmoidLayer,
  tanh: tanhLayer,
  flatten: flattenLayer,
  dense: denseLayer,
  dropout: dropoutLayer,
  add: addLayer,
} as const satisfies LayerTable<LayerSpec>;

/** The record of `layer`'s type. (The table is keyed by type, so the cast is exact.) */
export function recordOf(layer: LayerSpec): LayerRecord<LayerSpec> {
  return LAYERS[layer.type] as LayerRecord<LayerSpec>;
}
