/**
 * backprop, one SGD step: w ← w − lr·∂L/∂w, the loss before and after on this digit and on ten
 * others (the reference engine, one image at a time), and the first-order prediction −lr·‖g‖².
 * Pure.
 */
import { forward, softmaxCrossEntropy } from '../../cnn/index.ts';
import type { Params, Tensor } from '../../cnn/index.ts';
import { CLASSES, NET, SIDE } from './backward';

export const DEFAULT_LR = 0.01;
export const MAX_LR = 100;

/** w ← w − lr · dL/dw for every parameter. */
export function sgdStep(params: Params, grads: Params, lr: number): Params {
  const out: Params = {};
  for (const [name, p] of Object.entries(params)) {
    const g = grads[name];
    const data = new Float32Array(p.data.length);
    for (let i = 0; i < data.length; i++) data[i] = p.data[i] - lr * g.data[i];
    out[name] = { shape: [...p.shape], data };
  }
  return out;
}

/** tinyNet's logits for one image: the engine's own forward pass of the network. */
function logitsOf(params: Params, pixels: ArrayLike<number>): Tensor {
  const x: Tensor = { shape: [1, 1, SIDE, SIDE], data: Float32Array.from(pixels) };
  return forward(NET, params, x).logits;
}

/** The reference engine's loss for one image (forward only). */
export function lossOnly(params: Params, pixels: ArrayLike<number>, label: number): number {
  return softmaxCrossEntropy(logitsOf(params, pixels), [label]).loss;
}

/** Mean loss over several digits, in the reference engine (one image at a time). */
export function meanLoss(
  params: Params,
  digits: readonly { readonly pixels: ArrayLike<number>; readonly label: number }[],
): number {
  let s = 0;
  for (const d of digits) s += lossOnly(params, d.pixels, d.label);
  return s / digits.length;
}

/** Class probabilities of several images [n·10] (the reference engine, one image at a time). */
export function probabilities(
  params: Params,
  images: readonly { readonly pixels: ArrayLike<number> }[],
): Float32Array {
  const out = new Float32Array(images.length * CLASSES);
  images.forEach((d, n) =>
    out.set(softmaxCrossEntropy(logitsOf(params, d.pixels), [0]).probs.data, n * CLASSES),
  );
  return out;
}

/** Cross-entropy −log p_y of each row of probabilities, given the labels. */
export function lossesFromProbabilities(
  probs: ArrayLike<number>,
  labels: readonly number[],
): number[] {
  return labels.map((y, n) => -Math.log(probs[n * CLASSES + y]));
}

/** ‖g‖² over every parameter: the first-order loss change of an SGD step is −lr·‖g‖². */
export function gradNormSquared(grads: Params): number {
  let s = 0;
  for (const g of Object.values(grads)) for (const v of g.data) s += v * v;
  return s;
}

export interface SgdOutcome {
  readonly before: number;
  readonly after: number;
  /** −lr·‖g‖² */
  readonly predicted: number;
  readonly othersBefore: number;
  readonly othersAfter: number;
}

/** What the step did, on this digit and on the others. */
export function sgdOutcome(
  params: Params,
  updated: Params,
  lr: number,
  loss: number,
  grads: Params,
  digit: { readonly pixels: ArrayLike<number>; readonly label: number },
  others: readonly { readonly pixels: ArrayLike<number>; readonly label: number }[],
): SgdOutcome {
  return {
    before: loss,
    after: lossOnly(updated, digit.pixels, digit.label),
    predicted: -lr * gradNormSquared(grads),
    othersBefore: meanLoss(params, others),
    othersAfter: meanLoss(updated, others),
  };
}

/** The sentence under the step: too far, too big, or about right. */
export function sgdVerdict(o: SgdOutcome, lr: number, label: number, fmt: (v: number) => string) {
  const linearOk = Math.abs(o.after - o.before - o.predicted) < 0.1 * Math.abs(o.predicted);
  if (o.after >= o.before)
    return `With lr = ${lr} the step went too far: the loss on this digit went up.`;
  if (o.othersAfter > 1.5 * o.othersBefore)
    return `With lr = ${lr} the loss on this digit fell${o.after < 0.01 ? ' almost to 0' : ''}, but the step is far too big: the first-order prediction ${linearOk ? 'still holds' : 'is useless'}, and the other digits’ mean loss jumped from ${fmt(o.othersBefore)} to ${fmt(o.othersAfter)} — the network now answers “${label}” for almost anything. Training on one digit at a time needs a small lr.`;
  return `With lr = ${lr} the loss on this digit fell ${linearOk ? 'by about what the first-order prediction says' : 'by less than the first-order prediction (the loss curves)'}, and the other digits barely moved. Try lr = 1 to see a step that is too big.`;
}
