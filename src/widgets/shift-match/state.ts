/**
 * shift-match (lesson 1): shift a digit by whole pixels and score it against the unshifted digit
 * as a naive template — the dot product Σ x·t and the mean squared difference mean((x − t)²) —
 * and against one template of every digit, each scaled to length 1, so the reader sees the
 * shifted digit lose to another digit's template. Pure: the settings, the reducer, the shift, the
 * scores and the announcement.
 */
import { linear, tensor } from '../../cnn/index.ts';
import { fieldParams, integer, linkReader } from '../shared/fields';

export const MAX_SHIFT = 3;
export const SIZE = 28;

/** The two settings, declared once: link keys `shift.dx`, `shift.dy`. */
export const FIELDS = {
  dx: integer('dx', 'horizontal shift dx', { min: -MAX_SHIFT, max: MAX_SHIFT, initial: 0 }),
  dy: integer('dy', 'vertical shift dy', { min: -MAX_SHIFT, max: MAX_SHIFT, initial: 0 }),
} as const;

export interface Shift {
  readonly dx: number; // + moves right
  readonly dy: number; // + moves down
}

/** One template of a digit class (a real MNIST digit, embedded at build time). */
export interface Template {
  readonly label: number;
  readonly pixels: Float32Array;
}

/**
 * The whole state: the shift, the digit it moves (the template, fixed at build time), its label,
 * and the templates it is matched against, one per digit (its own class's is the digit itself).
 */
export interface ShiftState extends Shift {
  readonly template: Float32Array;
  readonly label: number;
  readonly rivals: readonly Template[];
}

export type ShiftAction =
  | { readonly kind: 'move'; readonly ddx: number; readonly ddy: number }
  | { readonly kind: 'reset' };

/** The arrow keys and buttons: the step each one moves the digit. */
export const MOVES: Readonly<Record<string, readonly [number, number]>> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** A move past ±MAX_SHIFT, or a reset when not shifted, returns `state` itself (nothing to draw). */
export function reduceShift(state: ShiftState, action: ShiftAction): ShiftState {
  const next = action.kind === 'reset' ? { dx: 0, dy: 0 } : nudge(state, action.ddx, action.ddy);
  return next.dx === state.dx && next.dy === state.dy ? state : { ...state, ...next };
}

/** State from the URL namespace `shift`; anything unusable falls back to 0 with a note. */
export const parseShiftParams = linkReader(FIELDS);

export const shiftParams = (s: Shift) => fieldParams(FIELDS, s);

/** Moves the digit one step, clamped to ±MAX_SHIFT. */
export function nudge(s: Shift, ddx: number, ddy: number): Shift {
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

/** How well x matches one digit's template: the cosine of the angle between the two grids. */
export interface Match {
  readonly label: number;
  readonly score: number;
}

export interface ShiftResult extends Scores {
  /** The shifted digit. */
  readonly x: Float32Array;
  /** Σ x·t (the reference engine's linear). */
  readonly score: number;
  /** Σ t·t: the unshifted score. */
  readonly score0: number;
  /** Σ x·t̂ for each rival template t̂ scaled to length 1 (what ORT checks), in the rivals' order. */
  readonly dots: Float32Array;
  /** Each rival's cosine Σ x·t̂ / |x|, in the rivals' order (0 for a blank x). */
  readonly matches: readonly Match[];
  /** The label of the best match: the digit the matcher reads. */
  readonly winner: number;
}

/** The rivals as one [k, n] matrix, each row scaled to length 1 (a blank row stays 0). */
export function unitRows(rivals: readonly Template[]): Float32Array {
  const n = rivals[0]?.pixels.length ?? 0;
  const out = new Float32Array(rivals.length * n);
  rivals.forEach((t, k) => {
    let sq = 0;
    for (const v of t.pixels) sq += v * v;
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let i = 0; i < n; i++) out[k * n + i] = t.pixels[i] * inv;
  });
  return out;
}

/** The reference result for a state: shift, score with `linear`, compare, match every rival. */
export function computeShift(s: ShiftState): ShiftResult {
  const n = s.template.length;
  const side = Math.round(Math.sqrt(n));
  const t = tensor([1, n], s.template);
  const x = shiftImage(s.template, side, side, s.dx, s.dy);
  const xt = tensor([1, n], x);
  const dots = s.rivals.length
    ? linear(xt, tensor([s.rivals.length, n], unitRows(s.rivals))).data
    : new Float32Array(0);
  const length = Math.sqrt(linear(xt, xt).data[0]);
  const matches = s.rivals.map((r, k) => ({
    label: r.label,
    score: length > 0 ? dots[k] / length : 0,
  }));
  const best = matches.reduce<Match | null>((b, m) => (b && b.score >= m.score ? b : m), null);
  return {
    x,
    score: linear(xt, t).data[0],
    score0: linear(t, t).data[0],
    ...compare(x, s.template),
    dots,
    matches,
    winner: best?.label ?? s.label,
  };
}

/** What the matcher reads, in words: "reads it as a 0 (0.504 against the 7's own 0.356)". */
export function verdict(label: number, r: ShiftResult): string {
  const own = r.matches.find((m) => m.label === label);
  const best = r.matches.find((m) => m.label === r.winner);
  if (!own || !best) return '';
  if (r.winner === label)
    return `Still read as a ${label}: its own template matches best (${own.score.toFixed(3)}).`;
  return `Now read as a ${r.winner}: the ${r.winner}'s template scores ${best.score.toFixed(3)}, the ${label}'s own template only ${own.score.toFixed(3)}.`;
}

export function describeShift(s: Shift): string {
  const h = s.dx === 0 ? '' : `${Math.abs(s.dx)} px ${s.dx > 0 ? 'right' : 'left'}`;
  const v = s.dy === 0 ? '' : `${Math.abs(s.dy)} px ${s.dy > 0 ? 'down' : 'up'}`;
  return h || v ? [h, v].filter(Boolean).join(' and ') : 'not shifted';
}

export function announce(s: Shift, dot: number, dot0: number, msd: number): string {
  return `Digit ${describeShift(s)}: match score ${dot.toFixed(2)} (${Math.round((100 * dot) / dot0)}% of the unshifted score), mean squared difference ${msd.toFixed(4)}.`;
}
