/**
 * Standalone inference models in and out.
 *
 * exportInferenceModel(spec, params): .onnx bytes with the weights as initializers, input
 *   `images` [N, C, H, W], outputs `logits` and `probabilities` (dropout, the identity at
 *   inference, leaves no node).
 * importInferenceModel(bytes): { spec, params } when the model is a chain ConvBook can represent:
 *   Conv (+ bias) · Relu / LeakyRelu / Sigmoid / Tanh · MaxPool / AveragePool · Flatten or
 *   Reshape to [N, −1] · Gemm, or MatMul (+ Add) · Dropout / Identity (skipped) · a final Softmax
 *   (dropped: ConvBook adds its own). Anything else is an OnnxModelError naming the node.
 */
import {
  checkParams,
  outputShapes,
  type LayerSpec,
  type NetworkSpec,
  type Padding,
  type Pair,
  type Params,
  type Tensor,
} from '../cnn/index.ts';
import { buildForwardModel } from './forward.ts';
import {
  OnnxModelError,
  parseModel,
  type AttributeValue,
  type InitializerDescription,
  type NodeDescription,
} from './parse.ts';

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
  let current = input.name;
  let rank = 4;

  const weight = (node: NodeDescription, k: number, what: string): InitializerDescription => {
    const init = inits.get(node.inputs[k] ?? '');
    if (init === undefined || !(init.values instanceof Float32Array)) {
      throw new OnnxModelError(
        `node ${describe(node)}: its ${what} must be a float32 initializer (stored weights)`,
      );
    }
    return init;
  };
  const int = (node: NodeDescription, key: string, fallback: number): number => {
    const v = node.attributes[key];
    return typeof v === 'number' ? v : fallback;
  };
  const ints = (node: NodeDescription, key: string): readonly number[] | undefined => {
    const v: AttributeValue | undefined = node.attributes[key];
    return Array.isArray(v) ? (v as readonly number[]) : undefined;
  };
  const pair = (node: NodeDescription, key: string): Pair | undefined => {
    const v = ints(node, key);
    if (v === undefined) return undefined;
    if (v.length !== 2)
      throw new OnnxModelError(
        `node ${describe(node)}: ${key} must have 2 values, got [${v.join(', ')}]`,
      );
    return [v[0]!, v[1]!];
  };
  const pads = (node: NodeDescription): Padding | undefined => {
    const auto = node.attributes['auto_pad'];
    if (auto === 'SAME_UPPER') return 'same';
    if (auto === 'VALID') return 'valid';
    if (auto !== undefined && auto !== 'NOTSET') {
      throw new OnnxModelError(
        `node ${describe(node)}: auto_pad ${String(auto)} cannot be represented (only SAME_UPPER, VALID or explicit pads)`,
      );
    }
    const p = ints(node, 'pads');
    if (p === undefined) return undefined;
    if (p.length !== 4)
      throw new OnnxModelError(
        `node ${describe(node)}: pads must have 4 values, got [${p.join(', ')}]`,
      );
    // ONNX [top, left, bottom, right] is already ConvBook's order.
    return [p[0]!, p[1]!, p[2]!, p[3]!];
  };
  const tensorOf = (init: InitializerDescription, shape = init.shape): Tensor => ({
    shape: [...shape],
    data: Float32Array.from(init.values as Float32Array),
  });

  const nodes = model.nodes;
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[k]!;
    if (node.opType === 'Constant') continue;
    if (node.inputs[0] !== current) {
      // Only the final softmax may read something other than the running value.
      throw new OnnxModelError(
        `node ${describe(node)} does not continue the chain from ${current}; ConvBook imports plain layer chains`,
      );
    }
    const i = layers.length;
    switch (node.opType) {
      case 'Conv': {
        const w = weight(node, 1, 'kernel');
        if (w.shape.length !== 4)
          throw new OnnxModelError(
            `node ${describe(node)}: kernel must be 4-D, got [${w.shape.join(', ')}]`,
          );
        const dilations = pair(node, 'dilations');
        const strides = pair(node, 'strides');
        const p = pads(node);
        const group = int(node, 'group', 1);
        const hasBias = node.inputs[2] !== undefined && node.inputs[2] !== '';
        layers.push({
          type: 'conv2d',
          filters: w.shape[0]!,
          kernelShape: [w.shape[2]!, w.shape[3]!],
          ...(strides ? { strides } : {}),
          ...(p !== undefined ? { pads: p } : {}),
          ...(dilations ? { dilations } : {}),
          ...(group !== 1 ? { group } : {}),
          ...(hasBias ? {} : { bias: false }),
        });
        params[`${i}.kernel`] = tensorOf(w);
        if (hasBias) params[`${i}.bias`] = tensorOf(weight(node, 2, 'bias'));
        break;
      }
      case 'Relu':
      case 'Sigmoid':
      case 'Tanh':
        layers.push({
          type: node.opType === 'Relu' ? 'relu' : node.opType === 'Sigmoid' ? 'sigmoid' : 'tanh',
        });
        break;
      case 'LeakyRelu': {
        const alpha = node.attributes['alpha'];
        layers.push({
          type: 'leakyRelu',
          alpha: typeof alpha === 'number' ? Math.fround(alpha) : 0.01,
        });
        break;
      }
      case 'MaxPool':
      case 'AveragePool': {
        if (int(node, 'ceil_mode', 0) !== 0)
          throw new OnnxModelError(`node ${describe(node)}: ceil_mode 1 cannot be represented`);
        const dil = ints(node, 'dilations');
        if (dil !== undefined && dil.some((d) => d !== 1))
          throw new OnnxModelError(
            `node ${describe(node)}: pooling dilations cannot be represented`,
          );
        if (node.outputs.length > 1 && node.outputs[1] !== '')
          throw new OnnxModelError(
            `node ${describe(node)}: the Indices output cannot be represented`,
          );
        const kernelShape = pair(node, 'kernel_shape');
        if (kernelShape === undefined)
          throw new OnnxModelError(`node ${describe(node)}: kernel_shape is missing`);
        const strides = pair(node, 'strides') ?? [1, 1]; // the ONNX default, not ConvBook's
        const p = pads(node);
        const base = { kernelShape, strides, ...(p !== undefined ? { pads: p } : {}) };
        layers.push(
          node.opType === 'MaxPool'
            ? { type: 'maxPool2d', ...base }
            : {
                type: 'avgPool2d',
                ...base,
                ...(int(node, 'count_include_pad', 0) === 1 ? { countIncludePad: true } : {}),
              },
        );
        break;
      }
      case 'Flatten':
      case 'Reshape': {
        if (node.opType === 'Flatten' && int(node, 'axis', 1) !== 1) {
          throw new OnnxModelError(
            `node ${describe(node)}: only Flatten with axis 1 can be represented`,
          );
        }
        if (node.opType === 'Reshape') {
          const target = inits.get(node.inputs[1] ?? '')?.values;
          const ok =
            Array.isArray(target) &&
            target.length === 2 &&
            (target[0] === 0 || target[0] === -1 || target[0] === 1) &&
            target[1] === -1;
          if (!ok)
            throw new OnnxModelError(
              `node ${describe(node)}: only a Reshape to [N, -1] (a flatten) can be represented`,
            );
        }
        if (rank === 4) layers.push({ type: 'flatten' });
        rank = 2;
        break;
      }
      case 'Gemm':
      case 'MatMul': {
        if (rank !== 2)
          throw new OnnxModelError(
            `node ${describe(node)}: a dense layer needs a flat input; add a Flatten before it`,
          );
        const w = weight(node, 1, 'weight');
        if (w.shape.length !== 2)
          throw new OnnxModelError(
            `node ${describe(node)}: weight must be 2-D, got [${w.shape.join(', ')}]`,
          );
        const gemm = node.opType === 'Gemm';
        if (
          gemm &&
          (int(node, 'transA', 0) !== 0 ||
            attrFloat(node, 'alpha') !== 1 ||
            attrFloat(node, 'beta') !== 1)
        ) {
          throw new OnnxModelError(
            `node ${describe(node)}: only Gemm with transA 0, alpha 1 and beta 1 can be represented`,
          );
        }
        const transB = gemm && int(node, 'transB', 0) === 1;
        const units = transB ? w.shape[0]! : w.shape[1]!;
        params[`${i}.weight`] = transB ? tensorOf(w) : transpose2d(w);
        let biasName = gemm ? node.inputs[2] : undefined;
        let out = node.outputs[0]!;
        const next = nodes[k + 1];
        if (!gemm && next?.opType === 'Add' && next.inputs.includes(out)) {
          biasName = next.inputs.find((n) => n !== out);
          out = next.outputs[0]!;
          k++;
        }
        if (biasName !== undefined && biasName !== '') {
          const b = inits.get(biasName);
          if (b === undefined || !(b.values instanceof Float32Array) || b.values.length !== units) {
            throw new OnnxModelError(
              `node ${describe(node)}: its bias must be a float32 initializer of ${units} values`,
            );
          }
          params[`${i}.bias`] = tensorOf(b, [units]);
        }
        layers.push({
          type: 'dense',
          units,
          ...(biasName !== undefined && biasName !== '' ? {} : { bias: false }),
        });
        current = out;
        continue;
      }
      case 'Dropout':
      case 'Identity':
        current = node.outputs[0]!;
        continue;
      case 'Softmax':
        if (k === nodes.length - 1) continue; // ConvBook adds its own probabilities
        throw new OnnxModelError(
          `node ${describe(node)}: a softmax inside the network cannot be represented`,
        );
      default:
        throw new OnnxModelError(
          `uses op ${node.opType} which ConvBook cannot represent as a layer (node ${describe(node)})`,
        );
    }
    current = node.outputs[0]!;
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

function describe(node: NodeDescription): string {
  return node.name === '' ? node.opType : `${node.name} (${node.opType})`;
}

function attrFloat(node: NodeDescription, key: string): number {
  const v = node.attributes[key];
  return typeof v === 'number' ? v : 1;
}

function transpose2d(init: InitializerDescription): Tensor {
  const [rows, cols] = init.shape as [number, number];
  const v = init.values as Float32Array;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = v[r * cols + c]!;
  return { shape: [cols, rows], data: out };
}
