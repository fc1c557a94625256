/**
 * Optimiser updates as graph nodes, exactly the rules of src/cnn/optim/spec.ts (PyTorch's):
 *   SGD   g = grad + wd·w;  v' = μ·v + g (with μ = 0, v' = g);  w' = w − lr·v'
 *   Adam  g = grad + wd·w;  m' = β1·m + (1 − β1)·g;  v' = β2·v + (1 − β2)·g²
 *         w' = w − lr · (m' / c1) / (sqrt(v' / c2) + ε),  c1 = 1 − β1ᵗ, c2 = 1 − β2ᵗ
 * The learning rate (and for Adam the bias corrections c1, c2) are scalar graph inputs, so a
 * schedule or the step count never needs a new graph; see `optimizerScalars`.
 */
import { slotNames } from '../cnn/index.ts';
import type { OptimizerSpec } from '../cnn/index.ts';
import type { GraphBuilder, Value } from './builder.ts';

/** Slot suffixes per parameter, as the reference engine's slotNames gives them. */
export function slotSuffixes(opt: OptimizerSpec): string[] {
  return slotNames(opt, '').map((s) => s.slice(1));
}

/** Names of the scalar inputs of the training graph. */
export function scalarInputs(opt: OptimizerSpec): string[] {
  return opt.type === 'adam' ? ['lr', 'biasCorrection1', 'biasCorrection2'] : ['lr'];
}

/** Values for the scalar inputs at 1-based step `t` (float64 here, rounded once to float32). */
export function optimizerScalars(
  opt: OptimizerSpec,
  t: number,
  lr = opt.lr,
): Record<string, number> {
  if (opt.type === 'sgd') return { lr };
  const beta1 = opt.beta1 ?? 0.9;
  const beta2 = opt.beta2 ?? 0.999;
  return { lr, biasCorrection1: 1 - beta1 ** t, biasCorrection2: 1 - beta2 ** t };
}

export interface UpdateResult {
  readonly param: Value;
  readonly slots: Readonly<Record<string, Value>>;
}

export function emitUpdate(
  b: GraphBuilder,
  opt: OptimizerSpec,
  w: Value,
  grad: Value,
  slots: Readonly<Record<string, Value>>,
  scalars: Readonly<Record<string, Value>>,
): UpdateResult {
  const wd = opt.weightDecay ?? 0;
  const g = wd === 0 ? grad : b.add(grad, b.mul(w, b.scalar(wd)));
  const lr = scalars['lr']!;
  if (opt.type === 'sgd') {
    const momentum = opt.momentum ?? 0;
    const v = momentum === 0 ? g : b.add(b.mul(slots['velocity']!, b.scalar(momentum)), g);
    return { param: b.sub(w, b.mul(v, lr)), slots: { velocity: v } };
  }
  const beta1 = opt.beta1 ?? 0.9;
  const beta2 = opt.beta2 ?? 0.999;
  const eps = opt.epsilon ?? 1e-8;
  const m = b.add(b.mul(slots['m']!, b.scalar(beta1)), b.mul(g, b.scalar(1 - beta1)));
  const v = b.add(b.mul(slots['v']!, b.scalar(beta2)), b.mul(b.mul(g, g), b.scalar(1 - beta2)));
  const mHat = b.div(m, scalars['biasCorrection1']!);
  const vHat = b.div(v, scalars['biasCorrection2']!);
  const step = b.div(b.mul(mHat, lr), b.add(b.sqrt(vHat), b.scalar(eps)));
  return { param: b.sub(w, step), slots: { m, v } };
}
