/**
 * The engine self-check: one convolution with every attribute switched on (bias, stride,
 * asymmetric padding, dilation), computed by the reference engine and by ORT on each backend.
 */
import { conv2d, createRng, tensor } from '../../cnn/index.ts';
import type { Tensor } from '../../cnn/index.ts';
import type { BackendStatus } from '../../runtime/backends';
import type { CrossCheck } from '../../runtime/crosscheck';

export interface SelfTestCase {
  readonly x: Tensor; // [1, 3, 12, 12]
  readonly kernel: Tensor; // [4, 3, 3, 3]
  readonly bias: Tensor; // [4]
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly dilations: readonly [number, number];
}

export function selfTestCase(seed = 7): SelfTestCase {
  const rng = createRng(seed);
  const fill = (shape: number[]) =>
    tensor(
      shape,
      Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform() * 2 - 1),
    );
  return {
    x: fill([1, 3, 12, 12]),
    kernel: fill([4, 3, 3, 3]),
    bias: fill([4]),
    strides: [2, 1],
    pads: [1, 0, 2, 1],
    dilations: [1, 2],
  };
}

export function referenceOutput(c: SelfTestCase): Tensor {
  return conv2d(c.x, c.kernel, {
    bias: c.bias,
    strides: c.strides,
    pads: c.pads,
    dilations: c.dilations,
  });
}

export interface Row {
  readonly backend: BackendStatus['name'];
  /** waiting: available, but its build is downloaded only when the reader asks (see initialRows). */
  readonly status: 'waiting' | 'pending' | 'skipped' | 'running' | 'done' | 'failed';
  readonly message: string;
  readonly check?: CrossCheck;
  readonly ms?: number;
}

/**
 * Initial table rows: ORT backends that cannot run are skipped with their reason; the backend
 * widgets use (`chosen`) runs at once; any other waits for the reader, since each backend is its
 * own ORT build (WebGPU's is 28 MB) and a page should not download one nobody asked for.
 */
export function initialRows(
  statuses: readonly BackendStatus[],
  chosen?: BackendStatus['name'],
): Row[] {
  return statuses
    .filter((s) => s.name !== 'reference')
    .map((s) =>
      s.available
        ? {
            backend: s.name,
            status: s.name === chosen ? 'pending' : 'waiting',
            message: s.reason ?? s.detail ?? 'ready',
          }
        : { backend: s.name, status: 'skipped', message: s.reason ?? 'unavailable' },
    );
}

/** The self-check's whole state: the case, its reference result, what the browser offers, the rows. */
export interface EngineState {
  readonly case: SelfTestCase;
  readonly reference: Tensor;
  readonly statuses?: readonly BackendStatus[];
  /** The backend widgets use by default here, and why if not the one asked for. */
  readonly chosen?: BackendStatus['name'];
  readonly note?: string;
  readonly rows: readonly Row[];
  /** Every row has run (or was skipped). */
  readonly finished: boolean;
}

export type EngineAction =
  | {
      readonly kind: 'probed';
      readonly statuses: readonly BackendStatus[];
      readonly chosen: BackendStatus['name'];
      readonly note?: string;
    }
  | { readonly kind: 'row'; readonly index: number; readonly row: Row }
  /** The reader asks for a waiting row's check. */
  | { readonly kind: 'ask'; readonly index: number }
  | { readonly kind: 'finished' };

export function initialEngine(seed = 7): EngineState {
  const c = selfTestCase(seed);
  return { case: c, reference: referenceOutput(c), rows: [], finished: false };
}

export function reduceEngine(s: EngineState, a: EngineAction): EngineState {
  switch (a.kind) {
    case 'probed':
      return {
        ...s,
        statuses: a.statuses,
        chosen: a.chosen,
        note: a.note,
        rows: initialRows(a.statuses, a.chosen),
      };
    case 'row':
      return { ...s, rows: s.rows.map((r, i) => (i === a.index ? a.row : r)) };
    case 'ask':
      if (s.rows[a.index]?.status !== 'waiting') return s;
      return {
        ...s,
        finished: false,
        rows: s.rows.map((r, i) => (i === a.index ? { ...r, status: 'pending' } : r)),
      };
    case 'finished':
      return { ...s, finished: true };
  }
}

/** The checks of the rows that ran. */
export const checksOf = (s: EngineState): CrossCheck[] =>
  s.rows.flatMap((r) => (r.check ? [r.check] : []));
