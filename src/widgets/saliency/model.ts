/**
 * saliency's ONNX graphs:
 *  - gradientModel: src/onnx's gradient graph from a one-hot seed on the logits (the gradient of
 *    the chosen class's score) down to the image. Inputs images [1, 1, 28, 28], dLogits
 *    [1, classes], parameters; outputs dinput, logits.
 *  - the occlusion batch uses src/onnx's own forward model (buildForwardModel, batch 'N').
 *  - firstLayerModel: the first conv layer and a ReduceMax over its map: [N, filters].
 */
import type { NetworkSpec } from '../../cnn/index.ts';
import { gradientModel } from '../shared/explain';

export { gradientModel };
import {
  DEFAULT_FORMULATIONS,
  GraphBuilder,
  buildForwardModel,
  emitConv2d,
  networkParams,
} from '../../onnx/index.ts';

export function forwardModel(spec: NetworkSpec): Uint8Array {
  return buildForwardModel(spec, { activations: false }).bytes;
}

export function firstLayerModel(spec: NetworkSpec, count: number): Uint8Array {
  const layer = spec.layers[0];
  if (layer?.type !== 'conv2d')
    throw new RangeError(`${spec.name}: the first layer is not a convolution`);
  const b = new GraphBuilder();
  const images = b.input('images', 'float32', [count, ...spec.inputShape]);
  const [kernel, bias] = networkParams(spec).filter((p) => p.layer === 0);
  const conv = emitConv2d(
    { b, x: images, batch: count, shape: spec.inputShape, formulations: DEFAULT_FORMULATIONS },
    layer,
    b.input(kernel!.name, 'float32', kernel!.shape),
    bias ? b.input(bias.name, 'float32', bias.shape) : null,
  );
  b.output(b.reduce('ReduceMax', conv.y, [2, 3], false, [count, layer.filters]), 'maxima');
  return b.toModelBytes({ opset: 17, graphName: `${spec.name}.firstLayer` });
}
