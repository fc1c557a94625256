/**
 * What the lab's loop needs from an engine, and the reference engine's implementation of it
 * (pure TypeScript, also used to re-run ORT's steps for the cross-check). ORT's is in
 * ort-engine.ts.
 */
import {
  createOptimizerState,
  detectionOutputs,
  forward,
  initParams,
  lossAndGradients,
  optimizerStep,
  paramNames,
  pixelSoftmax,
  softmax,
  targetColumns,
} from '../../cnn/index';
import type { NetworkSpec, OptimizerSpec, Params } from '../../cnn/index';
import type { BackendName } from '../crosscheck';
import type { Batch } from './data';
import type { StateTensor } from './checkpoint';

/** Parameters and optimiser slots by graph input name. */
export type State = Record<string, StateTensor>;

export interface StepArgs {
  readonly batch: Batch;
  readonly lr: number;
  /** 1-based optimiser step count (Adam's bias corrections). */
  readonly t: number;
}

export interface StepOutcome {
  readonly loss: number;
  readonly accuracy: number;
}

export interface LabTrainer {
  readonly device: BackendName;
  step(args: StepArgs): Promise<StepOutcome>;
  /** A copy of the current parameters and slots. */
  read(): Promise<State>;
  release(): Promise<void>;
}

export interface Evaluator {
  readonly device: BackendName;
  /** Runs the eval-mode network on n images with `params`; returns the requested outputs. */
  run(
    params: State,
    images: Float32Array,
    n: number,
    outputs: readonly string[],
  ): Promise<Record<string, Float32Array>>;
  release(): Promise<void>;
}

export function initialState(spec: NetworkSpec, opt: OptimizerSpec, seed: number): State {
  const params = initParams(spec, seed);
  const slots = createOptimizerState(opt, params).slots;
  const state: State = {};
  for (const [k, t] of [...Object.entries(params), ...Object.entries(slots)])
    state[k] = { dims: [...t.shape], data: t.data };
  return state;
}

export function paramsOf(spec: NetworkSpec, state: State): Params {
  const out: Params = {};
  for (const name of paramNames(spec)) {
    const t = state[name];
    if (!t) throw new RangeError(`state has no parameter ${name}`);
    out[name] = { shape: [...t.dims], data: t.data };
  }
  return out;
}

export function copyState(state: State): State {
  const out: State = {};
  for (const [k, t] of Object.entries(state)) out[k] = { dims: [...t.dims], data: t.data.slice() };
  return out;
}

/**
 * One training step on the reference engine from `state`: forward, backward, update at `lr`.
 * A non-finite loss or gradient leaves the state unchanged and reports loss NaN.
 */
export function referenceStep(
  spec: NetworkSpec,
  opt: OptimizerSpec,
  state: State,
  { batch, lr, t }: StepArgs,
): StepOutcome & { state: State } {
  const params = paramsOf(spec, state);
  const slots: Params = {};
  for (const [k, v] of Object.entries(state))
    if (!(k in params)) slots[k] = { shape: [...v.dims], data: v.data };
  const x = { shape: [batch.size, ...spec.inputShape], data: batch.images };
  let g, next;
  try {
    // A detection head trains on its target rows (batch.oneHot), every other net on labels.
    const targets =
      spec.head === undefined
        ? batch.labels
        : {
            shape: [batch.oneHot.length / targetColumns(spec.head), targetColumns(spec.head)],
            data: batch.oneHot,
          };
    g = lossAndGradients(spec, params, x, targets, {
      training: true,
      dropoutSeed: batch.dropoutSeed,
    });
    if (!Number.isFinite(g.loss)) return { loss: Number.NaN, accuracy: 0, state };
    next = optimizerStep({ ...opt, lr }, params, g.grads, { step: t - 1, slots });
  } catch (error) {
    // The reference engine refuses non-finite values (naming them); that is a NaN step here.
    if (error instanceof RangeError && /finite|NaN|Infinity/i.test(error.message))
      return { loss: Number.NaN, accuracy: 0, state };
    throw error;
  }
  const out: State = {};
  for (const [k, v] of [...Object.entries(next.params), ...Object.entries(next.state.slots)])
    out[k] = { dims: [...v.shape], data: v.data };
  return { loss: g.loss, accuracy: g.accuracy, state: out };
}

/** The reference engine as a lab trainer (slow, but needs nothing but JavaScript). */
export class ReferenceTrainer implements LabTrainer {
  readonly device = 'reference' as const;
  private state: State;

  constructor(
    private readonly spec: NetworkSpec,
    private readonly opt: OptimizerSpec,
    state: State,
  ) {
    this.state = copyState(state);
  }

  async step(args: StepArgs): Promise<StepOutcome> {
    const r = referenceStep(this.spec, this.opt, this.state, args);
    this.state = r.state;
    return { loss: r.loss, accuracy: r.accuracy };
  }

  async read(): Promise<State> {
    return copyState(this.state);
  }

  async release(): Promise<void> {}
}

/** The reference engine's forward pass as an evaluator. */
export class ReferenceEvaluator implements Evaluator {
  readonly device = 'reference' as const;
  constructor(private readonly spec: NetworkSpec) {}

  async run(params: State, images: Float32Array, n: number, outputs: readonly string[]) {
    const x = { shape: [n, ...this.spec.inputShape], data: images };
    const r = forward(this.spec, paramsOf(this.spec, params), x, { training: false });
    const out: Record<string, Float32Array> = {};
    for (const name of outputs) {
      if (name === 'probabilities')
        out[name] = (
          this.spec.head !== undefined
            ? detectionOutputs(r.logits, this.spec.head)
            : r.logits.shape.length === 4
              ? pixelSoftmax(r.logits)
              : softmax(r.logits)
        ).data;
      else if (name === 'logits') out[name] = r.logits.data;
      else {
        const i = Number(/^activation\.(\d+)$/.exec(name)?.[1] ?? Number.NaN);
        const a = r.activations[i];
        if (!a) throw new RangeError(`reference evaluator: no output ${name}`);
        out[name] = a.data;
      }
    }
    return out;
  }

  async release(): Promise<void> {}
}
