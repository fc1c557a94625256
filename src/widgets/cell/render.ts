/**
 * Draws a run's outputs below the cell: text as <pre>, tables as real tables, tensors with the
 * widgets' own Heatmap, charts with Observable Plot (loaded only when a chart arrives). Plain
 * data in (protocol.ts), DOM out: the reader's code never touches the page itself.
 */
import { Heatmap } from '../shared/heatmap';
import type { Scale } from '../shared/heatmap';
import type { Output } from './protocol';

function cellSize(cols: number): { cell: string; decimals?: number } {
  if (cols <= 8) return { cell: '2.4rem', decimals: 2 };
  if (cols <= 16) return { cell: '1.1rem' };
  return { cell: cols <= 32 ? '0.55rem' : '0.3rem' };
}

function heatmapFigure(o: Extract<Output, { kind: 'heatmap' }>): HTMLElement {
  let maxAbs = 0;
  for (const v of o.values) if (Number.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
  const scale: Scale = o.diverging ? { kind: 'diverging', maxAbs: maxAbs || 1 } : { kind: 'ink' };
  const size = cellSize(o.cols);
  const map = new Heatmap({
    rows: o.rows,
    cols: o.cols,
    scale,
    cell: size.cell,
    decimals: o.decimals ?? size.decimals,
    label: `${o.label}, ${o.rows} × ${o.cols}${o.diverging ? `, values from −${+maxAbs.toPrecision(3)} to ${+maxAbs.toPrecision(3)}` : ''}`,
  });
  map.update(o.values);
  const figure = document.createElement('figure');
  figure.className = 'cell-map';
  const caption = document.createElement('figcaption');
  caption.textContent = o.label;
  const scroll = document.createElement('div');
  scroll.className = 'cbw-scroll';
  scroll.append(map.el);
  figure.append(scroll, caption);
  return figure;
}

function tableOf(o: Extract<Output, { kind: 'table' }>): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'cbw-scroll';
  wrap.tabIndex = 0;
  wrap.setAttribute('role', 'group');
  wrap.setAttribute('aria-label', 'Table output, scrollable');
  const table = document.createElement('table');
  table.className = 'cell-table';
  const head = table.createTHead().insertRow();
  for (const c of o.columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = c;
    head.append(th);
  }
  const body = table.createTBody();
  for (const r of o.rows) {
    const row = body.insertRow();
    for (const v of r) row.insertCell().textContent = String(v);
  }
  wrap.append(table);
  return wrap;
}

async function chart(o: Extract<Output, { kind: 'plot' }>): Promise<HTMLElement> {
  const Plot = await import('@observablehq/plot');
  const data = o.data as Record<string, number | string>[];
  const channels = { x: o.x, y: o.y, ...(o.z ? { stroke: o.z } : {}) };
  const mark =
    o.mark === 'dot'
      ? Plot.dot(data, { ...channels, ...(o.z ? { fill: o.z } : {}) })
      : o.mark === 'bar'
        ? Plot.barY(data, { x: o.x, y: o.y, ...(o.z ? { fill: o.z } : {}) })
        : Plot.line(data, channels);
  const svg = Plot.plot({
    title: o.title,
    marks: [mark],
    grid: true,
    width: 560,
    height: 260,
    // A chart with series (z) says which colour is which.
    ...(o.z ? { color: { legend: true } } : {}),
  });
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', o.title ?? `A ${o.mark} chart of ${o.y} against ${o.x}`);
  const figure = document.createElement('figure');
  figure.className = 'cell-chart cbw-chart';
  figure.append(svg);
  return figure;
}

/** Appends `o` to `into`; charts arrive a moment later (Plot loads), in order. */
export async function renderOutput(o: Output, into: HTMLElement): Promise<void> {
  const slot = document.createElement('div');
  slot.className = 'cell-output';
  slot.dataset.output = o.kind;
  into.append(slot);
  switch (o.kind) {
    case 'text': {
      const pre = document.createElement('pre');
      pre.textContent = o.text;
      slot.append(pre);
      break;
    }
    case 'check': {
      const p = document.createElement('p');
      p.className = o.pass ? 'cell-check is-pass' : 'cell-check is-fail';
      p.dataset.pass = String(o.pass);
      p.textContent = o.text;
      slot.append(p);
      break;
    }
    case 'table':
      slot.append(tableOf(o));
      break;
    case 'heatmap':
      slot.append(heatmapFigure(o));
      break;
    case 'plot':
      slot.append(await chart(o));
      break;
  }
}
