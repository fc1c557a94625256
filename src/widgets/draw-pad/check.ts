/**
 * The drawing pad's agreement badge: the lab answered a drawing with class probabilities (on its
 * backend: WebGPU, wasm or the reference engine); the page asks the lab for the same weights and
 * runs the reference engine's forward pass and softmax on the same 28×28 image, then compares.
 * `referenceProbabilities` is pure; `checkPrediction` asks the lab and draws the badge.
 */
import { forward, softmax } from '../../cnn/index.ts';
import type { NetworkSpec, Params, Tensor } from '../../cnn/index.ts';
import { crossCheck } from '../../runtime/crosscheck';
import type { BackendName } from '../../runtime/crosscheck';
import { showAgreement } from '../shared/agreement';
import { requestWeights } from '../shared/lab';
import type { Lab } from '../shared/lab';

/** The reference engine's class probabilities for one 28×28 image (values 0–1). */
export function referenceProbabilities(
  spec: NetworkSpec,
  params: Params,
  pixels: ArrayLike<number>,
): Float32Array {
  const x: Tensor = { shape: [1, ...spec.inputShape], data: Float32Array.from(pixels) };
  return softmax(forward(spec, params, x).logits).data;
}

/**
 * Checks the lab's answer for `pixels` on the reference engine and shows the badge; `current()`
 * says whether this answer is still the one on screen (a newer drawing drops it).
 */
export async function checkPrediction(
  lab: Lab,
  root: HTMLElement,
  badge: HTMLElement,
  backend: BackendName,
  pixels: Float32Array,
  probabilities: readonly number[],
  current: () => boolean,
): Promise<void> {
  // The pad's data-state is its own phase (predicting, predicted): only the badge says this.
  badge.textContent = 'Checking the answer on the reference engine…';
  badge.classList.remove('is-agree', 'is-disagree');
  const reply = await requestWeights(lab);
  if (!current()) return;
  const w = reply.weights;
  if (!w) {
    badge.textContent = 'Not checked: the lab has no network to compare with.';
    return;
  }
  const params: Params = {};
  for (const [name, t] of Object.entries(w.params)) params[name] = t;
  const reference = referenceProbabilities(w.network, params, pixels);
  showAgreement(root, badge, crossCheck(backend, probabilities, reference));
}
