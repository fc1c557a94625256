/** Messages between the page (client.ts) and the engine worker (engine.worker.ts). */
import type { BackendName } from './crosscheck';
import type { BackendStatus } from './backends';

export interface TensorMsg {
  readonly dims: readonly number[];
  readonly type: 'float32' | 'int64' | 'int32';
  readonly data: Float32Array | BigInt64Array | Int32Array;
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
  | { readonly kind: 'configure'; readonly numThreads?: number };

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
  | { readonly kind: 'error'; readonly message: string };

export interface Envelope<T> {
  readonly id: number;
  readonly body: T;
}

/** The engine worker's answer to a `run` without model bytes for a key it holds no session for. */
export const MODEL_NEEDED = 'the engine worker needs the model bytes for this key';
