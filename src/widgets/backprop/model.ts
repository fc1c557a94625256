/**
 * backprop's ONNX graph: tinyNet's forward pass, softmax cross-entropy, the backward pass with
 * EVERY intermediate gradient as an output (the training graph only outputs parameter gradients)
 * and one SGD step — one model, one run. The loss after the step is a second run (afterModel).
 *
 * Built here from src/onnx's layer emitters (emitNetwork, emitSoftmaxCrossEntropy, each layer's
 * `backward`), walking the layers by hand instead of emitBackward so that ReLU's own backward is
 * emitted (not folded into the pool at the pooled size) and the image gets its gradient too.
 *
 * Inputs   images [1, 1, 28, 28] · labels [1, 10] one-hot · 0.kernel, 0.bias, 4.weight, 4.bias
 *          · lr [] · others [10, 1, 28, 28] and otherLabels [10, 10] (ten other digits)
 * Outputs  probabilities, loss, dLogits, dact.3 (dense input, [1, 676]), dact.2 (pooled,
 *          [1, 4, 13, 13]), dact.1 (ReLU output, [1, 4, 26, 26]), dact.0 (conv output),
 *          dinput [1, 1, 28, 28], grad.${param}, updated.${param},
 *          othersBefore (mean loss on the other digits)
 */
import {
  buildForwardModel,
  DEFAULT_FORMULATIONS,
  emitNetwork,
  emitSoftmaxCrossEntropy,
  GraphBuilder,
  networkParams,
} from '../../onnx/index.ts';
import type { Value } from '../../onnx/index.ts';
import { CLASSES, NET, OTHERS } from './backward';

export const BACKPROP_MODEL_KEY = 'backprop/tinyNet/v1';

export function backpropModel(): Uint8Array {
  const b = new GraphBuilder();
  const images = b.input('images', 'float32', [1, ...NET.inputShape]);
  const labels = b.input('labels', 'float32', [1, CLASSES]);
  const params = new Map<string, Value>();
  for (const p of networkParams(NET)) params.set(p.name, b.input(p.name, 'float32', p.shape));
  const lr = b.input('lr', 'float32', []);
  const others = b.input('others', 'float32', [OTHERS, ...NET.inputShape]);
  const otherLabels = b.input('otherLabels', 'float32', [OTHERS, CLASSES]);

  const formulations = { ...DEFAULT_FORMULATIONS, reluPool: 'full' as const };
  const layers = emitNetwork(b, NET, images, 1, params, { training: true, formulations });
  const logits = layers[layers.length - 1]!.y;
  const { loss, probabilities, dLogits } = emitSoftmaxCrossEntropy(b, logits, labels, 1, CLASSES);
  b.output(probabilities, 'probabilities');
  b.output(loss, 'loss');
  b.output(dLogits, 'dLogits');

  const grads = new Map<string, Value>();
  let dy = dLogits;
  for (let i = layers.length - 1; i >= 0; i--) {
    b.prefix = `${i}.backward`;
    const { dx, grads: g } = layers[i]!.backward(dy, true);
    for (const [role, v] of Object.entries(g)) grads.set(`${i}.${role}`, v);
    if (dx === null) throw new Error(`internal: layer ${i} gave no input gradient`);
    b.output(dx, i === 0 ? 'dinput' : `dact.${i - 1}`);
    dy = dx;
  }
  b.prefix = 'sgd';
  const updated = new Map<string, Value>();
  for (const p of networkParams(NET)) {
    const g = grads.get(p.name);
    if (g === undefined) throw new Error(`internal: no gradient for ${p.name}`);
    b.output(g, `grad.${p.name}`);
    const u = b.sub(params.get(p.name)!, b.mul(g, lr), [...p.shape]);
    updated.set(p.name, u);
    b.output(u, `updated.${p.name}`);
  }
  // The mean loss on other digits before the step (after it: afterModel, fed ORT's own updated
  // weights — a forward pass whose weights are computed inside the graph puts nodes on the CPU
  // under the WebGPU EP).
  b.prefix = 'others';
  const net = emitNetwork(b, NET, others, OTHERS, params, { training: false });
  const l = emitSoftmaxCrossEntropy(b, net[net.length - 1]!.y, otherLabels, OTHERS, CLASSES);
  b.output(l.loss, 'othersBefore');
  b.prefix = '';
  return b.toModelBytes({ opset: 17, graphName: 'backprop' });
}

export const AFTER_MODEL_KEY = 'backprop/tinyNet/forward-11';

/** tinyNet's forward pass on 1 + OTHERS images with the parameters as inputs (the src/onnx one). */
export function afterModel(): Uint8Array {
  return buildForwardModel(NET, { batch: 1 + OTHERS, activations: false }).bytes;
}
