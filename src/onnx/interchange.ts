/**
 * Standalone inference models in and out.
 *
 * exportInferenceModel(spec, params): .onnx bytes with the weights as initializers, input
 *   `images` [N, C, H, W], outputs `logits` and `probabilities` (dropout, the identity at
 *   inference, leaves no node).
 * importInferenceModel(bytes): { spec, params } when the model is a chain ConvBook can represent,
 *   node by node through the importers of the layer table (src/onnx/layers: Conv (+ bias) ·
 *   Relu / LeakyRelu / Sigmoid / Tanh · MaxPool / AveragePool · Flatten or Reshape to [N, −1] ·
 *   Gemm, or MatMul (+ Add) · Dropout / Identity (skipped)), and a final Softmax (dropped:
 *   ConvBook adds its own). Anything else is an OnnxModelError naming the node.
 */
import { checkParams, outputShapes } from '../cnn/index.ts';
import type { LayerSpec, NetworkSpec, Params, Tensor } from '../cnn/index.ts';
import { buildForwardModel } from './forward.ts';
import { describe } from './layers/import.ts';
import { importers } from './layers/index.ts';
import { OnnxModelError, parseModel } from './parse.ts';
import type { InitializerDescription } from './parse.ts';

export function exportInferenceModel(
  spec: NetworkSpec,
  params: Readonly<Record<string, Tensor>>,
): Uint8Array {
  checkParams(spec, params as Params, 'exportInferenceModel: params');
  return buildForwardModel(spec, { params, activations: false }).bytes;
}

export interface ImportedModel {
  readonly spec: NetworkSpec;
  readonly params: Params;
}

export function importInferenceModel(bytes: Uint8Array, name = 'imported'): ImportedModel {
  const model = parseModel(bytes);
  if (model.inputs.length !== 1) {
    throw new OnnxModelError(
      `has ${model.inputs.length} inputs (${model.inputs.map((i) => i.name).join(', ')}); ConvBook can import a model with one image input`,
    );
  }
  const input = model.inputs[0]!;
  const shape = input.shape ?? [];
  if (shape.length !== 4 || shape.slice(1).some((d) => typeof d !== 'number' || d < 1)) {
    throw new OnnxModelError(
      `input ${input.name} has shape [${shape.map((d) => d ?? '?').join(', ')}]; ConvBook needs [N, C, H, W] with known C, H and W`,
    );
  }
  const inits = new Map(model.initializers.map((i) => [i.name, i]));
  // Constant nodes (exporters often write Reshape shapes that way) count as initializers.
  for (const node of model.nodes) {
    const value = node.attributes['value'];
    if (node.opType === 'Constant' && typeof value === 'object' && !Array.isArray(value)) {
      const init = value as InitializerDescription;
      inits.set(node.outputs[0]!, { ...init, name: node.outputs[0]! });
    }
  }
  const layers: LayerSpec[] = [];
  const params: Params = {};
  const table = importers();
  // Which layer made each value (−1: the image input), for layers that read earlier outputs.
  const made = new Map<string, number>([[input.name, -1]]);
  let current = input.name;
  let rank = 4;
  const nodes = model.nodes;
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[k]!;
    if (node.opType === 'Constant') continue;
    if (!node.inputs.includes(current)) {
      // Only the final softmax may read something other than the running value.
      throw new OnnxModelError(
        `node ${describe(node)} does not continue the chain from ${current}; ConvBook imports plain layer chains`,
      );
    }
    if (node.opType === 'Softmax') {
      if (k === nodes.length - 1) continue; // ConvBook adds its own probabilities
      throw new OnnxModelError(
        `node ${describe(node)}: a softmax inside the network cannot be represented`,
      );
    }
    const importer = table.get(node.opType);
    if (importer === undefined) {
      throw new OnnxModelError(
        `uses op ${node.opType} which ConvBook cannot represent as a layer (node ${describe(node)})`,
      );
    }
    const imported = importer({
      node,
      current,
      rank,
      next: nodes[k + 1],
      layerOf: (name) => made.get(name),
      initializer: (name) => inits.get(name),
      weight(j, what) {
        const init = inits.get(node.inputs[j] ?? '');
        if (init === undefined || !(init.values instanceof Float32Array)) {
          throw new OnnxModelError(
            `node ${describe(node)}: its ${what} must be a float32 initializer (stored weights)`,
          );
        }
        return init;
      },
    });
    current = imported.output ?? node.outputs[0]!;
    rank = imported.rank ?? rank;
    if (imported.consumesNext === true) k++;
    if (imported.layer === null) {
      made.set(current, layers.length - 1);
      continue;
    }
    const i = layers.length;
    layers.push(imported.layer);
    for (const [role, t] of Object.entries(imported.params ?? {})) params[`${i}.${role}`] = t;
    made.set(current, i);
  }
  if (layers.length === 0) throw new OnnxModelError('has no layers ConvBook can represent');
  const spec: NetworkSpec = {
    name,
    inputShape: [shape[1] as number, shape[2] as number, shape[3] as number],
    layers,
  };
  try {
    outputShapes(spec);
    checkParams(spec, params);
  } catch (e) {
    throw new OnnxModelError(`shapes do not fit: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { spec, params };
}
