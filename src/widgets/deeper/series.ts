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

/** The stem's gradient size divided by the last convolution's at `step` (small: vanishing). */
export function stemOverLast(run: NetRun, convs: number, step: number): number | null {
  const g = gradsAt(run, convs, step);
  if (g.length < 2 || !(g[convs - 1]! > 0)) return null;
  return g[0]! / g[convs - 1]!;
}

/** The geometric mean of every convolution's gradient size at `step` (null if one is 0). */
export function typicalSize(run: NetRun, convs: number, step: number): number | null {
  const g = gradsAt(run, convs, step);
  if (!g.length || g.some((v) => !(v > 0))) return null;
  return Math.exp(g.reduce((s, v) => s + Math.log(v), 0) / g.length);
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

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** 0.39, 2.6 × 10⁻⁶: two significant digits, powers of ten below 0.01 and from 1,000. */
export function sci(v: number | null): string {
  if (v === null) return 'none (a gradient is 0)';
  if (v === 0) return '0';
  const e = Math.floor(Math.log10(Math.abs(v)));
  if (e >= -2 && e < 3) return String(Number(v.toPrecision(2)));
  const m = v / 10 ** e;
  const power = String(Math.abs(e))
    .split('')
    .map((d) => SUPERSCRIPT[Number(d)])
    .join('');
  return `${m.toFixed(1)} × 10${e < 0 ? '⁻' : ''}${power}`;
}
