/**
 * (a) The forward graph of a NetworkSpec, in eval mode (dropout is the identity).
 * Inputs: `images` [N, C, H, W] (N symbolic unless a batch size is given) and, by default, every
 * parameter by name, so trained weights are fed without rebuilding the graph; or the parameters
 * as initializers. Outputs: every layer's activation (`activation.${i}`; the last layer's is
 * `logits`) for visualisation, and `probabilities` (softmax of the logits).
 */
import { emitDetectionOutputs } from './loss-detect.ts';
import type { NetworkSpec, Tensor } from '../cnn/index.ts';
import { GraphBuilder } from './builder.ts';
import type { Dim, Value } from './builder.ts';
import { emitNetwork, networkParams } from './network.ts';
import type { ParamInfo } from './network.ts';

export interface ForwardModelOptions {
  /** Parameter values to store as initializers; when omitted the parameters are graph inputs. */
  readonly params?: Readonly<Record<string, Tensor>>;
  /** A fixed batch size; 'N' (symbolic) by default. */
  readonly batch?: Dim;
  /** Output every layer's activation (default true); false gives only logits and probabilities. */
  readonly activations?: boolean;
  readonly opset?: number;
}

export interface ForwardModel {
  readonly bytes: Uint8Array;
  readonly imagesInput: 'images';
  /** Parameters that are graph inputs (empty when they are initializers). */
  readonly paramInputs: readonly ParamInfo[];
  /** Output name of each layer's activation, in layer order (the last is 'logits'). */
  readonly activationOutputs: readonly string[];
  readonly logitsOutput: 'logits';
  readonly probabilitiesOutput: 'probabilities';
}

export function activationName(spec: NetworkSpec, i: number): string {
  return i === spec.layers.length - 1 ? 'logits' : `activation.${i}`;
}

export function buildForwardGraph(
  spec: NetworkSpec,
  options: ForwardModelOptions = {},
): GraphBuilder {
  if (spec.layers.length === 0) throw new RangeError(`network ${spec.name} has no layers`);
  const b = new GraphBuilder();
  const batch = options.batch ?? 'N';
  const images = b.input('images', 'float32', [batch, ...spec.inputShape]);
  const params = new Map<string, Value>();
  for (const p of networkParams(spec)) {
    const given = options.params?.[p.name];
    if (options.params !== undefined) {
      if (given === undefined)
        throw new RangeError(`forward model: no value for parameter ${p.name}`);
      if (given.shape.join() !== p.shape.join()) {
        throw new RangeError(
          `forward model: ${p.name} has shape [${given.shape.join(', ')}], expected [${p.shape.join(', ')}]`,
        );
      }
      params.set(p.name, b.initializer(given.data, p.shape, p.name));
    } else {
      params.set(p.name, b.input(p.name, 'float32', p.shape));
    }
  }
  const layers = emitNetwork(b, spec, images, batch, params, { training: false });
  const all = options.activations ?? true;
  layers.forEach((layer, i) => {
    if (all || i === layers.length - 1) b.output(layer.y, activationName(spec, i));
  });
  const logits = layers[layers.length - 1]!.y;
  if (logits.shape?.length !== 2 && logits.shape?.length !== 4) {
    throw new RangeError(
      `network ${spec.name}: the last layer must give [N, classes] logits or a map [N, classes, h, w]`,
    );
  }
  // Softmax over axis 1: the classes, of each row or (opset ≥ 13) of each position of a map;
  // for a detection head, of its segmentation and centre blocks (loss-detect.ts).
  b.output(
    spec.head === undefined
      ? b.softmax(logits, 1)
      : emitDetectionOutputs(b, logits, spec.head, logits.shape[1] as number),
    'probabilities',
  );
  return b;
}

export function buildForwardModel(
  spec: NetworkSpec,
  options: ForwardModelOptions = {},
): ForwardModel {
  const b = buildForwardGraph(spec, options);
  const all = options.activations ?? true;
  return {
    bytes: b.toModelBytes({ opset: options.opset ?? 17, graphName: spec.name }),
    imagesInput: 'images',
    paramInputs: options.params === undefined ? networkParams(spec) : [],
    activationOutputs: all ? spec.layers.map((_, i) => activationName(spec, i)) : ['logits'],
    logitsOutput: 'logits',
    probabilitiesOutput: 'probabilities',
  };
}
