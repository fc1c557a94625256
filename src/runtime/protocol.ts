/** Messages between the page (client.ts) and the engine worker (engine.worker.ts). */
import type { BackendName } from './crosscheck';
import type { BackendStatus } from './backends';

export interface TensorMsg {
  readonly dims: readonly number[];
  readonly type: 'float32' | 'int64' | 'int32';
  readonly data: Float32Array | BigInt64Array | Int32Array;
}

/** A training-step graph and its initial state, sent once per trainer (src/runtime/trainer.ts). */
export interface TrainerSpec {
  /** Training-step model bytes. */
  readonly model: Uint8Array;
  /** State input name (parameter or slot) → the output that holds its updated value. */
  readonly updated: Readonly<Record<string, string>>;
  /** Initial parameters and optimiser slots, by input name. */
  readonly state: Readonly<Record<string, TensorMsg>>;
}

export interface StepInput {
  readonly images: TensorMsg;
  readonly labels: TensorMsg;
  /** lr, and for Adam the bias corrections; dropout masks by input name. */
  readonly extra: Readonly<Record<string, TensorMsg>>;
}

export interface StepResult {
  readonly loss: number;
  readonly accuracy: number;
  readonly ms: number;
}

export type Request =
  | { readonly kind: 'probe' }
  | {
      readonly kind: 'run';
      /** Identifies the model for the session cache (same key ⇒ same bytes). */
      readonly key: string;
      /** Left out when the worker already holds this key's session (it answers MODEL_NEEDED if not). */
      readonly model?: Uint8Array;
      readonly backend: Exclude<BackendName, 'reference'>;
      readonly feeds: Readonly<Record<string, TensorMsg>>;
      /** Outputs to fetch; all when omitted. */
      readonly fetches?: readonly string[];
    }
  | { readonly kind: 'release'; readonly key: string }
  /** Creates a session with ORT's verbose log on and returns the node-placement lines. */
  | {
      readonly kind: 'placement';
      readonly model: Uint8Array;
      readonly backend: Exclude<BackendName, 'reference'>;
    }
  /** Before ORT loads: wasm threads (1 for single-thread benchmarks); ignored once loaded. */
  | { readonly kind: 'configure'; readonly numThreads?: number }
  | {
      readonly kind: 'train:create';
      readonly trainer: string;
      readonly backend: Exclude<BackendName, 'reference'>;
      readonly spec: TrainerSpec;
    }
  | { readonly kind: 'train:step'; readonly trainer: string; readonly input: StepInput }
  | { readonly kind: 'train:read'; readonly trainer: string }
  | { readonly kind: 'train:release'; readonly trainer: string };

export type Reply =
  | { readonly kind: 'probe'; readonly statuses: readonly BackendStatus[] }
  | {
      readonly kind: 'run';
      readonly outputs: Readonly<Record<string, TensorMsg>>;
      readonly backend: Exclude<BackendName, 'reference'>;
      readonly sessionMs: number;
      readonly runMs: number;
    }
  | { readonly kind: 'placement'; readonly lines: readonly string[] }
  | { readonly kind: 'released' }
  | { readonly kind: 'configured'; readonly numThreads: number }
  | { readonly kind: 'train:created'; readonly createMs: number }
  | ({ readonly kind: 'train:step' } & StepResult)
  | { readonly kind: 'train:state'; readonly state: Readonly<Record<string, TensorMsg>> }
  | { readonly kind: 'error'; readonly message: string };

export interface Envelope<T> {
  readonly id: number;
  readonly body: T;
}

/** The engine worker's answer to a `run` without model bytes for a key it holds no session for. */
export const MODEL_NEEDED = 'the engine worker needs the model bytes for this key';
