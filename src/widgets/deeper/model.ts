/**
 * The graph that checks the figure on onnxruntime-web: both networks in one ONNX model, each its
 * forward pass, softmax cross-entropy and backward pass (src/onnx's emitters, the same records
 * the training graphs use, the residual Add included), fed the parameters and the batch of the
 * last finite step the reference engine took (each network its own batch: one may have stopped
 * early). Inputs `plain.images`, `plain.labels` (one-hot), `plain.0.kernel`, …; outputs `plain.loss`, `skip.loss` and every
 * convolution's kernel gradient, `plain.grad.3.kernel`, …: what the figure's last column shows.
 * One model, so one run of the engine worker checks both networks. Each output is divided by
 * `plain.unit` / `skip.unit`, the largest of that network's values when above 1 (else 1): the
 * badge's tolerance is absolute, for values of order 1, and a network whose loss has exploded to
 * 10⁴ would otherwise disagree by float32 rounding alone.
 */
import {
  networkParams,
  GraphBuilder,
  DEFAULT_FORMULATIONS,
  emitGradients,
  emitNetwork,
  emitSoftmaxCrossEntropy,
} from '../../onnx/index.ts';
import type { Value } from '../../onnx/index.ts';
import type { NetworkSpec } from '../../cnn/index.ts';
import { convIndices } from './nets.ts';

export const NETS = ['plain', 'skip'] as const;
export type NetName = (typeof NETS)[number];

/** Graph input name of a network's parameter. */
export const paramInput = (net: NetName, name: string): string => `${net}.${name}`;
export const unitInput = (net: NetName): string => `${net}.unit`;
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
    const unit = b.input(unitInput(net), 'float32', [1]);
    const params = new Map<string, Value>();
    for (const p of networkParams(spec))
      params.set(p.name, b.input(paramInput(net, p.name), 'float32', p.shape));
    const layers = emitNetwork(b, spec, images, batch, params, {
      training: true,
      formulations: DEFAULT_FORMULATIONS,
    });
    const logits = layers[layers.length - 1]!.y;
    const loss = emitSoftmaxCrossEntropy(b, logits, labels, batch, 10);
    b.output(b.div(loss.loss, unit, [1]), lossOutput(net));
    const g = emitGradients(b, spec, layers, loss.dLogits, { formulations: DEFAULT_FORMULATIONS });
    for (const i of convIndices(spec)) {
      const p = networkParams(spec).find((q) => q.name === `${i}.kernel`)!;
      b.output(b.div(g.grads.get(p.name)!, unit, p.shape), gradOutput(net, i));
    }
  }
  return b.toModelBytes({ opset: 17, graphName: 'deeper.check' });
}
