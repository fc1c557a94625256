/** The per-layer table and its totals: counts at once, the timing columns when they arrive. */
import type { CostTable } from '../counts';
import { bytes, count, ms, shape } from '../format';
import type { CostState } from '../state';
import { trainingActivationBytes } from '../counts';
import { netOf } from '../state';
import type { NetTimings } from '../timings';

const cell = (text: string, title?: string) => {
  const td = document.createElement('td');
  td.textContent = text;
  if (title) td.title = title;
  return td;
};

function shareCell(macs: number, total: number): HTMLTableCellElement {
  const td = document.createElement('td');
  const share = total ? macs / total : 0;
  const wrap = document.createElement('span');
  wrap.className = 'cost-share';
  const bar = document.createElement('span');
  bar.className = 'cost-bar';
  bar.style.width = `${Math.round(share * 60)}px`;
  bar.setAttribute('aria-hidden', 'true');
  wrap.append(bar, `${(share * 100).toFixed(1)} %`);
  td.append(wrap);
  return td;
}

export function drawTable(
  root: HTMLElement,
  rowsEl: HTMLElement,
  totalsEl: HTMLElement,
  statsEl: HTMLElement,
  s: CostState,
  table: CostTable,
  timings: NetTimings | undefined,
): void {
  const byIndex = new Map(timings?.layers.map((l) => [l.index, l]));
  rowsEl.replaceChildren(
    ...table.rows.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.layer = String(r.index);
      tr.dataset.params = String(r.params);
      tr.dataset.macs = String(r.macs);
      tr.dataset.bytes = String(r.bytes);
      const head = document.createElement('th');
      head.scope = 'row';
      head.textContent = `${r.index} ${r.type}`;
      const t = byIndex.get(r.index);
      tr.append(
        head,
        cell(shape(r.outShape)),
        cell(count(r.params), r.params.toLocaleString('en-US')),
        cell(count(r.macs), r.macs.toLocaleString('en-US')),
        shareCell(r.macs, table.macs),
        cell(bytes(r.bytes)),
        cell(ms(t?.referenceMs)),
        cell(ms(t?.ortMs)),
      );
      if (t) {
        if (t.referenceMs !== null) tr.dataset.refMs = String(t.referenceMs);
        if (t.ortMs !== null) tr.dataset.ortMs = String(t.ortMs);
      }
      return tr;
    }),
  );
  const sum = (k: 'referenceMs' | 'ortMs') =>
    timings ? timings.layers.reduce((n, l) => n + (l[k] ?? 0), 0) : undefined;
  const foot = document.createElement('tr');
  const head = document.createElement('th');
  head.scope = 'row';
  head.textContent = 'Total';
  foot.append(
    head,
    cell(''),
    cell(count(table.params), table.params.toLocaleString('en-US')),
    cell(count(table.macs), table.macs.toLocaleString('en-US')),
    cell('100 %'),
    cell(bytes(table.bytes)),
    cell(ms(sum('referenceMs'))),
    cell(ms(timings?.backend ? sum('ortMs') : undefined)),
  );
  totalsEl.replaceChildren(foot);
  root.dataset.params = String(table.params);
  root.dataset.macs = String(table.macs);
  root.dataset.bytes = String(table.bytes);

  const spec = netOf(s);
  const mem = trainingActivationBytes(spec, table, 64);
  const stats: [string, string][] = [
    [
      'Parameters (float32)',
      `${table.params.toLocaleString('en-US')} = ${bytes(4 * table.params)}`,
    ],
    ['Multiply-adds per image', table.macs.toLocaleString('en-US')],
    ['Activations kept for training, batch 64', bytes(mem.training)],
    ['Activations needed at once for inference, batch 64', bytes(mem.inference)],
  ];
  statsEl.replaceChildren(
    ...stats.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      return [dt, dd];
    }),
  );
}
