/** backprop's reference result for a state: what the worker (reference.worker.ts) computes. */
import type { Params } from '../../cnn/index.ts';
import { argMaxAbs, backwardPass, freshParams } from './backward';
import type { BackwardPass } from './backward';
import { probabilities, sgdOutcome, sgdStep } from './sgd';
import type { SgdOutcome } from './sgd';
import type { BackpropState, Digit } from './state';

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
  /** The reference probabilities after the step, for this digit and the others (afterModel's). */
  readonly afterProbs: Float32Array;
}

/** Far longer than a frame on the main thread: the page asks reference.worker.ts for it. */
export function backpropResult(
  s: Pick<BackpropState, 'digits' | 'others' | 'digit' | 'seed' | 'lr'>,
): BackpropResult {
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
    afterProbs: probabilities(updated, [digit, ...s.others]),
  };
}
