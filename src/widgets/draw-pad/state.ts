/**
 * The drawing pad, pure: the ink (shared/ink-pad.ts: strokes → a 280×280 ink map → 28×28 like
 * MNIST, shared with the whole-network figure); class probabilities → bars and the
 * sentence to announce; the widget's state and its reducer (the drawing, the request awaited,
 * the answer, what the pad knows of the lab). No DOM.
 */
export {
  BRUSH,
  PAD,
  digitToInk,
  padToInput,
  stampSegment,
  strokesToInk,
  type Point,
} from '../shared/ink-pad';

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
