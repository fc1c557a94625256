/**
 * shift-match (lesson 1): shift a digit by whole pixels and score it against the unshifted digit
 * as a naive template — the dot product Σ x·t and the mean squared difference mean((x − t)²).
 * Pure: URL parsing, the shift, the scores and the announcement.
 */
export const MAX_SHIFT = 3;

export interface ShiftState {
  readonly dx: number; // + moves right
  readonly dy: number; // + moves down
}

export const DEFAULT_SHIFT: ShiftState = { dx: 0, dy: 0 };

function parseShift(raw: string | undefined, name: string, notes: string[]): number {
  if (raw === undefined) return 0;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(v) || Math.abs(v) > MAX_SHIFT) {
    notes.push(
      `${name}=${JSON.stringify(raw)} in the link is not a whole number from −${MAX_SHIFT} to ${MAX_SHIFT}; using 0.`,
    );
    return 0;
  }
  return v;
}

/** State from the URL namespace `shift`; anything unusable falls back to 0 with a note. */
export function parseShiftParams(params: ReadonlyMap<string, string>): {
  state: ShiftState;
  notes: string[];
} {
  const notes: string[] = [];
  const dx = parseShift(params.get('dx'), 'shift.dx', notes);
  const dy = parseShift(params.get('dy'), 'shift.dy', notes);
  return { state: { dx, dy }, notes };
}

export function shiftParams(s: ShiftState): Record<string, string | undefined> {
  return { dx: s.dx === 0 ? undefined : String(s.dx), dy: s.dy === 0 ? undefined : String(s.dy) };
}

/** Moves the digit one step, clamped to ±MAX_SHIFT. */
export function nudge(s: ShiftState, ddx: number, ddy: number): ShiftState {
  const clamp = (v: number) => Math.max(-MAX_SHIFT, Math.min(MAX_SHIFT, v));
  return { dx: clamp(s.dx + ddx), dy: clamp(s.dy + ddy) };
}

/** out[r][c] = x[r − dy][c − dx], 0 where that falls outside the image (blank paper). */
export function shiftImage(
  x: ArrayLike<number>,
  rows: number,
  cols: number,
  dx: number,
  dy: number,
): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const sr = r - dy;
    if (sr < 0 || sr >= rows) continue;
    for (let c = 0; c < cols; c++) {
      const sc = c - dx;
      if (sc >= 0 && sc < cols) out[r * cols + c] = x[sr * cols + sc];
    }
  }
  return out;
}

export interface Scores {
  /** x − t, cell by cell. */
  readonly diff: Float32Array;
  /** Σ (x − t)² / n */
  readonly msd: number;
  /** Cells where x and t differ by more than 0.01. */
  readonly cellsDiffering: number;
}

/** Difference grid, mean squared difference and how many cells differ (|x − t| > 0.01). */
export function compare(x: ArrayLike<number>, t: ArrayLike<number>): Scores {
  const diff = new Float32Array(x.length);
  let sq = 0;
  let differing = 0;
  for (let i = 0; i < x.length; i++) {
    diff[i] = x[i] - t[i];
    sq += diff[i] * diff[i];
    if (Math.abs(diff[i]) > 0.01) differing++;
  }
  return { diff, msd: sq / x.length, cellsDiffering: differing };
}

export function describeShift(s: ShiftState): string {
  const h = s.dx === 0 ? '' : `${Math.abs(s.dx)} px ${s.dx > 0 ? 'right' : 'left'}`;
  const v = s.dy === 0 ? '' : `${Math.abs(s.dy)} px ${s.dy > 0 ? 'down' : 'up'}`;
  return h || v ? [h, v].filter(Boolean).join(' and ') : 'not shifted';
}

export function announce(s: ShiftState, dot: number, dot0: number, msd: number): string {
  return `Digit ${describeShift(s)}: match score ${dot.toFixed(2)} (${Math.round((100 * dot) / dot0)}% of the unshifted score), mean squared difference ${msd.toFixed(4)}.`;
}
