/**
 * Optimiser settings shared by the reference engine and the ONNX training-step emitter.
 * Both must implement exactly these update rules (PyTorch's conventions), so that ORT and the
 * reference engine give the same parameters step after step.
 *
 * SGD (weight decay as L2 added to the gradient, PyTorch `torch.optim.SGD`, dampening 0):
 *   g ← grad + weightDecay·w
 *   v ← momentum·v + g            (v starts at 0; with momentum 0, v = g)
 *   w ← w − lr·v
 *
 * Adam (`torch.optim.Adam`, L2 weight decay, step t counts from 1):
 *   g ← grad + weightDecay·w
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   w ← w − lr · (m / (1 − β1ᵗ)) / (sqrt(v / (1 − β2ᵗ)) + ε)
 */
export interface SgdSpec {
  readonly type: 'sgd';
  readonly lr: number;
  readonly momentum?: number; // default 0
  readonly weightDecay?: number; // default 0
}
export interface AdamSpec {
  readonly type: 'adam';
  readonly lr: number;
  readonly beta1?: number; // default 0.9
  readonly beta2?: number; // default 0.999
  readonly epsilon?: number; // default 1e-8
  readonly weightDecay?: number; // default 0
}
export type OptimizerSpec = SgdSpec | AdamSpec;
