import { checkFinite } from '../check.ts';
import { avgPool2d, avgPool2dBackward } from '../ops/avgPool2d.ts';
// Training uses conv2d's fast path; conv2d.ts is the same sums written as the lesson's equation.
import { conv2dFast, conv2dFastBackward } from '../ops/conv2dFast.ts';
import {
  accuracy,
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
  type Labels,
} from '../ops/crossEntropy.ts';
import { dropout, dropoutBackward } from '../ops/dropout.ts';
import { flatten, flattenBackward } from '../ops/flatten.ts';
import { leakyRelu, leakyReluBackward } from '../ops/leakyRelu.ts';
import { linear, linearBackward } from '../ops/linear.ts';
import { maxPool2dBackward, maxPool2dWithArgmax } from '../ops/maxPool2d.ts';
import { relu, reluBackward } from '../ops/relu.ts';
import { sigmoid, sigmoidBackward } from '../ops/sigmoid.ts';
import { tanh, tanhBackward } from '../ops/tanh.ts';
import { shapeToString, type Tensor } from '../tensor.ts';
import { checkParams, type Params } from './params.ts';
import { layerName, outputShapes } from './shapes.ts';
import type { LayerSpec, NetworkSpec } from './spec.ts';

export interface ForwardOptions {
  /** Training mode turns dropout on (default false). */
  readonly training?: boolean;
  /** Seed of the dropout masks; layer i uses dropoutLayerSeed(dropoutSeed, i). */
  readonly dropoutSeed?: number;
}

export interface ForwardResult {
  readonly logits: Tensor;
  /** activations[i] is the output of spec.layers[i] (the last one is the logits). */
  readonly activations: readonly Tensor[];
}

/** The mask seed of dropout layer i, so every layer of a step draws a different mask. */
export function dropoutLayerSeed(dropoutSeed: number, layerIndex: number): number {
  return (dropoutSeed + Math.imul(layerIndex + 1, 0x9e3779b9)) >>> 0;
}

/** What a layer's backward pass needs besides its input: max-pool winners, dropout mask. */
type Saved = Int32Array | Tensor | null;

function layerForward(
  i: number,
  layer: LayerSpec,
  params: Params,
  x: Tensor,
  options: ForwardOptions,
): { y: Tensor; saved: Saved } {
  switch (layer.type) {
    case 'conv2d':
      return {
        y: conv2dFast(x, params[`${i}.kernel`], { ...layer, bias: params[`${i}.bias`] }),
        saved: null,
      };
    case 'maxPool2d': {
      const { y, argmax } = maxPool2dWithArgmax(x, layer);
      return { y, saved: argmax };
    }
    case 'avgPool2d':
      return { y: avgPool2d(x, layer), saved: null };
    case 'relu':
      return { y: relu(x), saved: null };
    case 'leakyRelu':
      return { y: leakyRelu(x, layer.alpha), saved: null };
    case 'sigmoid':
      return { y: sigmoid(x), saved: null };
    case 'tanh':
      return { y: tanh(x), saved: null };
    case 'flatten':
      return { y: flatten(x), saved: null };
    case 'dense':
      return { y: linear(x, params[`${i}.weight`], params[`${i}.bias`]), saved: null };
    case 'dropout': {
      const training = options.training ?? false;
      if (training && layer.rate > 0 && options.dropoutSeed === undefined) {
        throw new RangeError(
          `${layerName(i, layer)}: training mode needs options.dropoutSeed, got undefined`,
        );
      }
      const seed = dropoutLayerSeed(options.dropoutSeed ?? 0, i);
      const { y, mask } = dropout(x, { rate: layer.rate, training, seed });
      return { y, saved: mask };
    }
  }
}

function run(spec: NetworkSpec, params: Params, x: Tensor, options: ForwardOptions, what: string) {
  const expected = [x.shape[0], ...spec.inputShape];
  if (x.shape.length !== 4 || expected.some((d, k) => d !== x.shape[k])) {
    throw new RangeError(
      `${what}: input must have shape [N, ${spec.inputShape.join(', ')}] for ${spec.name}, got ${shapeToString(x.shape)}`,
    );
  }
  checkFinite(x, `${what}: input x`);
  outputShapes(spec, x.shape[0]);
  checkParams(spec, params, `${what}: params`);
  const activations: Tensor[] = [];
  const saved: Saved[] = [];
  let h = x;
  spec.layers.forEach((layer, i) => {
    const out = layerForward(i, layer, params, h, options);
    activations.push(out.y);
    saved.push(out.saved);
    h = out.y;
  });
  return { logits: h, activations, saved };
}

/** Runs the network on a batch x [N, C, H, W]; returns the logits and every activation. */
export function forward(
  spec: NetworkSpec,
  params: Params,
  x: Tensor,
  options: ForwardOptions = {},
): ForwardResult {
  const { logits, activations } = run(spec, params, x, options, 'forward');
  return { logits, activations };
}

export interface LossAndGradients extends ForwardResult {
  /** Mean softmax cross-entropy over the batch. */
  readonly loss: number;
  readonly accuracy: number;
  /** dLoss/dParam for every parameter, same names and shapes as params. */
  readonly grads: Params;
}

/**
 * One forward and backward pass. Training mode (dropout on) is the default here; pass
 * { training: false } to get the gradients of the evaluation-mode network.
 */
export function lossAndGradients(
  spec: NetworkSpec,
  params: Params,
  x: Tensor,
  labels: Labels,
  options: ForwardOptions = { training: true },
): LossAndGradients {
  const opts = { training: true, ...options };
  const { logits, activations, saved } = run(spec, params, x, opts, 'lossAndGradients');
  const { loss, probs } = softmaxCrossEntropy(logits, labels);
  const dLogits = softmaxCrossEntropyBackward(probs, labels);
  const { grads } = backwardFrom(spec, params, x, activations, saved, dLogits, false);
  return { loss, accuracy: accuracy(logits, labels), logits, grads, activations };
}

/**
 * The backward pass from a gradient on the logits down through every layer: parameter gradients,
 * and the gradient with respect to the image when `wantInput` (nobody else needs it).
 */
function backwardFrom(
  spec: NetworkSpec,
  params: Params,
  x: Tensor,
  activations: readonly Tensor[],
  saved: readonly Saved[],
  dLogits: Tensor,
  wantInput: boolean,
): { grads: Params; dx: Tensor | null } {
  const grads: Params = {};
  let dy = dLogits;
  for (let i = spec.layers.length - 1; i >= 0; i--) {
    const layer = spec.layers[i];
    const input = i === 0 ? x : activations[i - 1];
    const output = activations[i];
    const inputGradient = i > 0 || wantInput; // dL/d(image) only when asked (saliency)
    switch (layer.type) {
      case 'conv2d': {
        const g = conv2dFastBackward(input, params[`${i}.kernel`], dy, layer, { inputGradient });
        grads[`${i}.kernel`] = g.dKernel;
        if (layer.bias !== false) grads[`${i}.bias`] = g.dBias;
        dy = g.dx ?? dy;
        break;
      }
      case 'dense': {
        const g = linearBackward(input, params[`${i}.weight`], dy, { inputGradient });
        grads[`${i}.weight`] = g.dWeight;
        if (layer.bias !== false) grads[`${i}.bias`] = g.dBias;
        dy = g.dx ?? dy;
        break;
      }
      case 'maxPool2d':
        dy = maxPool2dBackward(input.shape, saved[i] as Int32Array, dy);
        break;
      case 'avgPool2d':
        dy = avgPool2dBackward(input.shape, dy, layer);
        break;
      case 'relu':
        dy = reluBackward(input, dy);
        break;
      case 'leakyRelu':
        dy = leakyReluBackward(input, dy, layer.alpha);
        break;
      case 'sigmoid':
        dy = sigmoidBackward(output, dy);
        break;
      case 'tanh':
        dy = tanhBackward(output, dy);
        break;
      case 'flatten':
        dy = flattenBackward(dy, input.shape);
        break;
      case 'dropout':
        dy = dropoutBackward(dy, saved[i] as Tensor | null);
        break;
    }
  }
  return { grads, dx: wantInput ? dy : null };
}

/**
 * d(Σ dLogits · logits)/d(image): with a one-hot dLogits, the gradient of one class score with
 * respect to the input pixels (a saliency map). Evaluation mode (dropout off) unless asked.
 */
export function gradientToInput(
  spec: NetworkSpec,
  params: Params,
  x: Tensor,
  dLogits: Tensor,
  options: ForwardOptions = { training: false },
): { dx: Tensor; logits: Tensor; activations: Tensor[] } {
  const { logits, activations, saved } = run(spec, params, x, options, 'gradientToInput');
  if (dLogits.shape.join() !== logits.shape.join()) {
    throw new RangeError(
      `gradientToInput: dLogits has shape [${dLogits.shape.join(', ')}] but the logits have [${logits.shape.join(', ')}]`,
    );
  }
  const { dx } = backwardFrom(spec, params, x, activations, saved, dLogits, true);
  return { dx: dx!, logits, activations };
}
