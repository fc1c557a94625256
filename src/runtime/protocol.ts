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
      readonly model: Uint8Array;
      readonly backend: Exclude<BackendName, 'reference'>;
      readonly feeds: Readonly<Record<string, TensorMsg>>;
      /** Outputs to fetch; all when omitted. */
      readonly fetches?: readonly string[];
      /** Log node placement (ORT verbose log) and return the providers that ran nodes. */
      readonly placement?: boolean;
    }
  | { readonly kind: 'release'; readonly key: string };

export type Reply =
  | { readonly kind: 'probe'; readonly statuses: readonly BackendStatus[] }
  | {
      readonly kind: 'run';
      readonly outputs: Readonly<Record<string, TensorMsg>>;
      readonly backend: Exclude<BackendName, 'reference'>;
      readonly sessionMs: number;
      readonly runMs: number;
      /** With `placement`: ORT's log lines that say which provider got which nodes. */
      readonly placementLog?: readonly string[];
    }
  | { readonly kind: 'released' }
  | { readonly kind: 'error'; readonly message: string };

export interface Envelope<T> {
  readonly id: number;
  readonly body: T;
}
