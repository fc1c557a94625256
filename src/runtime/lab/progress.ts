/**
 * Where a run stands (LabProgress) and its history, pure. Training loss and accuracy are averaged
 * over groups of steps (about 25 points per epoch) so a long run's chart stays small and smooth;
 * the test accuracy and loss are attached to the point that ends each epoch.
 */
import type { HistoryPoint, LabProgress } from './protocol';

export const POINTS_PER_EPOCH = 25;

export class ProgressBook {
  epoch = 0;
  step = 0;
  seconds = 0;
  history: HistoryPoint[] = [];
  private sumLoss = 0;
  private sumAccuracy = 0;
  private pending = 0;
  readonly every: number;

  constructor(
    readonly stepsPerEpoch: number,
    readonly epochs: number,
  ) {
    if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch < 1)
      throw new RangeError(`stepsPerEpoch must be a positive whole number, got ${stepsPerEpoch}`);
    if (!Number.isInteger(epochs) || epochs < 1)
      throw new RangeError(`epochs must be a positive whole number, got ${epochs}`);
    this.every = Math.max(1, Math.round(stepsPerEpoch / POINTS_PER_EPOCH));
  }

  static from(p: LabProgress, epochs: number): ProgressBook {
    const book = new ProgressBook(p.stepsPerEpoch, epochs);
    book.epoch = p.epoch;
    book.step = p.step;
    book.seconds = p.seconds;
    book.history = [...p.history];
    return book;
  }

  get totalSteps(): number {
    return this.stepsPerEpoch * this.epochs;
  }

  /** Steps done since the start of the run. */
  get globalStep(): number {
    return this.epoch * this.stepsPerEpoch + this.step;
  }

  get done(): boolean {
    return this.epoch >= this.epochs;
  }

  /** True when the next step is the last of its epoch. */
  get nextEndsEpoch(): boolean {
    return this.step === this.stepsPerEpoch - 1;
  }

  /** Records a finished step; returns true when it completed an epoch (then call endEpoch). */
  recordStep(loss: number, accuracy: number, seconds: number): boolean {
    this.step += 1;
    this.seconds += seconds;
    this.sumLoss += loss;
    this.sumAccuracy += accuracy;
    this.pending += 1;
    const endsEpoch = this.step === this.stepsPerEpoch;
    if (this.pending >= this.every || endsEpoch) this.flush();
    return endsEpoch;
  }

  private flush(): void {
    if (this.pending === 0) return;
    const global = this.globalStep;
    this.history.push({
      step: global,
      epoch: global / this.stepsPerEpoch,
      trainLoss: this.sumLoss / this.pending,
      trainAccuracy: this.sumAccuracy / this.pending,
      seconds: this.seconds,
    });
    this.sumLoss = 0;
    this.sumAccuracy = 0;
    this.pending = 0;
  }

  /**
   * Closes the epoch: attaches the test figures (and the clean training accuracy, when measured)
   * to its last point and moves to the next.
   */
  endEpoch(testAccuracy: number, testLoss: number, cleanTrainAccuracy?: number): void {
    this.flush();
    const last = this.history[this.history.length - 1];
    if (last && last.step === this.globalStep) {
      this.history[this.history.length - 1] = {
        ...last,
        testAccuracy,
        testLoss,
        ...(cleanTrainAccuracy === undefined ? {} : { cleanTrainAccuracy }),
      };
    }
    this.epoch += 1;
    this.step = 0;
  }

  /**
   * Goes back to global step `step` (after a NaN or a lost device: training continues from the
   * weights saved then). Later history points are dropped; training time is kept (it was spent).
   */
  rewind(step: number): void {
    if (!Number.isInteger(step) || step < 0 || step > this.globalStep)
      throw new RangeError(`cannot rewind to step ${step} from step ${this.globalStep}`);
    this.sumLoss = 0;
    this.sumAccuracy = 0;
    this.pending = 0;
    this.epoch = Math.floor(step / this.stepsPerEpoch);
    this.step = step % this.stepsPerEpoch;
    this.history = this.history.filter((p) => p.step <= step);
  }

  snapshot(): LabProgress {
    return {
      epoch: this.epoch,
      step: this.step,
      stepsPerEpoch: this.stepsPerEpoch,
      totalSteps: this.totalSteps,
      seconds: this.seconds,
      history: [...this.history],
    };
  }
}
