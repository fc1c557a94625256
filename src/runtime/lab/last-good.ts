/**
 * Which weights are "last good", pure. A copy W_k taken after step k is only known to be good
 * once the next step has computed its loss FROM W_k and found it finite and not diverged; until
 * then it is pending. A NaN (or a diverged loss) discards the pending copy, so `recover` and a
 * lost device restart from weights whose loss was seen to be sane.
 */

/** A cross-entropy this large means the right class got probability < e⁻¹⁰⁰: diverged. */
export const DIVERGED_LOSS = 100;

export interface Kept<W> {
  /** Global step after which the weights were copied. */
  readonly step: number;
  readonly weights: W;
}

export function isSaneLoss(loss: number): boolean {
  return Number.isFinite(loss) && loss < DIVERGED_LOSS;
}

export class LastGood<W> {
  private confirmed: Kept<W> | undefined;
  private pending: Kept<W> | undefined;

  /** Weights known to be good without a check (the initial weights, a restored checkpoint). */
  trust(step: number, weights: W): void {
    this.confirmed = { step, weights };
    this.pending = undefined;
  }

  /** A copy taken after step `step`; confirmed by the loss of step `step + 1`. */
  offer(step: number, weights: W): void {
    if (this.confirmed?.step === step) return;
    this.pending = { step, weights };
  }

  /**
   * The loss of the step that took the count from `step − 1` to `step`, i.e. computed from the
   * weights after step `step − 1`.
   */
  observe(step: number, loss: number): void {
    const p = this.pending;
    if (p === undefined) return;
    if (!isSaneLoss(loss)) {
      this.pending = undefined;
    } else if (p.step === step - 1) {
      this.confirmed = p;
      this.pending = undefined;
    }
  }

  get last(): Kept<W> | undefined {
    return this.confirmed;
  }

  /** Whether a copy should be taken after global step `step`. */
  static due(step: number, every: number, endsEpoch: boolean): boolean {
    return endsEpoch || step % every === 0;
  }
}
