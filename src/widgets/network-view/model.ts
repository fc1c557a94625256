/**
 * Computed twice: the figure's whole forward pass — every layer's output and the softmax — on
 * onnxruntime-web, from src/onnx's own forward graph (parameters as inputs, so new weights from
 * the training lab need no new session), checked against the reference worker's pass.
 */
import { buildForwardModel, activationName } from '../../onnx/index.ts';
import { float32 } from '../../runtime/client';
import { paramFeeds, specKey } from '../shared/net-feeds';
import type { TwiceRequest } from '../shared/twice';
import type { Pass } from './reference';

export function checkRequest(pass: Pass): TwiceRequest {
  const { spec } = pass.net;
  const expected: Record<string, Float32Array> = { probabilities: pass.probabilities };
  pass.activations.forEach((a, i) => (expected[activationName(spec, i)] = a.data));
  return {
    key: `network-view/${specKey(spec)}`,
    model: () => buildForwardModel(spec).bytes,
    feeds: {
      images: float32(pass.image.shape, pass.image.data),
      ...paramFeeds(pass.net.params),
    },
    expected,
  };
}
