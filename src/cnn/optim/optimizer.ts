import { checkFinite } from '../check.ts';
import type { Params } from '../nn/params.ts';
import { shapeToString, zeros } from '../tensor.ts';
import type { Tensor } from '../tensor.ts';
import type { OptimizerSpec } from './spec.ts';

/**
 * Optimiser state: the step count and one or two slot tensors per parameter —
 * `${param}.velocity` for SGD, `${param}.m` and `${param}.v` for Adam (all start at zero).
 */
export interface OptimizerState {
  readonly step: number;
  readonly slots: Record<string, Tensor>;
}

export function slotNames(opt: OptimizerSpec, param: string): string[] {
  return opt.type === 'sgd' ? [`${param}.velocity`] : [`${param}.m`, `${param}.v`];
}

export function createOptimizerState(opt: OptimizerSpec, params: Params): OptimizerState {
  const slots: Record<string, Tensor> = {};
  for (const [name, p] of Object.entries(params)) {
    for (const slot of slotNames(opt, name)) slots[slot] = zeros(p.shape);
  }
  return { step: 0, slots };
}

const f32 = Math.fround;

/**
 * One update of every parameter, exactly as in ./spec.ts (PyTorch's rules). Each elementary
 * operation is rounded to float32, the way a float32 ONNX graph computes it, and the
 * hyper-parameters are float32 constants. Returns new params and state; the inputs are unchanged.
 */
export function optimizerStep(
  opt: OptimizerSpec,
  params: Params,
  grads: Params,
  state: OptimizerState,
): { params: Params; state: OptimizerState } {
  checkHyperParameters(opt);
  const step = state.step + 1;
  const newParams: Params = {};
  const slots: Record<string, Tensor> = {};
  for (const [name, w] of Object.entries(params)) {
    const grad = grads[name];
    if (!grad || grad.data.length !== w.data.length) {
      throw new RangeError(
        `optimizerStep: gradient ${name} ${grad ? shapeToString(grad.shape) : 'is missing'}; parameter is ${shapeToString(w.shape)}`,
      );
    }
    checkFinite(grad, `optimizerStep: gradient ${name}`);
    const out = new Float32Array(w.data.length);
    if (opt.type === 'sgd') {
      const lr = f32(opt.lr);
      const momentum = f32(opt.momentum ?? 0);
      const decay = f32(opt.weightDecay ?? 0);
      const v = slotOf(state, `${name}.velocity`, w).data.slice();
      for (let k = 0; k < out.length; k++) {
        const g = f32(grad.data[k] + f32(decay * w.data[k])); // g ← grad + weightDecay·w
        v[k] = f32(f32(momentum * v[k]) + g); //                 v ← momentum·v + g
        out[k] = f32(w.data[k] - f32(lr * v[k])); //              w ← w − lr·v
      }
      slots[`${name}.velocity`] = { shape: [...w.shape], data: v };
    } else {
      const lr = f32(opt.lr);
      // Derived constants are computed in float64 from the spec, then rounded once (as PyTorch
      // and a float32 graph do): f32(1 − 0.999) is 0.001, but 1 − f32(0.999) is 0.000999987.
      const b1 = opt.beta1 ?? 0.9;
      const b2 = opt.beta2 ?? 0.999;
      const [beta1, oneMinusBeta1] = [f32(b1), f32(1 - b1)];
      const [beta2, oneMinusBeta2] = [f32(b2), f32(1 - b2)];
      const epsilon = f32(opt.epsilon ?? 1e-8);
      const decay = f32(opt.weightDecay ?? 0);
      const correction1 = f32(1 - b1 ** step); // 1 − β1ᵗ
      const correction2 = f32(1 - b2 ** step); // 1 − β2ᵗ
      const m = slotOf(state, `${name}.m`, w).data.slice();
      const v = slotOf(state, `${name}.v`, w).data.slice();
      for (let k = 0; k < out.length; k++) {
        const g = f32(grad.data[k] + f32(decay * w.data[k]));
        m[k] = f32(f32(beta1 * m[k]) + f32(oneMinusBeta1 * g)); // m ← β1·m + (1 − β1)·g
        v[k] = f32(f32(beta2 * v[k]) + f32(oneMinusBeta2 * f32(g * g))); // v ← β2·v + (1 − β2)·g²
        const mHat = f32(m[k] / correction1);
        const vHat = f32(v[k] / correction2);
        out[k] = f32(w.data[k] - f32(lr * f32(mHat / f32(f32(Math.sqrt(vHat)) + epsilon))));
      }
      slots[`${name}.m`] = { shape: [...w.shape], data: m };
      slots[`${name}.v`] = { shape: [...w.shape], data: v };
    }
    newParams[name] = { shape: [...w.shape], data: out };
  }
  return { params: newParams, state: { step, slots } };
}

function slotOf(state: OptimizerState, slot: string, w: Tensor): Tensor {
  const t = state.slots[slot];
  if (!t || t.data.length !== w.data.length) {
    throw new RangeError(
      `optimizerStep: state slot ${slot} ${t ? shapeToString(t.shape) : 'is missing'}; parameter is ${shapeToString(w.shape)} (create the state with createOptimizerState)`,
    );
  }
  return t;
}

function checkHyperParameters(opt: OptimizerSpec): void {
  const rule = (
    name: string,
    value: number | undefined,
    ok: (v: number) => boolean,
    text: string,
  ) => {
    if (value !== undefined && !ok(value)) {
      throw new RangeError(`optimizerStep: ${opt.type} ${name} must be ${text}, got ${value}`);
    }
  };
  rule('lr', opt.lr, (v) => Number.isFinite(v) && v > 0, 'a positive number');
  rule('weightDecay', opt.weightDecay, (v) => v >= 0, 'non-negative');
  if (opt.type === 'sgd') rule('momentum', opt.momentum, (v) => v >= 0 && v < 1, 'in [0, 1)');
  else {
    rule('beta1', opt.beta1, (v) => v >= 0 && v < 1, 'in [0, 1)');
    rule('beta2', opt.beta2, (v) => v >= 0 && v < 1, 'in [0, 1)');
    rule('epsilon', opt.epsilon, (v) => v > 0, 'positive');
  }
}
