/**
 * Networks forward and backward. Every layer is run through its record in the layer table
 * (src/cnn/layers): forward returns the output and the backward pass beside it, and the backward
 * walk below calls those from the last layer to the first.
 */
import { checkFinite } from '../check.ts';
import { accuracy, softmaxCrossEntropy, softmaxCrossEntropyBackward } from '../ops/crossEntropy.ts';
import type { Labels } from '../ops/crossEntropy.ts';
import { detectionLoss } from '../ops/detectionLoss.ts';
import { pixelSoftmaxCrossEntropy } from '../ops/pixelCrossEntropy.ts';
import { recordOf } from '../layers/index.ts';
import type { LayerStep } from '../layers/types.ts';
import { shapeToString } from '../tensor.ts';
import type { Tensor } from '../tensor.ts';
import { checkParams } from './params.ts';
import type { Params } from './params.ts';
import { layerName, outputShapes } from './shapes.ts';
import type { NetworkSpec } from './spec.ts';

export { dropoutLayerSeed } from '../layers/dropout.ts';

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
  const steps: LayerStep[] = [];
  let h = x;
  spec.layers.forEach((layer, index) => {
    const step = recordOf(layer).forward(layer, h, {
      op: layerName(index, layer),
      index,
      training: options.training ?? false,
      dropoutSeed: options.dropoutSeed,
      param: (role) => params[`${index}.${role}`],
      output: (k) => (k === -1 ? x : activations[k]),
    });
    activations.push(step.y);
    steps.push(step);
    h = step.y;
  });
  return { logits: h, activations, steps };
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

/**
 * Where the backward pass starts: the loss of these labels, of these target rows (a network with
 * a detection head, spec.head: see ops/detectionLoss.ts), or a given gradient on the logits.
 */
export type GradientSeed =
  { readonly labels: Labels } | { readonly targets: Tensor } | { readonly dLogits: Tensor };

export interface BackwardOptions extends ForwardOptions {
  /** Keep dL/d(output) of every layer in layerGradients (default false). */
  readonly layerGradients?: boolean;
  /** Compute dL/d(input image) as dx (default false: nothing else needs it but saliency). */
  readonly inputGradient?: boolean;
}

export interface BackwardResult extends ForwardResult {
  /** Mean softmax cross-entropy and accuracy over the batch (null when seeded with dLogits). */
  readonly loss: number | null;
  readonly accuracy: number | null;
  /** The gradient on the logits the pass started from. */
  readonly dLogits: Tensor;
  /** dLoss/dParam for every parameter, same names and shapes as params. */
  readonly grads: Params;
  /** layerGradients[i] = dL/d(activations[i]), when asked for (the last is dLogits). */
  readonly layerGradients: readonly Tensor[] | null;
  /** dL/d(x), when asked for. */
  readonly dx: Tensor | null;
}

/**
 * The backward pass: forward, then from the gradient on the logits (of the softmax cross-entropy
 * of `labels`, or a given `dLogits`) down through every layer's own backward. Gradients meeting
 * at one activation (a layer's output read again by a residual Add) are summed. Evaluation mode
 * unless options.training.
 */
export function backward(
  spec: NetworkSpec,
  params: Params,
  x: Tensor,
  seed: GradientSeed,
  options: BackwardOptions = {},
  what = 'backward',
): BackwardResult {
  const { logits, activations, steps } = run(spec, params, x, options, what);
  let loss: number | null = null;
  let acc: number | null = null;
  let dLogits: Tensor;
  if ('labels' in seed && spec.head !== undefined) {
    throw new RangeError(
      `${what}: ${spec.name} has a detection head; it trains on target rows, not class labels`,
    );
  } else if ('targets' in seed) {
    if (spec.head === undefined)
      throw new RangeError(
        `${what}: target rows need a network with a head; ${spec.name} has none`,
      );
    const d = detectionLoss(logits, seed.targets, spec.head);
    loss = d.loss;
    acc = d.accuracy;
    dLogits = d.dLogits;
  } else if ('labels' in seed && logits.shape.length === 4) {
    // A map of logits (segmentation): one label per position, the loss their mean.
    const ce = pixelSoftmaxCrossEntropy(logits, seed.labels);
    loss = ce.loss;
    acc = ce.accuracy;
    dLogits = ce.dLogits;
  } else if ('labels' in seed) {
    const ce = softmaxCrossEntropy(logits, seed.labels);
    loss = ce.loss;
    acc = accuracy(logits, seed.labels);
    dLogits = softmaxCrossEntropyBackward(ce.probs, seed.labels);
  } else {
    dLogits = seed.dLogits;
    if (dLogits.shape.join() !== logits.shape.join()) {
      throw new RangeError(
        `${what}: dLogits has shape [${dLogits.shape.join(', ')}] but the logits have [${logits.shape.join(', ')}]`,
      );
    }
  }
  const wantInput = options.inputGradient ?? false;
  const grads: Params = {};
  const kept: Tensor[] = [];
  // Gradients sent to earlier outputs by the layers that read them (residual connections).
  const pending = new Map<number, Tensor>();
  const arriving = (k: number, dy: Tensor | null): Tensor | null => {
    const extra = pending.get(k);
    return extra === undefined ? dy : dy === null ? extra : sum(dy, extra);
  };
  let dy: Tensor | null = dLogits;
  for (let i = spec.layers.length - 1; i >= 0; i--) {
    dy = arriving(i, dy);
    if (dy === null) throw new Error(`internal: no gradient reaches layer ${i}`);
    kept[i] = dy;
    const inputGradient = i > 0 || wantInput;
    const g = steps[i].backward(dy, { inputGradient });
    for (const [role, t] of Object.entries(g.grads ?? {})) grads[`${i}.${role}`] = t;
    for (const e of g.earlier ?? []) {
      const before = pending.get(e.layer);
      pending.set(e.layer, before === undefined ? e.dy : sum(before, e.dy));
    }
    dy = inputGradient ? g.dx : null;
  }
  const dx = wantInput ? arriving(-1, dy) : null;
  return {
    logits,
    activations,
    loss,
    accuracy: acc,
    dLogits,
    grads,
    layerGradients: options.layerGradients === true ? kept : null,
    dx,
  };
}

function isTensor(v: Labels | Tensor): v is Tensor {
  return 'shape' in v && 'data' in v;
}

/** a + b, element by element (where two gradients meet). */
function sum(a: Tensor, b: Tensor): Tensor {
  const data = new Float32Array(a.data.length);
  for (let k = 0; k < data.length; k++) data[k] = a.data[k] + b.data[k];
  return { shape: [...a.shape], data };
}

export interface LossAndGradients extends ForwardResult {
  /** Mean softmax cross-entropy over the batch. */
  readonly loss: number;
  readonly accuracy: number;
  /** dLoss/dParam for every parameter, same names and shapes as params. */
  readonly grads: Params;
}

/**
 * backward() seeded with labels (or, for a network with a detection head, its target rows
 * [N·H·W, 2K + 5]), for training: training mode (dropout on) is the default here; pass
 * { training: false } to get the gradients of the evaluation-mode network.
 */
export function lossAndGradients(
  spec: NetworkSpec,
  params: Params,
  x: Tensor,
  labels: Labels | Tensor,
  options: ForwardOptions = { training: true },
): LossAndGradients {
  const opts = { training: true, ...options };
  const seed = isTensor(labels) ? { targets: labels } : { labels };
  const r = backward(spec, params, x, seed, opts, 'lossAndGradients');
  const { logits, grads, activations } = r;
  return { loss: r.loss!, accuracy: r.accuracy!, logits, grads, activations };
}

/**
 * backward() seeded with dLogits, for saliency: d(Σ dLogits · logits)/d(image); with a one-hot
 * dLogits, the gradient of one class score with respect to the input pixels. Evaluation mode
 * (dropout off) unless asked.
 */
export function gradientToInput(
  spec: NetworkSpec,
  params: Params,
  x: Tensor,
  dLogits: Tensor,
  options: ForwardOptions = { training: false },
): { dx: Tensor; logits: Tensor; activations: Tensor[] } {
  const r = backward(
    spec,
    params,
    x,
    { dLogits },
    { ...options, inputGradient: true },
    'gradientToInput',
  );
  return { dx: r.dx!, logits: r.logits, activations: [...r.activations] };
}
