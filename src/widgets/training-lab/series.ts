/**
 * What the lab's figures draw, from the reduced state: run progress, the smoothed chart series,
 * the confusion matrix's rows and the summaries of finished runs (lesson 10's comparison). Pure.
 */
import type { HistoryPoint, LabProgress } from '../../runtime/lab/protocol';
import type { EvalPoint } from './state';

/** Progress through the whole run, 0…1. */
export function runFraction(p: LabProgress): number {
  if (p.totalSteps <= 0) return 0;
  return Math.min(1, (p.epoch * p.stepsPerEpoch + p.step) / p.totalSteps);
}

/** Trailing moving average (the per-batch curves are noisy). */
export function smooth(values: readonly number[], window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= window) sum -= values[i - window];
    out.push(sum / Math.min(i + 1, window));
  }
  return out;
}

export interface SeriesPoint {
  readonly epoch: number;
  readonly value: number;
  readonly series: string;
}

/** The charts' series names (the legend's entries). */
export const SERIES = {
  train: 'train (batches, smoothed)',
  clean: 'train, clean (no augm., no dropout)',
  test: 'test (held-out digits)',
} as const;

/**
 * The charts' data from the history: loss (train, smoothed per batch; test at epoch ends) and
 * accuracy (train smoothed; clean train and test at epoch ends). Non-finite values (a NaN step)
 * are left out; runs saved before the clean figure existed simply have no clean points.
 */
export function chartData(
  history: readonly HistoryPoint[],
  evals: readonly EvalPoint[],
  window = 10,
): { loss: SeriesPoint[]; accuracy: SeriesPoint[] } {
  const finite = history.filter((h) => Number.isFinite(h.trainLoss));
  const loss = smooth(
    finite.map((h) => h.trainLoss),
    window,
  );
  const acc = smooth(
    finite.map((h) => h.trainAccuracy),
    window,
  );
  const lossPts: SeriesPoint[] = finite.map((h, i) => ({
    epoch: h.epoch,
    value: loss[i],
    series: SERIES.train,
  }));
  const accPts: SeriesPoint[] = finite.map((h, i) => ({
    epoch: h.epoch,
    value: acc[i],
    series: SERIES.train,
  }));
  for (const e of evals) {
    if (Number.isFinite(e.testLoss))
      lossPts.push({ epoch: e.epoch, value: e.testLoss, series: SERIES.test });
    accPts.push({ epoch: e.epoch, value: e.testAccuracy, series: SERIES.test });
    if (e.cleanTrainAccuracy !== undefined)
      accPts.push({ epoch: e.epoch, value: e.cleanTrainAccuracy, series: SERIES.clean });
  }
  return { loss: lossPts, accuracy: accPts };
}

export interface ConfusionCell {
  readonly label: number;
  readonly predicted: number;
  readonly count: number;
  /** Share of this label's digits. */
  readonly share: number;
  readonly correct: boolean;
}
export interface ConfusionRow {
  readonly label: number;
  readonly total: number;
  readonly correct: number;
  readonly cells: readonly ConfusionCell[];
}

/** 100 counts (row = true label, column = prediction) → rows with shares; throws on bad size. */
export function confusionRows(counts: readonly number[]): ConfusionRow[] {
  if (counts.length !== 100)
    throw new RangeError(`a confusion matrix needs 10×10 = 100 counts, got ${counts.length}`);
  const rows: ConfusionRow[] = [];
  for (let label = 0; label < 10; label++) {
    const row = counts.slice(label * 10, label * 10 + 10);
    const total = row.reduce((a, b) => a + b, 0);
    rows.push({
      label,
      total,
      correct: row[label],
      cells: row.map((count, predicted) => ({
        label,
        predicted,
        count,
        share: total > 0 ? count / total : 0,
        correct: predicted === label,
      })),
    });
  }
  return rows;
}

/** The most frequent mistake, e.g. "4 taken for 9 (12 times)". */
export function worstConfusion(rows: readonly ConfusionRow[]): ConfusionCell | undefined {
  let worst: ConfusionCell | undefined;
  for (const r of rows)
    for (const c of r.cells)
      if (!c.correct && c.count > 0 && (!worst || c.count > worst.count)) worst = c;
  return worst;
}

/** A finished run kept for lesson 10's comparison. */
export interface RunSummary {
  readonly id: number;
  readonly label: string;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  /** train − test accuracy: the generalisation gap. */
  readonly gap: number;
  /** The last epoch's clean training accuracy (none in runs saved before it was measured). */
  readonly cleanTrainAccuracy?: number;
  readonly epochs: readonly EpochSummary[];
}

export interface EpochSummary {
  readonly epoch: number;
  readonly train: number;
  readonly test: number;
  readonly clean?: number;
}

/**
 * A run's summary: per epoch, the mean training-batch accuracy over that epoch's steps and the
 * test accuracy measured at its end; the final figures are the last epoch's.
 */
export function summarizeRun(
  id: number,
  label: string,
  history: readonly HistoryPoint[],
  evals: readonly EvalPoint[],
): RunSummary | undefined {
  const epochs: EpochSummary[] = [];
  for (const e of evals) {
    const inEpoch = history.filter(
      (h) => h.epoch > e.epoch - 1 && h.epoch <= e.epoch && Number.isFinite(h.trainAccuracy),
    );
    if (inEpoch.length === 0) continue;
    const train = inEpoch.reduce((s, h) => s + h.trainAccuracy, 0) / inEpoch.length;
    epochs.push({
      epoch: e.epoch,
      train,
      test: e.testAccuracy,
      ...(e.cleanTrainAccuracy === undefined ? {} : { clean: e.cleanTrainAccuracy }),
    });
  }
  const last = epochs.at(-1);
  if (!last) return undefined;
  return {
    id,
    label,
    trainAccuracy: last.train,
    testAccuracy: last.test,
    gap: last.train - last.test,
    ...(last.clean === undefined ? {} : { cleanTrainAccuracy: last.clean }),
    epochs,
  };
}

export interface ComparisonRow {
  readonly epoch: number;
  readonly value: number;
  readonly run: string;
  readonly split: 'train' | 'clean' | 'test';
}

/** Long-format rows for the comparison chart: one line per run and split (clean where measured). */
export function comparisonData(runs: readonly RunSummary[]): ComparisonRow[] {
  const out: ComparisonRow[] = [];
  for (const r of runs)
    for (const e of r.epochs) {
      out.push({ epoch: e.epoch, value: e.train, run: `Run ${r.id}`, split: 'train' });
      out.push({ epoch: e.epoch, value: e.test, run: `Run ${r.id}`, split: 'test' });
      if (e.clean !== undefined)
        out.push({ epoch: e.epoch, value: e.clean, run: `Run ${r.id}`, split: 'clean' });
    }
  return out;
}
