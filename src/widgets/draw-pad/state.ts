/**
 * The drawing pad, pure: pointer strokes → a 280×280 ink map (a round brush with a soft edge) →
 * preprocessDigit (centred and scaled like MNIST) → 28×28; class probabilities → bars and the
 * sentence to announce; the widget's state and its reducer (the drawing, the request awaited,
 * the answer, what the pad knows of the lab). No DOM.
 */
import { preprocessDigit, type Preprocessed } from '../../data/preprocess';
import { stampSegment as stampInk, type Point } from '../shared/ink';

export const PAD = 280;
/** Brush radius in pad pixels: MNIST strokes are 2–3 px wide at 28 px, i.e. ~20–25 px here. */
export const BRUSH = 11;

export type { Point } from '../shared/ink';

/** The pad's brush (BRUSH unless given) along a→b; see shared/ink.ts. */
export function stampSegment(
  ink: Float32Array,
  side: number,
  a: Point,
  b: Point,
  radius = BRUSH,
): void {
  stampInk(ink, side, a, b, radius);
}

/** Every stroke (a list of points; one point = a dot) painted into a fresh side × side map. */
export function strokesToInk(
  strokes: readonly (readonly Point[])[],
  side = PAD,
  radius = BRUSH,
): Float32Array {
  const ink = new Float32Array(side * side);
  for (const s of strokes) {
    if (s.length === 1) stampSegment(ink, side, s[0], s[0], radius);
    for (let i = 1; i < s.length; i++) stampSegment(ink, side, s[i - 1], s[i], radius);
  }
  return ink;
}

/** The network's input: the pad's ink (bright on dark, like MNIST) centred and scaled to 28×28. */
export function padToInput(ink: Float32Array, side = PAD): Preprocessed {
  return preprocessDigit(ink, side, side, { ink: 'light' });
}

/** A 28×28 digit ([0, 1]) enlarged onto the pad (nearest neighbour), for "load a sample". */
export function digitToInk(pixels: ArrayLike<number>, side = PAD): Float32Array {
  if (pixels.length !== 784) throw new RangeError(`a digit has 784 pixels, got ${pixels.length}`);
  const ink = new Float32Array(side * side);
  const k = 28 / side;
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      ink[y * side + x] = pixels[Math.floor(y * k) * 28 + Math.floor(x * k)];
  return ink;
}

export interface Bar {
  readonly digit: number;
  readonly p: number;
  readonly top: boolean;
}

/** Ten bars; throws if the probabilities are not 10 finite values summing to 1 (± 1e-3). */
export function probabilityBars(probabilities: readonly number[]): Bar[] {
  if (probabilities.length !== 10)
    throw new RangeError(`expected 10 class probabilities, got ${probabilities.length}`);
  const sum = probabilities.reduce((a, b) => a + b, 0);
  if (!probabilities.every(Number.isFinite) || Math.abs(sum - 1) > 1e-3)
    throw new RangeError(
      `class probabilities must be finite and sum to 1, got a sum of ${sum.toFixed(4)}`,
    );
  let top = 0;
  probabilities.forEach((p, k) => {
    if (p > probabilities[top]) top = k;
  });
  return probabilities.map((p, digit) => ({ digit, p, top: digit === top }));
}

/** "The network reads a 3 (92%); next most likely 5 (4%)." */
export function announceTop(bars: readonly Bar[], trained: boolean): string {
  const sorted = [...bars].sort((a, b) => b.p - a.p);
  const pc = (p: number) => `${Math.round(p * 100)}%`;
  const base = `The network reads a ${sorted[0].digit} (${pc(sorted[0].p)}); next most likely ${sorted[1].digit} (${pc(sorted[1].p)}).`;
  return trained ? base : `${base} It has not been trained yet, so this is a guess.`;
}

// ---------------------------------------------------------------- the widget's state

/** What the pad knows of the page's lab (shared/lab.ts `labFacts`, copied at each event). */
export interface PadFacts {
  readonly hasNet: boolean;
  readonly trained: boolean;
}

export interface PadState {
  /** The 28×28 image the network reads; undefined while the pad is empty. */
  readonly input: Float32Array | undefined;
  /** The next sample digit to load. */
  readonly sample: number;
  /** The predict request whose answer is awaited (a newer drawing supersedes it). */
  readonly pending: number | undefined;
  /** The network's answer for the drawing (bars drawn from it), or none yet. */
  readonly probabilities: readonly number[] | undefined;
  readonly facts: PadFacts;
}

export type PadAction =
  /**
   * The drawing changed (a stroke ended, clear, a sample); `id` names its predict request, `facts`
   * are the lab's at that moment (the pad may have woken up after training ended).
   */
  | {
      readonly kind: 'drawn';
      readonly input: Float32Array | undefined;
      readonly id: number;
      readonly facts: PadFacts;
    }
  | { readonly kind: 'sampled' }
  | { readonly kind: 'lab'; readonly facts: PadFacts; readonly idle: boolean }
  | { readonly kind: 'prediction'; readonly id: number; readonly probabilities: readonly number[] };

export const INITIAL_PAD: PadState = {
  input: undefined,
  sample: 0,
  pending: undefined,
  probabilities: undefined,
  facts: { hasNet: false, trained: false },
};

const sameFacts = (a: PadFacts, b: PadFacts) => a.hasNet === b.hasNet && a.trained === b.trained;

export function reducePad(s: PadState, a: PadAction): PadState {
  switch (a.kind) {
    case 'drawn': {
      const facts = sameFacts(a.facts, s.facts) ? s.facts : a.facts;
      if (!a.input)
        return { ...s, facts, input: undefined, pending: undefined, probabilities: undefined };
      // With a network the old bars stay until the answer comes; without, nothing is asked.
      return { ...s, facts, input: a.input, pending: facts.hasNet ? a.id : undefined };
    }
    case 'sampled':
      return { ...s, sample: s.sample + 1 };
    case 'lab': {
      if (!a.idle) return sameFacts(a.facts, s.facts) ? s : { ...s, facts: a.facts };
      // The lab was cleared: its net is gone, and so are the bars it gave.
      return { ...s, facts: a.facts, pending: undefined, probabilities: undefined };
    }
    case 'prediction':
      return a.id === s.pending ? { ...s, pending: undefined, probabilities: a.probabilities } : s;
  }
}

/** What the status line says. */
export function padStatus(s: PadState): string {
  if (s.input && !s.facts.hasNet)
    return 'Train the network above first: there is no network to read your digit yet.';
  if (s.input && s.probabilities)
    return announceTop(probabilityBars(s.probabilities), s.facts.trained);
  if (!s.facts.hasNet) return 'Train the network above first, then draw here.';
  return s.facts.trained
    ? 'Draw a digit (or load a sample); the trained network will read it.'
    : 'The network above has not trained yet: its guesses will be random.';
}

/** `data-state`: empty, predicting, predicted, or idle (a drawing and no network to read it). */
export function padPhase(s: PadState): string {
  if (!s.input) return 'empty';
  if (s.pending !== undefined) return 'predicting';
  return s.probabilities ? 'predicted' : 'idle';
}
