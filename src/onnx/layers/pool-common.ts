/** What max and average pooling share: window geometry, attributes, and the importer. */
import { poolGeometry } from '../../cnn/index.ts';
import type { ConvGeometry, PaddingLike } from '../../cnn/index.ts';
import { fail, int, ints, pads, pair } from './import.ts';
import type { LayerImporter } from './types.ts';

export interface PoolOptions {
  readonly kernelShape: readonly [number, number];
  readonly strides?: readonly [number, number];
  readonly pads?: PaddingLike;
}

/** Window geometry for one example of shape [C, H, W], by the reference engine's poolGeometry. */
export function layerPoolGeometry(
  op: string,
  shape: readonly number[],
  o: PoolOptions,
): ConvGeometry {
  return poolGeometry(op, [1, shape[0]!, shape[1]!, shape[2]!], o);
}

export function poolAttrs(g: ConvGeometry) {
  return {
    kernelShape: [g.kernelHeight, g.kernelWidth],
    strides: [g.strideHeight, g.strideWidth],
    pads: [...g.pads],
  };
}

/** MaxPool or AveragePool without ceil_mode, dilations or the Indices output. */
export const importPool: LayerImporter = ({ node }) => {
  if (int(node, 'ceil_mode', 0) !== 0) fail(node, 'ceil_mode 1 cannot be represented');
  const dil = ints(node, 'dilations');
  if (dil !== undefined && dil.some((d) => d !== 1))
    fail(node, 'pooling dilations cannot be represented');
  if (node.outputs.length > 1 && node.outputs[1] !== '')
    fail(node, 'the Indices output cannot be represented');
  const kernelShape = pair(node, 'kernel_shape');
  if (kernelShape === undefined) fail(node, 'kernel_shape is missing');
  const strides = pair(node, 'strides') ?? [1, 1]; // the ONNX default, not ConvBook's
  const p = pads(node);
  const base = { kernelShape, strides, ...(p !== undefined ? { pads: p } : {}) };
  if (node.opType === 'MaxPool') return { layer: { type: 'maxPool2d', ...base } };
  const includePad = int(node, 'count_include_pad', 0) === 1;
  return {
    layer: { type: 'avgPool2d', ...base, ...(includePad ? { countIncludePad: true } : {}) },
  };
};
