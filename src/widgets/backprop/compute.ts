/**
 * backprop on the kernel: the reference result for a state (recomputed only when the digit, the
 * seed or the learning rate change), the ORT check of it (backpropModel: every gradient and the
 * updated weights in one run), and the second run that needs ORT's own updated weights (the loss
 * after the step, afterModel).
 */
import type { Params } from '../../cnn/index.ts';
import { oneHot } from '../../onnx/index.ts';
import { float32 } from '../../runtime/client';
import type { Compute } from '../shared/define';
import type { TwiceRequest, TwiceResult } from '../shared/twice';
import {
  argMaxAbs,
  backwardPass,
  CLASSES,
  freshParams,
  OTHERS,
  SIDE,
  type BackwardPass,
} from './backward';
import { AFTER_MODEL_KEY, afterModel, BACKPROP_MODEL_KEY, backpropModel } from './model';
import { probabilities, sgdOutcome, sgdStep, type SgdOutcome } from './sgd';
import { computeKey, type BackpropState, type Digit } from './state';

export interface BackpropResult {
  readonly digit: Digit;
  readonly params: Params;
  readonly pass: BackwardPass;
  /** The weights after one SGD step, on the reference engine. */
  readonly updated: Params;
  readonly sgd: SgdOutcome;
  /** The class the untrained network prefers. */
  readonly top: number;
  /** The pixel with the largest |∂L/∂x| (the one written out until the reader picks another). */
  readonly strongestPixel: number;
}

export function backpropResult(s: BackpropState): BackpropResult {
  const digit = s.digits[s.digit];
  const params = freshParams(s.seed);
  const pass = backwardPass(params, digit.pixels, digit.label);
  const updated = sgdStep(params, pass.grads, s.lr);
  return {
    digit,
    params,
    pass,
    updated,
    sgd: sgdOutcome(params, updated, s.lr, pass.loss, pass.grads, digit, s.others),
    top: argMaxAbs(pass.probs.data), // probabilities are positive: the largest
    strongestPixel: argMaxAbs(pass.dInput.data),
  };
}

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
  run: backpropResult,
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
    expected: { probabilities: probabilities(r.updated, [r.digit, ...s.others]) },
  };
}
