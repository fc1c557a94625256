/**
 * Lesson 10's comparison: each finished run in the table and on one chart (test solid, train
 * batches dashed, clean train dotted where the run measured it).
 */
import type { Panel } from '../../shared/define';
import { loadPlot, mountPlot } from '../../shared/dom';
import { comparisonData } from '../series';
import type { RunSummary } from '../series';
import { percent } from '../state';
import type { LabCtx, LabWidgetState } from '../widget';

const gap = (r: RunSummary) => `${(r.gap * 100).toFixed(1)} points`;
const points = (v: number) => `${(v * 100).toFixed(1)} points`;

async function drawComparison(runs: readonly RunSummary[], at: HTMLElement): Promise<void> {
  const Plot = await loadPlot();
  const data = comparisonData(runs);
  const chart = Plot.plot({
    width: Math.max(280, Math.min(900, at.clientWidth || 640)),
    height: 260,
    marginLeft: 48,
    style: { background: 'transparent', color: 'currentColor', fontSize: '12px' },
    x: { label: 'epoch' },
    y: { label: 'accuracy', grid: true, tickFormat: '.0%' },
    color: { legend: true, scheme: 'dark2' },
    marks: [
      Plot.line(
        data.filter((d) => d.split === 'test'),
        { x: 'epoch', y: 'value', stroke: 'run' },
      ),
      Plot.line(
        data.filter((d) => d.split === 'train'),
        { x: 'epoch', y: 'value', stroke: 'run', strokeDasharray: '4 3' },
      ),
      Plot.line(
        data.filter((d) => d.split === 'clean'),
        {
          x: 'epoch',
          y: 'value',
          stroke: 'run',
          strokeDasharray: '0.5 5',
          strokeWidth: 3,
          strokeLinecap: 'round',
        },
      ),
    ],
  });
  mountPlot(
    at,
    chart,
    `Train and test accuracy of ${runs.length} runs: ${runs.map((r) => `run ${r.id} test ${percent(r.testAccuracy)}, gap ${gap(r)}`).join('; ')}`,
  );
}

export function comparePanel({ root, state }: LabCtx): Panel<LabWidgetState, undefined> {
  const tbody = root.querySelector<HTMLElement>('[data-runs]');
  const at = root.querySelector<HTMLElement>('[data-chart="compare"]');
  if (!tbody || !at) return () => {};
  const draw = (runs: readonly RunSummary[]) => {
    if (runs.length) void drawComparison(runs, at).catch(() => {});
  };
  let resize: ReturnType<typeof setTimeout> | undefined;
  addEventListener('resize', () => {
    clearTimeout(resize);
    resize = setTimeout(() => draw(state().runs), 250);
  });
  return (s, _r, prev) => {
    if (s.runs === prev?.runs) return;
    tbody.replaceChildren(
      ...s.runs.map((r) => {
        const tr = document.createElement('tr');
        const clean = r.cleanTrainAccuracy;
        for (const text of [
          `Run ${r.id}`,
          r.label,
          percent(r.trainAccuracy),
          clean === undefined ? '—' : percent(clean),
          percent(r.testAccuracy),
          gap(r),
          clean === undefined ? '—' : points(clean - r.testAccuracy),
        ])
          tr.insertCell().textContent = text;
        return tr;
      }),
    );
    draw(s.runs);
  };
}
