/**
 * saliency's ONNX graphs, built here from src/onnx's emitters (none of them offers a gradient
 * with respect to the image):
 *  - gradientModel: the network's forward pass, then every layer's backward emitter from a seed
 *    on the logits (one-hot of the chosen class: the gradient of that class's score) down to the
 *    image. Inputs images [1, 1, 28, 28], seed [1, classes], parameters; outputs dinput, logits.
 *  - the occlusion batch uses src/onnx's own forward model (buildForwardModel, batch 'N').
 *  - firstLayerModel: the first conv layer and a ReduceMax over its map: [N, filters].
 */
import type { NetworkSpec } from '../../cnn/index.ts';
import {
  buildForwardModel,
  DEFAULT_FORMULATIONS,
  GraphBuilder,
  layerShapes,
  networkParams,
  type Value,
} from '../../onnx/index.ts';
// Not exported by src/onnx/index.ts: the per-layer emitters (with their backward parts). These two
// go when src/onnx offers a gradient with respect to the input.
import { emitConv2d } from '../../onnx/layers/conv.ts';
import { emitNetwork } from '../../onnx/network.ts';

export function gradientModel(spec: NetworkSpec): Uint8Array {
  const b = new GraphBuilder();
  const images = b.input('images', 'float32', [1, ...spec.inputShape]);
  const shapes = layerShapes(spec);
  const classes = shapes[shapes.length - 1]![0]!;
  const seed = b.input('seed', 'float32', [1, classes]);
  const params = new Map<string, Value>();
  for (const p of networkParams(spec)) params.set(p.name, b.input(p.name, 'float32', p.shape));
  // 'full': ReLU's own backward (the pooled shortcut is for training graphs that stop early).
  const formulations = {
    ...DEFAULT_FORMULATIONS,
    maxPoolGrad: 'mask' as const,
    reluPool: 'full' as const,
  };
  const layers = emitNetwork(b, spec, images, 1, params, { training: true, formulations });
  b.output(layers[layers.length - 1]!.y, 'logits');
  let dy = seed;
  for (let i = layers.length - 1; i >= 0; i--) {
    b.prefix = `${i}.backward`;
    const { dx } = layers[i]!.backward(dy, true);
    if (dx === null) throw new Error(`internal: layer ${i} gave no input gradient`);
    dy = dx;
  }
  b.prefix = '';
  b.output(dy, 'dinput');
  return b.toModelBytes({ opset: 17, graphName: `${spec.name}.inputGradient` });
}

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
