/**
 * The ONNX layer table: one record per layer type (./types.ts, OnnxLayerRecord), keyed like the
 * reference engine's LAYERS. `satisfies OnnxLayerTable<LayerSpec>` makes a layer type without an
 * ONNX record a compile error that names it. emitNetwork, emitGradients, importInferenceModel
 * and SHOWABLE_OPS all go through this table.
 */
import type { LayerSpec } from '../../cnn/index.ts';
import { addOnnx } from './add.ts';
import { leakyReluOnnx, reluOnnx, sigmoidOnnx, tanhOnnx } from './activation.ts';
import { avgPool2dOnnx } from './avgPool.ts';
import { conv2dOnnx } from './conv.ts';
import { denseOnnx } from './dense.ts';
import { maxPool2dOnnx } from './pool.ts';
import { dropoutOnnx, flattenOnnx } from './reshape.ts';
import type { LayerImporter, OnnxLayerRecord, OnnxLayerTable } from './types.ts';

export const ONNX_LAYERS = {
  conv2d: conv2dOnnx,
  maxPool2d: maxPool2dOnnx,
  avgPool2d: avgPool2dOnnx,
  relu: reluOnnx,
  leakyRelu: leakyReluOnnx,
  sigmoid: sigmoidOnnx,
  tanh: tanhOnnx,
  flatten: flattenOnnx,
  dense: denseOnnx,
  dropout: dropoutOnnx,
  add: addOnnx,
} as const satisfies OnnxLayerTable<LayerSpec>;

/** The ONNX record of `layer`'s type. (The table is keyed by type, so the cast is exact.) */
export function onnxRecordOf(layer: LayerSpec): OnnxLayerRecord<LayerSpec> {
  return ONNX_LAYERS[layer.type] as OnnxLayerRecord<LayerSpec>;
}

/** Every importer by ONNX op type; two layer types claiming one op type is an error. */
export function importers(): ReadonlyMap<string, LayerImporter> {
  const map = new Map<string, LayerImporter>();
  for (const [type, record] of Object.entries(ONNX_LAYERS)) {
    for (const [opType, importer] of Object.entries(record.importers ?? {})) {
      if (map.has(opType)) throw new Error(`internal: two layer types import ${opType} (${type})`);
      map.set(opType, importer);
    }
  }
  return map;
}
