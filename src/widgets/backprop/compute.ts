/**
 * backprop on the kernel: the reference result for a state (result.ts, computed in a worker and
 * recomputed only when the digit, the seed or the learning rate change), the ORT check of it
 * (backpropModel: every gradient and the updated weights in one run), and the second run that
 * needs ORT's own updated weights (the loss after the step, afterModel).
 */
import type { Params } from '../../cnn/index.ts';
import { oneHot } from '../../onnx/index.ts';
import { float32 } from '../../runtime/client';
import type { Compute } from '../shared/define';
import type { TwiceRequest, TwiceResult } from '../shared/twice';
import { CLASSES, OTHERS, SIDE } from './backward';
import type { BackwardPass } from './backward';
import { AFTER_MODEL_KEY, afterModel, BACKPROP_MODEL_KEY, backpropModel } from './model';
import { backpropReference } from './reference';
import type { BackpropResult } from './result';
import { computeKey } from './state';
import type { BackpropState, Digit } from './state';

export type { BackpropResult } from './result';

/** The reference engine's values for every output of backpropModel. */
export function backpropExpected(
  pass: BackwardPass,
  updated: Params,
  othersBefore: number,
): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {
    probabilities: pass.probs.data,
    loss: Float32Array.of(pass.loss),
    dLogits: pass.dLogits.data,
    'dact.3': pass.dFlat.data,
    'dact.2': pass.dPooled.data,
    'dact.1': pass.dRelu.data,
    'dact.0': pass.dConv.data,
    dinput: pass.dInput.data,
    othersBefore: Float32Array.of(othersBefore),
  };
  for (const [name, g] of Object.entries(pass.grads)) out[`grad.${name}`] = g.data;
  for (const [name, u] of Object.entries(updated)) out[`updated.${name}`] = u.data;
  return out;
}

type TensorMsg = ReturnType<typeof float32>;

const images = (digits: readonly Digit[]): TensorMsg =>
  float32([digits.length, 1, SIDE, SIDE], Float32Array.from(digits.flatMap((d) => d.pixels)));

/** backpropModel's inputs for this state. */
export function backpropFeeds(s: BackpropState, r: BackpropResult): Record<string, TensorMsg> {
  const feeds: Record<string, TensorMsg> = {
    images: float32([1, 1, SIDE, SIDE], r.pass.x.data),
    labels: float32([1, CLASSES], oneHot([r.digit.label], CLASSES)),
    lr: float32([], Float32Array.of(s.lr)),
    others: images(s.others),
    otherLabels: float32(
      [OTHERS, CLASSES],
      oneHot(
        s.others.map((o) => o.label),
        CLASSES,
      ),
    ),
  };
  for (const [name, t] of Object.entries(r.params)) feeds[name] = float32(t.shape, t.data);
  return feeds;
}

export const backpropCompute: Compute<BackpropState, BackpropResult> = {
  key: computeKey,
  run: backpropReference,
  check: (s, r): TwiceRequest => ({
    key: BACKPROP_MODEL_KEY,
    model: backpropModel,
    feeds: backpropFeeds(s, r),
    expected: backpropExpected(r.pass, r.updated, r.sgd.othersBefore),
  }),
};

/** The loss after the step on ORT: tinyNet's forward pass fed ORT's own updated weights. */
export function afterRequest(s: BackpropState, r: BackpropResult, ort: TwiceResult): TwiceRequest {
  const feeds: Record<string, TensorMsg> = { images: images([r.digit, ...s.others]) };
  for (const [name, t] of Object.entries(r.params))
    feeds[name] = float32(t.shape, ort.outputs[`updated.${name}`]);
  return {
    key: AFTER_MODEL_KEY,
    model: afterModel,
    feeds,
    expected: { probabilities: r.afterProbs },
  };
}
