/**
 * The cross-check every widget shows: how far ORT's numbers are from the reference engine's.
 * Pure (no ORT import), so it is shared by the page, the worker and the tests.
 */
export type BackendName = 'webgpu' | 'wasm' | 'reference';

/**
 * Stated per-backend tolerances on max abs error, for values of order 1. The wasm EP computes in
 * float32 like the reference engine but sums in another order; WebGPU shaders may use fused
 * multiply-add and faster exp/log, hence a looser bound.
 */
export const TOLERANCE: Readonly<Record<BackendName, number>> = {
  wasm: 1e-4,
  webgpu: 1e-3,
  reference: 0,
};

export interface CrossCheck {
  readonly backend: BackendName;
  readonly maxAbsError: number;
  /** max |a − b| / max(|b|, 1e-6): large where the reference is near zero, so it is not judged. */
  readonly maxRelError: number;
  readonly tolerance: number;
  readonly agree: boolean;
  /** Number of values compared. */
  readonly count: number;
}

/**
 * Compares ORT's output with the reference's, element by element. A NaN or Infinity on either
 * side is a disagreement unless both sides hold the same non-finite value.
 */
export function crossCheck(
  backend: BackendName,
  ort: ArrayLike<number>,
  reference: ArrayLike<number>,
  tolerance: number = TOLERANCE[backend],
): CrossCheck {
  if (ort.length !== reference.length) {
    throw new RangeError(
      `crossCheck: ORT gave ${ort.length} values but the reference gave ${reference.length}`,
    );
  }
  let maxAbsError = 0;
  let maxRelError = 0;
  let nonFinite = false;
  for (let i = 0; i < ort.length; i++) {
    const a = ort[i];
    const b = reference[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      if (!Object.is(a, b)) nonFinite = true;
      continue;
    }
    const abs = Math.abs(a - b);
    if (abs > maxAbsError) maxAbsError = abs;
    const rel = abs / Math.max(Math.abs(b), 1e-6);
    if (rel > maxRelError) maxRelError = rel;
  }
  if (nonFinite) maxAbsError = Number.POSITIVE_INFINITY;
  return {
    backend,
    maxAbsError,
    maxRelError,
    tolerance,
    agree: !nonFinite && maxAbsError <= tolerance,
    count: ort.length,
  };
}

/** Combines the checks of several outputs of one computation into one (the worst of each). */
export function mergeChecks(checks: readonly CrossCheck[]): CrossCheck {
  if (checks.length === 0) throw new RangeError('mergeChecks: no checks to merge');
  const first = checks[0];
  return {
    backend: first.backend,
    maxAbsError: Math.max(...checks.map((c) => c.maxAbsError)),
    maxRelError: Math.max(...checks.map((c) => c.maxRelError)),
    tolerance: first.tolerance,
    agree: checks.every((c) => c.agree),
    count: checks.reduce((n, c) => n + c.count, 0),
  };
}
