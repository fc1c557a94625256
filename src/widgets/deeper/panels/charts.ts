/**
 * The figures (Plot, loaded with the first chart): each network's gradient size per convolution
 * and step on one shared log colour scale, both loss curves, and the gradient size per
 * convolution at the chosen step, both networks on one log axis. Redrawn when the run changes,
 * the chosen step only redraws the last chart, and everything again at the new width after a
 * resize.
 */
import type { Panel } from '../../shared/define';
import { loadPlot, mountPlot } from '../../shared/dom';
import { num } from '../../shared/format';
import type { PairRun } from '../train';
import { NETS } from '../model';
import { gradCells, gradsAt, lossSeries, netLabel, sci, sizeDomain, stemOverLast } from '../series';
import type { DeeperState } from '../state';

const STYLE = { background: 'transparent', color: 'currentColor', fontSize: '12px' };
const COLORS = ['#2166ac', '#d66010'];
const widthOf = (el: HTMLElement, max: number) =>
  Math.max(260, Math.min(max, el.clientWidth || max));

type PlotModule = Awaited<ReturnType<typeof loadPlot>>;

/** The loss and per-step charts: both networks on one figure, a colour each, named in the legend. */
function bothNetsChart(
  Plot: PlotModule,
  at: HTMLElement,
  names: readonly string[],
  options: Pick<NonNullable<Parameters<PlotModule['plot']>[0]>, 'marginLeft' | 'x' | 'y' | 'marks'>,
) {
  return Plot.plot({
    width: widthOf(at, 640),
    height: 220,
    style: STYLE,
    color: { legend: true, domain: names, range: COLORS },
    ...options,
  });
}

async function drawRun(
  s: DeeperState,
  r: PairRun,
  heat: readonly HTMLElement[],
  lossAt: HTMLElement,
) {
  const Plot = await loadPlot();
  const domain = sizeDomain(r);
  NETS.forEach((net, k) => {
    const at = heat[k]!;
    const label = netLabel(net, s.settings.skips);
    const run = r[net];
    const chart = Plot.plot({
      width: widthOf(at, 440),
      height: Math.max(140, 14 * r.convs + 60),
      marginLeft: 52,
      style: STYLE,
      x: { label: 'step →', ticks: 5 },
      y: { label: 'conv', reverse: true, ticks: Math.min(r.convs, 8) },
      color: {
        type: 'log',
        domain,
        scheme: 'viridis',
        legend: k === 0,
        label: 'gradient size (RMS)',
      },
      marks: [
        Plot.cell(gradCells(run, r.convs, label), { x: 'step', y: 'conv', fill: 'size', inset: 0 }),
      ],
    });
    const ratio = stemOverLast(run, r.convs, 0);
    mountPlot(
      at,
      chart,
      `Gradient size of each of ${r.convs} convolutions over ${run.losses.length} steps, ${label}: at step 0 the stem's is ${sci(ratio)} times the last convolution's.`,
    );
  });
  const losses = lossSeries(r, s.settings.skips);
  const names = NETS.map((n) => netLabel(n, s.settings.skips));
  const lossChart = bothNetsChart(Plot, lossAt, names, {
    marginLeft: 48,
    x: { label: 'step' },
    y: { label: 'training loss', grid: true, zero: true },
    marks: [Plot.lineY(losses, { x: 'step', y: 'loss', stroke: 'net' })],
  });
  const end = (n: (typeof NETS)[number]) => {
    const l = r[n].losses;
    return l.length ? num(l[l.length - 1]!, 3) : 'none';
  };
  mountPlot(
    lossAt,
    lossChart,
    `Training loss: ${names[0]} ends at ${end('plain')}, ${names[1]} at ${end('skip')}.`,
  );
}

async function drawStep(s: DeeperState, r: PairRun, at: HTMLElement) {
  const Plot = await loadPlot();
  const data = NETS.flatMap((net) =>
    gradsAt(r[net], r.convs, s.at).map((size, conv) => ({
      net: netLabel(net, s.settings.skips),
      conv,
      size,
    })),
  );
  const names = NETS.map((n) => netLabel(n, s.settings.skips));
  const chart = bothNetsChart(Plot, at, names, {
    marginLeft: 56,
    x: { label: 'convolution (0 = the stem, nearest the image)', ticks: Math.min(r.convs, 16) },
    y: { type: 'log', label: `gradient size at step ${s.at}`, grid: true },
    marks: [
      Plot.line(data, { x: 'conv', y: 'size', stroke: 'net' }),
      Plot.dot(data, { x: 'conv', y: 'size', fill: 'net', r: 3 }),
    ],
  });
  mountPlot(
    at,
    chart,
    `Gradient size per convolution at step ${s.at}: ${NETS.map((n) => `${netLabel(n, s.settings.skips)}, the stem's ${sci(stemOverLast(r[n], r.convs, s.at))} times the last's`).join('; ')}.`,
  );
}

export function chartsPanel(
  root: HTMLElement,
  state: () => DeeperState,
  result: () => PairRun | undefined,
): Panel<DeeperState, PairRun> {
  const q = (sel: string) => {
    const el = root.querySelector<HTMLElement>(sel);
    if (!el) throw new Error(`widget markup has no ${sel}`);
    return el;
  };
  const heat = NETS.map((n) => q(`[data-chart="grads-${n}"]`));
  const lossAt = q('[data-chart="loss"]');
  const stepAt = q('[data-chart="step"]');
  let drawnRun: PairRun | undefined;
  let drawnAt = -1;
  let resize: ReturnType<typeof setTimeout> | undefined;
  addEventListener('resize', () => {
    clearTimeout(resize);
    resize = setTimeout(() => {
      const r = result();
      if (!r) return;
      void drawRun(state(), r, heat, lossAt).catch(() => {});
      void drawStep(state(), r, stepAt).catch(() => {});
    }, 250);
  });
  return (s, r) => {
    if (r !== drawnRun) void drawRun(s, r, heat, lossAt).catch(() => {});
    if (r !== drawnRun || s.at !== drawnAt) void drawStep(s, r, stepAt).catch(() => {});
    drawnRun = r;
    drawnAt = s.at;
  };
}
