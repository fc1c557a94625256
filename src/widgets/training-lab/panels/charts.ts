/**
 * The loss and accuracy charts (Plot, loaded with the first chart). Redrawing a chart costs about
 * a frame or more, so they are drawn at most every CHART_EVERY_MS while steps stream in, at once
 * when an epoch ends or the run changes state, and again at the column's width after a resize;
 * each chart in a task of its own, after the state that asked for it has been drawn.
 */
import type { Panel } from '../../shared/define';
import { loadPlot, mountPlot, nextTask } from '../../shared/dom';
import { num } from '../../shared/format';
import { chartData, SERIES } from '../series';
import { percent } from '../state';
import type { LabCtx, LabWidgetState } from '../widget';

export const CHART_EVERY_MS = 1000;
const CURVES_LATER = 'The curves appear once training starts.';

async function drawCharts(
  s: LabWidgetState,
  lossAt: HTMLElement,
  accAt: HTMLElement,
  current: () => boolean,
) {
  const p = s.ui.progress;
  if (!p || p.history.length === 0) return;
  const Plot = await loadPlot();
  await nextTask();
  if (!current()) return;
  const { loss, accuracy } = chartData(p.history, s.ui.evals);
  const epochs = s.run?.epochs ?? Math.max(1, Math.ceil(p.history.at(-1)?.epoch ?? 1));
  const width = Math.max(280, Math.min(640, accAt.clientWidth || 640));
  const common = {
    width,
    height: 220,
    marginLeft: 48,
    style: { background: 'transparent', color: 'currentColor', fontSize: '12px' },
    x: { label: 'epoch', domain: [0, epochs] },
    color: {
      legend: true,
      domain: [SERIES.train, SERIES.clean, SERIES.test],
      range: ['#2166ac', '#1b9e77', '#d66010'],
    },
  };
  // the batches' series as a line (one point per step group); the epoch-end series (test, clean
  // train) as dots joined by lines
  const curves = (data: typeof loss) => {
    const train = data.filter((d) => d.series === SERIES.train);
    const test = data.filter((d) => d.series !== SERIES.train);
    return [
      Plot.lineY(train, { x: 'epoch', y: 'value', stroke: 'series' }),
      Plot.dot(test, { x: 'epoch', y: 'value', fill: 'series', r: 4 }),
      Plot.line(test, { x: 'epoch', y: 'value', stroke: 'series' }),
    ];
  };
  const lastLoss = p.history.at(-1)?.trainLoss;
  mountPlot(
    lossAt,
    Plot.plot({
      ...common,
      // the clean figure is an accuracy only: the loss chart's legend leaves it out
      color: { legend: true, domain: [SERIES.train, SERIES.test], range: ['#2166ac', '#d66010'] },
      y: { label: 'cross-entropy loss', grid: true, zero: true },
      marks: curves(loss),
    }),
    `Training loss over ${p.history.length} steps${lastLoss !== undefined ? `, now ${num(lastLoss, 3)}` : ''}`,
  );
  await nextTask();
  if (!current()) return;
  const lo = Math.min(0.8, ...accuracy.map((d) => d.value));
  const accChart = Plot.plot({
    ...common,
    y: {
      label: 'accuracy',
      grid: true,
      domain: [Math.max(0, Math.floor(lo * 10) / 10), 1],
      tickFormat: '.0%',
    },
    marks: curves(accuracy),
  });
  const test = s.ui.evals.at(-1);
  const clean =
    test?.cleanTrainAccuracy === undefined
      ? ''
      : `, clean training accuracy ${percent(test.cleanTrainAccuracy)}`;
  mountPlot(
    accAt,
    accChart,
    `Accuracy by epoch${test ? `; test accuracy ${percent(test.testAccuracy)}${clean} after epoch ${test.epoch}` : ''}`,
  );
}

export function chartsPanel({ $, state }: LabCtx): Panel<LabWidgetState, undefined> {
  const lossAt = $('[data-chart="loss"]');
  const accAt = $('[data-chart="accuracy"]');
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let drawnRev = -1;
  // A draw spans tasks: a later draw, or a new run, makes an unfinished one stop.
  let seq = 0;
  const draw = () => {
    last = performance.now();
    const mine = ++seq;
    drawCharts(state(), lossAt, accAt, () => mine === seq).catch((error: unknown) => {
      lossAt.textContent = `The charts could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
    });
  };
  let resize: ReturnType<typeof setTimeout> | undefined;
  addEventListener('resize', () => {
    clearTimeout(resize);
    resize = setTimeout(draw, 250);
  });
  return (s, _r, prev) => {
    if (prev && s.figuresRev !== prev.figuresRev) {
      seq++;
      lossAt.replaceChildren(CURVES_LATER);
      accAt.replaceChildren();
    }
    const due = s.chartsRev !== drawnRev;
    if (!due && prev && s.ui.progress === prev.ui.progress && s.ui.evals === prev.ui.evals) return;
    if (due || performance.now() - last > CHART_EVERY_MS) {
      drawnRev = s.chartsRev;
      draw();
    } else
      timer ??= setTimeout(() => {
        timer = undefined;
        requestAnimationFrame(draw);
      }, CHART_EVERY_MS);
  };
}
