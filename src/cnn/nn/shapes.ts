import { poolGeometry } from '../ops/pool.ts';
import { conv2dSetup } from '../ops/conv2dSetup.ts';
import { shapeToString } from '../tensor.ts';
import type { LayerSpec, NetworkSpec } from './spec.ts';

/** How errors name a layer: "layer 3 (conv2d)". */
export function layerName(i: number, layer: LayerSpec): string {
  return `layer ${i} (${layer.type})`;
}

/** Shapes of a layer's parameters, given the shape of its input [N, …]. */
export function layerParamShapes(
  layer: LayerSpec,
  inShape: readonly number[],
): { role: 'kernel' | 'weight' | 'bias'; shape: number[] }[] {
  if (layer.type === 'conv2d') {
    const group = layer.group ?? 1;
    const kernel = [layer.filters, inShape[1] / group, layer.kernelShape[0], layer.kernelShape[1]];
    const bias = layer.bias === false ? [] : [{ role: 'bias' as const, shape: [layer.filters] }];
    return [{ role: 'kernel', shape: kernel }, ...bias];
  }
  if (layer.type === 'dense') {
    const weight = [layer.units, inShape[1]];
    const bias = layer.bias === false ? [] : [{ role: 'bias' as const, shape: [layer.units] }];
    return [{ role: 'weight', shape: weight }, ...bias];
  }
  return [];
}

/** The output shape of one layer for input shape [N, …]; throws, naming the layer, if it does not fit. */
export function layerOutputShape(
  i: number,
  layer: LayerSpec,
  inShape: readonly number[],
): number[] {
  const op = layerName(i, layer);
  const needRank = (rank: number, layout: string, hint = ''): void => {
    if (inShape.length !== rank) {
      throw new RangeError(`${op}: input must be ${layout}, got ${shapeToString(inShape)}${hint}`);
    }
  };
  switch (layer.type) {
    case 'conv2d': {
      needRank(4, '[N, C, H, W]');
      const group = layer.group ?? 1;
      if (!Number.isInteger(layer.filters) || layer.filters < 1) {
        throw new RangeError(`${op}: filters must be a positive integer, got ${layer.filters}`);
      }
      if (!Number.isInteger(group) || group < 1 || inShape[1] % group !== 0) {
        throw new RangeError(
          `${op}: group must be a positive integer dividing the ${inShape[1]} input channels, got ${group}`,
        );
      }
      const kernel = layerParamShapes(layer, inShape)[0].shape;
      const { g } = conv2dSetup(op, inShape, kernel, layer);
      return [g.batch, layer.filters, g.outHeight, g.outWidth];
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      needRank(4, '[N, C, H, W]');
      const g = poolGeometry(op, inShape, layer);
      return [g.batch, g.inChannels, g.outHeight, g.outWidth];
    }
    case 'flatten':
      return [inShape[0], inShape.slice(1).reduce((a, b) => a * b, 1)];
    case 'dense':
      needRank(2, '[N, features]', '; add a flatten layer before it');
      if (!Number.isInteger(layer.units) || layer.units < 1) {
        throw new RangeError(`${op}: units must be a positive integer, got ${layer.units}`);
      }
      return [inShape[0], layer.units];
    case 'dropout':
      if (!(layer.rate >= 0 && layer.rate < 1)) {
        throw new RangeError(`${op}: rate must be in [0, 1), got ${layer.rate}`);
      }
      return [...inShape];
    default:
      return [...inShape]; // element-wise activations
  }
}

/**
 * The activation shape after every layer, for a batch of `batch` images: result[i] is the output
 * of spec.layers[i]. Throws a message naming the first layer that does not fit.
 */
export function outputShapes(spec: NetworkSpec, batch = 1): number[][] {
  const shapes: number[][] = [];
  let shape: number[] = [batch, ...spec.inputShape];
  spec.layers.forEach((layer, i) => {
    shape = layerOutputShape(i, layer, shape);
    shapes.push(shape);
  });
  const last = shapes.at(-1);
  if (!last || last.length !== 2) {
    throw new RangeError(
      `${spec.name}: the last layer must output logits [N, classes], got ${last ? shapeToString(last) : 'no layers'}`,
    );
  }
  return shapes;
}
