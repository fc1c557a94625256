import { checkGradShape, checkRank } from '../check.ts';
import type { Tensor } from '../tensor.ts';

/** Row-wise softmax of [N, K] (ONNX Softmax, axis −1): subtracting the row max keeps exp finite. */
export function softmax(x: Tensor): Tensor {
  checkRank('softmax', 'input', x, 2, 'N, classes');
  const [N, K] = x.shape;
  const y = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, x.data[n * K + k]);
    let total = 0;
    for (let k = 0; k < K; k++) total += Math.exp(x.data[n * K + k] - max);
    for (let k = 0; k < K; k++) y[n * K + k] = Math.exp(x.data[n * K + k] - max) / total;
  }
  return { shape: [N, K], data: y };
}

/** dx[n,k] = y[n,k] · (dy[n,k] − Σ_j dy[n,j] · y[n,j]), from the saved output y. */
export function softmaxBackward(y: Tensor, dy: Tensor): Tensor {
  checkGradShape('softmaxBackward', dy, y.shape);
  const [N, K] = y.shape;
  const dx = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    let dot = 0;
    for (let k = 0; k < K; k++) dot += dy.data[n * K + k] * y.data[n * K + k];
    for (let k = 0; k < K; k++) dx[n * K + k] = y.data[n * K + k] * (dy.data[n * K + k] - dot);
  }
  return { shape: [N, K], data: dx };
}
