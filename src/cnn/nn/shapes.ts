import { recordOf } from '../layers/index.ts';
import type { ParamRule } from '../layers/types.ts';
import { shapeToString } from '../tensor.ts';
import type { LayerSpec, NetworkSpec } from './spec.ts';

/** How errors name a layer: "layer 3 (conv2d)". */
export function layerName(i: number, layer: LayerSpec): string {
  return `layer ${i} (${layer.type})`;
}

export interface LayerShapes {
  /** inputs[i] is the input shape of layer i ([N, …]); outputs[i] its output shape. */
  readonly inputs: number[][];
  readonly outputs: number[][];
  /** params[i]: layer i's parameters (role, shape, init). */
  readonly params: ParamRule[][];
}

/**
 * Walks the layers through their records' shape rules. Throws, naming the first layer that does
 * not fit (or that reads an output that is not earlier than itself).
 */
export function layerShapes(spec: NetworkSpec, batch = 1): LayerShapes {
  const input = [batch, ...spec.inputShape];
  const inputs: number[][] = [];
  const outputs: number[][] = [];
  const params: ParamRule[][] = [];
  const shapeOf = (k: number): readonly number[] => (k === -1 ? input : outputs[k]);
  let shape: number[] = input;
  spec.layers.forEach((layer, i) => {
    const op = layerName(i, layer);
    const record = recordOf(layer);
    for (const k of record.reads?.(layer) ?? []) {
      if (!Number.isInteger(k) || k < -1 || k >= i) {
        throw new RangeError(
          `${op}: can read the output of an earlier layer (−1 for the input, up to ${i - 1}), got ${k}`,
        );
      }
    }
    inputs.push(shape);
    params.push(record.params?.(layer, shape) ?? []);
    shape = record.outputShape(layer, shape, { op, index: i, shapeOf });
    outputs.push(shape);
  });
  return { inputs, outputs, params };
}

/**
 * The activation shape after every layer, for a batch of `batch` images: result[i] is the output
 * of spec.layers[i]. Throws a message naming the first layer that does not fit.
 */
export function outputShapes(spec: NetworkSpec, batch = 1): number[][] {
  const shapes = layerShapes(spec, batch).outputs;
  const last = shapes.at(-1);
  if (!last || (last.length !== 2 && last.length !== 4)) {
    throw new RangeError(
      `${spec.name}: the last layer must output logits [N, classes] or a map of them [N, classes, H, W], got ${last ? shapeToString(last) : 'no layers'}`,
    );
  }
  return shapes;
}
