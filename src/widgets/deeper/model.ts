/**
 * The graph that checks the figure on onnxruntime-web: both networks in one ONNX model, each its
 * forward pass, softmax cross-entropy and backward pass (src/onnx's emitters, the same records
 * the training graphs use, the residual Add included), fed the parameters and the batch of the
 * last finite step the reference engine took (each network its own batch: one may have stopped
 * early). Inputs `plain.images`, `plain.labels` (one-hot), `plain.0.kernel`, …; outputs `plain.loss`, `skip.loss` and every
 * convolution's kernel gradient, `plain.grad.3.kernel`, …: what the figure's last column shows.
 * One model, so one run of the engine worker checks both networks.
 */
import {
  networkParams,
  GraphBuilder,
  DEFAULT_FORMULATIONS,
  emitGradients,
  emitNetwork,
  emitSoftmaxCrossEntropy,
  type Value,
} from '../../onnx/index.ts';
import type { NetworkSpec } from '../../cnn/index.ts';
import { convIndices } from './nets.ts';

export const NETS = ['plain', 'skip'] as const;
export type NetName = (typeof NETS)[number];

/** Graph input name of a network's parameter. */
export const paramInput = (net: NetName, name: string): string => `${net}.${name}`;
export const imagesInput = (net: NetName): string => `${net}.images`;
export const labelsInput = (net: NetName): string => `${net}.labels`;
/** Output names: the loss and each convolution's kernel gradient. */
export const lossOutput = (net: NetName): string => `${net}.loss`;
export const gradOutput = (net: NetName, layer: number): string => `${net}.grad.${layer}.kernel`;

export function checkModel(
  specs: Readonly<Record<NetName, NetworkSpec>>,
  batch: number,
): Uint8Array {
  const b = new GraphBuilder();
  const { inputShape } = specs.plain;
  for (const net of NETS) {
    const spec = specs[net];
    const images = b.input(imagesInput(net), 'float32', [batch, ...inputShape]);
    const labels = b.input(labelsInput(net), 'float32', [batch, 10]);
    const params = new Map<string, Value>();
    for (const p of networkParams(spec))
      params.set(p.name, b.input(paramInput(net, p.name), 'float32', p.shape));
    const layers = emitNetwork(b, spec, images, batch, params, {
      training: true,
      formulations: DEFAULT_FORMULATIONS,
    });
    const logits = layers[layers.length - 1]!.y;
    const loss = emitSoftmaxCrossEntropy(b, logits, labels, batch, 10);
    b.output(loss.loss, lossOutput(net));
    const g = emitGradients(b, spec, layers, loss.dLogits, { formulations: DEFAULT_FORMULATIONS });
    for (const i of convIndices(spec)) b.output(g.grads.get(`${i}.kernel`)!, gradOutput(net, i));
  }
  return b.toModelBytes({ opset: 17, graphName: 'deeper.check' });
}
