/** What was measured: the images/s chart (Plot) and the two comparisons, counted and timed. */
import { BACKEND_LABEL } from '../../../runtime/backends';
import { loadPlot, mountPlot } from '../../shared/dom';
import { costTable } from '../counts';
import { count, ms, shape } from '../format';
import { COMPARE_CASES } from '../timings';
import type { CompareTimings, NetTimings } from '../timings';

const engineName = (engine: 'reference' | 'ort', backend: NetTimings['backend']) =>
  engine === 'reference' || !backend ? 'reference engine' : BACKEND_LABEL[backend];

export async function drawThroughput(container: HTMLElement, t: NetTimings): Promise<void> {
  const Plot = await loadPlot();
  const data = t.throughput.map((p) => ({ ...p, engine: engineName(p.engine, t.backend) }));
  const chart = Plot.plot({
    width: Math.max(280, Math.min(720, container.clientWidth || 640)),
    height: 240,
    marginLeft: 60,
    style: { background: 'transparent', color: 'currentColor', fontSize: '12px' },
    // The batches are powers of 4: evenly spaced points are a log axis with every tick labelled.
    x: {
      type: 'point',
      label: 'batch size',
      domain: [...new Set(data.map((d) => d.batch))].sort((a, b) => a - b),
    },
    y: { type: 'log', label: 'images per second', grid: true, tickFormat: '~s' },
    color: { legend: true, scheme: 'dark2' },
    marks: [
      Plot.line(data, { x: 'batch', y: 'imagesPerSecond', stroke: 'engine' }),
      Plot.dot(data, { x: 'batch', y: 'imagesPerSecond', fill: 'engine' }),
    ],
  });
  const words = data
    .map((d) => `${d.engine} batch ${d.batch}: ${Math.round(d.imagesPerSecond)} images/s`)
    .join('; ');
  mountPlot(container, chart, `Images per second against batch size: ${words}`);
}

/** The comparison rows: counts at once (the engine's shape rules), times when measured. */
export function drawCompare(body: HTMLElement, result: CompareTimings | undefined): void {
  body.replaceChildren(
    ...COMPARE_CASES.map((c) => {
      const table = costTable(c.spec);
      const t = result?.cases.find((x) => x.id === c.id);
      const tr = document.createElement('tr');
      tr.dataset.case = c.id;
      tr.dataset.params = String(table.params);
      tr.dataset.macs = String(table.macs);
      if (t) tr.dataset.refMs = String(t.referenceMs);
      if (t && t.ortMs !== null) tr.dataset.ortMs = String(t.ortMs);
      const head = document.createElement('th');
      head.scope = 'row';
      head.textContent = c.label;
      const cells = [
        shape(c.spec.inputShape),
        count(table.params),
        count(table.macs),
        ms(t?.referenceMs),
        ms(t?.ortMs),
      ].map((text) => {
        const td = document.createElement('td');
        td.textContent = text;
        return td;
      });
      tr.append(head, ...cells);
      return tr;
    }),
  );
}
