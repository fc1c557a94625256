/**
 * What the figure draws, from a run: pure, unit-tested. Convolutions are counted from 0 (the
 * stem) in every readout; steps from 0.
 */
import type { NetName } from './model';
import type { NetRun, PairRun } from './train';

export const NET_LABEL: Readonly<Record<NetName, string>> = {
  plain: 'plain',
  skip: 'with skips',
};

export interface LossPoint {
  readonly net: string;
  readonly step: number;
  readonly loss: number;
}
export interface GradCell {
  readonly net: string;
  readonly step: number;
  /** Convolution 0 is the stem, the last one is next to the head. */
  readonly conv: number;
  readonly size: number;
}

/** The label of the second network: "with skips", or "plain (skips off)" in the control run. */
export const netLabel = (net: NetName, skips: boolean): string =>
  net === 'skip' && !skips ? 'second, skips off' : NET_LABEL[net];

export function lossSeries(r: PairRun, skips: boolean): LossPoint[] {
  const out: LossPoint[] = [];
  for (const net of ['plain', 'skip'] as const) {
    const run = r[net];
    run.losses.forEach((loss, step) => out.push({ net: netLabel(net, skips), step, loss }));
  }
  return out;
}

/** Every step and convolution of one network. */
export function gradCells(run: NetRun, convs: number, label: string): GradCell[] {
  const out: GradCell[] = [];
  const steps = run.grads.length / convs;
  for (let step = 0; step < steps; step++)
    for (let conv = 0; conv < convs; conv++)
      out.push({ net: label, step, conv, size: run.grads[step * convs + conv]! });
  return out;
}

/** One step's gradient size per convolution (empty when that network never reached the step). */
export function gradsAt(run: NetRun, convs: number, step: number): number[] {
  if ((step + 1) * convs > run.grads.length) return [];
  return Array.from(run.grads.subarray(step * convs, (step + 1) * convs));
}

/** How many times smaller the stem's gradient is than the last convolution's, at `step`. */
export function shrink(run: NetRun, convs: number, step: number): number | null {
  const g = gradsAt(run, convs, step);
  if (g.length < 2 || !(g[0]! > 0)) return null;
  return g[convs - 1]! / g[0]!;
}

/** The smallest and largest positive gradient size of both runs: one colour scale for both. */
export function sizeDomain(r: PairRun): [number, number] {
  let lo = Infinity;
  let hi = 0;
  for (const run of [r.plain, r.skip])
    for (const v of run.grads) {
      if (v > 0 && v < lo) lo = v;
      if (v > hi) hi = v;
    }
  return hi > 0 ? [lo, hi] : [1e-8, 1];
}

/** "×1,000" style factor, or a short phrase when there is none. */
export function factor(v: number | null): string {
  if (v === null) return 'no gradient';
  if (v >= 100) return `×${Number(v.toPrecision(2)).toLocaleString('en-US')}`;
  return `×${v.toPrecision(2)}`;
}
