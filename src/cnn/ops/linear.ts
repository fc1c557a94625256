import { checkGradShape, checkRank } from '../check.ts';
import { CnnError } from '../errors.ts';
import { shapeToString } from '../tensor.ts';
import type { Tensor } from '../tensor.ts';

function linearShapes(
  op: string,
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
): [number, number, number] {
  checkRank(op, 'input', x, 2, 'N, inFeatures');
  checkRank(op, 'weight', weight, 2, 'units, inFeatures');
  const [N, F] = x.shape;
  const [U, Fw] = weight.shape;
  if (F !== Fw) {
    throw new CnnError(
      `${op}: weight expects ${Fw} input features but input has ${F} (input ${shapeToString(x.shape)}, weight ${shapeToString(weight.shape)})`,
      { op, argument: 'weight', value: [...weight.shape] },
    );
  }
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== U)) {
    throw new CnnError(
      `${op}: bias must have shape [${U}] (one per unit), got ${shapeToString(bias.shape)}`,
      { op, argument: 'bias', value: [...bias.shape] },
    );
  }
  return [N, F, U];
}

/**
 * y[n,u] = b[u] + Σ_f x[n,f] · W[u,f]   (y = x·Wᵀ + b: ONNX Gemm with transB = 1)
 * x [N, F], weight [U, F], bias [U] → [N, U]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const [N, F, U] = linearShapes('linear', x, weight, bias);
  const y = new Float32Array(N * U);
  for (let n = 0; n < N; n++) {
    for (let u = 0; u < U; u++) {
      let sum = bias ? bias.data[u] : 0;
      for (let f = 0; f < F; f++) sum += x.data[n * F + f] * weight.data[u * F + f];
      y[n * U + u] = sum;
    }
  }
  return { shape: [N, U], data: y };
}

/**
 *   dx[n,f] = Σ_u dy[n,u] · W[u,f]    dW[u,f] = Σ_n dy[n,u] · x[n,f]    db[u] = Σ_n dy[n,u]
 */
export function linearBackward(
  x: Tensor,
  weight: Tensor,
  dy: Tensor,
  { inputGradient = true }: { inputGradient?: boolean } = {},
): { dx: Tensor | null; dWeight: Tensor; dBias: Tensor } {
  const [N, F, U] = linearShapes('linearBackward', x, weight);
  checkGradShape('linearBackward', dy, [N, U]);
  const dx = inputGradient ? new Float32Array(N * F) : null;
  const dW = new Float64Array(U * F);
  const db = new Float64Array(U);
  for (let n = 0; n < N; n++) {
    for (let u = 0; u < U; u++) {
      const grad = dy.data[n * U + u];
      db[u] += grad;
      for (let f = 0; f < F; f++) dW[u * F + f] += grad * x.data[n * F + f];
      if (dx) for (let f = 0; f < F; f++) dx[n * F + f] += grad * weight.data[u * F + f];
    }
  }
  return {
    dx: dx && { shape: [N, F], data: dx },
    dWeight: { shape: [U, F], data: Float32Array.from(dW) },
    dBias: { shape: [U], data: Float32Array.from(db) },
  };
}
