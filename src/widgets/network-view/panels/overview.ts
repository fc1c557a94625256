/**
 * The overview: the input, then every layer as a column (a row of its own on a narrow screen) of
 * its feature maps, the flat vectors, the scores and the softmax. A click or tap on any cell of
 * any map opens the stepper there; on the keyboard ←/→ (Home/End) choose a map, Enter opens it.
 */
import type { Tensor } from '../../../cnn/index.ts';
import type { Panel, ViewContext } from '../../shared/define';
import { navigate } from '../../shared/grid-nav';
import { allMaps } from '../layout';
import type { MapRef, Stage } from '../layout';
import type { Pass } from '../reference';
import type { NvAction, NvState } from '../state';
import { num } from '../window';
import { cellAt, paintGrid, stageColour, zoomFor } from './paint';

type P = Panel<NvState, Pass | undefined>;

interface Built {
  readonly stages: readonly Stage[];
  readonly maps: readonly MapRef[];
  readonly canvases: HTMLCanvasElement[];
  readonly input: HTMLCanvasElement;
  readonly vectors: Map<number, HTMLElement>;
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text = '') => {
  const e = document.createElement(tag);
  e.className = cls;
  if (text) e.textContent = text;
  return e;
};

/** Map columns inside a stage: a column of maps stays about as tall as the others. */
const columnsFor = (channels: number) => (channels <= 4 ? 1 : channels <= 16 ? 2 : 4);

function build(host: HTMLElement, stages: readonly Stage[]): Built {
  const maps = allMaps(stages);
  const canvases: HTMLCanvasElement[] = [];
  const vectors = new Map<number, HTMLElement>();
  let input!: HTMLCanvasElement;
  const cols: HTMLElement[] = stages.map((stage, i) => {
    const col = el('div', `nv-stage is-${stage.kind}`);
    col.dataset.stage = String(i);
    const head = el('p', 'nv-stage-label', stage.label);
    const shape =
      stage.kind === 'maps'
        ? `${stage.channels} × ${stage.height} × ${stage.width}`
        : `${stage.size} numbers`;
    head.append(el('span', 'nv-shape', shape));
    col.append(head);
    if (stage.kind === 'maps') {
      const grid = el('div', 'nv-maps');
      grid.style.setProperty(
        '--map-cols',
        String(stage.layer < 0 ? 1 : columnsFor(stage.channels)),
      );
      grid.style.setProperty('--map-size', `${Math.min(3.5, Math.max(2.2, stage.width / 8))}rem`);
      for (let c = 0; c < stage.channels; c++) {
        const canvas = el('canvas', 'nv-map');
        canvas.width = stage.width;
        canvas.height = stage.height;
        if (stage.layer < 0) {
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', 'The input image');
          input = canvas;
        } else {
          const index = maps.findIndex((m) => m.stage === i && m.channel === c);
          canvas.dataset.map = String(index);
          canvas.dataset.layer = String(stage.layer);
          canvas.dataset.channel = String(c);
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', `layer ${stage.layer} (${stage.label}), map ${c}`);
          canvases[index] = canvas;
        }
        grid.append(canvas);
      }
      col.append(grid);
    } else {
      const list = stage.size > 32 ? el('div', 'nv-strip') : el('ol', 'nv-vector');
      vectors.set(i, list);
      col.append(list);
    }
    return col;
  });
  host.replaceChildren(...cols);
  return { stages, maps, canvases, input, vectors };
}

function drawVector(
  list: HTMLElement,
  stage: Stage,
  values: ArrayLike<number>,
  softmax: boolean,
  names?: readonly string[],
) {
  if (stage.kind === 'maps') return;
  if (list.classList.contains('nv-strip')) {
    // A long vector (a flatten) as one strip of colour: too many numbers to read one by one.
    let canvas = list.querySelector('canvas');
    if (!canvas) {
      canvas = el('canvas', 'nv-strip-canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `${stage.size} numbers in a row`);
      list.replaceChildren(canvas);
    }
    paintGrid(canvas, values, 0, 1, stage.size, stageColour(stage, values));
    return;
  }
  let top = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[top]!) top = k;
  const largest = Math.max(...Array.from(values, Math.abs), 1e-9);
  const rows = Array.from(values, (v, k) => {
    const li = el('li', k === top ? 'is-top' : '');
    li.dataset.k = String(k);
    li.dataset.value = String(v);
    const bar = el('span', softmax ? 'bar' : `bar ${v < 0 ? 'is-neg' : ''}`);
    bar.style.width = `${Math.max(1, (Math.abs(v) / (softmax ? 1 : largest)) * 100)}%`;
    bar.setAttribute('aria-hidden', 'true');
    const text = softmax ? `${(v * 100).toFixed(1)}%` : num(v, 2);
    const name = names?.[k] ?? String(k);
    if (names) li.classList.add('is-named');
    li.append(el('span', 'k', name), el('span', 'track'), el('span', 'v', text));
    li.querySelector('.track')!.append(bar);
    li.setAttribute('aria-label', `${name}: ${text}`);
    return li;
  });
  list.replaceChildren(...rows);
}

function output(pass: Pass, layer: number): Tensor {
  return layer < 0 ? pass.image : pass.activations[layer]!;
}

export function overviewPanel({ root, $, dispatch, state }: ViewContext<NvState, NvAction>): P {
  const host = $('[data-overview]');
  let built: Built | undefined;
  let drawn: Pass | undefined;

  host.addEventListener('click', (e) => {
    const canvas = (e.target as Element).closest<HTMLCanvasElement>('canvas[data-map]');
    if (!canvas) return;
    const map = Number(canvas.dataset.map);
    const stage = built?.stages[built.maps[map]!.stage];
    if (stage?.kind !== 'maps') return;
    dispatch({ kind: 'open', map, cell: cellAt(e, canvas, stage.height, stage.width) });
    root.querySelector('[data-stepper-panel]')?.scrollIntoView({ block: 'nearest' });
  });
  host.addEventListener('keydown', (e) => {
    const s = state();
    const count = built?.maps.length ?? 0;
    if (!count) return;
    if (e.key === 'Escape') {
      dispatch({ kind: 'close' });
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      const cell = s.open?.map === s.focus ? s.open.cell : 0;
      dispatch({ kind: 'open', map: s.focus, cell });
      root.querySelector<HTMLElement>('[data-stepper]')?.focus();
      return;
    }
    const to = navigate(e.key, s.focus, count);
    if (typeof to !== 'number') return;
    e.preventDefault();
    dispatch({ kind: 'focus', map: to });
  });

  return (s, r, prev) => {
    if (s.net.kind !== 'ready') {
      if (built) host.replaceChildren();
      built = undefined;
      drawn = undefined;
      return;
    }
    if (!built || built.stages !== s.net.stages) {
      // A new network with the same layers keeps the figure; new layers rebuild it.
      const same = built && JSON.stringify(built.stages) === JSON.stringify(s.net.stages);
      if (!same) {
        built = build(host, s.net.stages);
        drawn = undefined;
      }
    }
    const b = built!;
    if (r && r !== drawn && r.net.spec === s.net.net.spec) {
      drawn = r;
      const names = s.net.net.classes;
      b.stages.forEach((stage, i) => {
        if (stage.kind === 'softmax') {
          drawVector(b.vectors.get(i)!, stage, r.probabilities, true, names);
          return;
        }
        const t = output(r, stage.layer);
        if (stage.kind === 'vector') {
          drawVector(b.vectors.get(i)!, stage, t.data, false);
          return;
        }
        const colour = stageColour(stage, t.data, stage.layer < 0);
        const plane = stage.height * stage.width;
        const zoom = zoomFor(stage.width, 48);
        for (let c = 0; c < stage.channels; c++) {
          const canvas =
            stage.layer < 0
              ? b.input
              : b.canvases[b.maps.findIndex((m) => m.stage === i && m.channel === c)]!;
          paintGrid(canvas, t.data, c * plane, stage.height, stage.width, colour, zoom);
        }
      });
      const top = r.probabilities.indexOf(Math.max(...r.probabilities));
      root.dataset.top = String(top);
    }
    if (!prev || prev.focus !== s.focus || prev.open?.map !== s.open?.map || !r) {
      b.canvases.forEach((c, i) => {
        c.classList.toggle('is-focus', i === s.focus);
        c.classList.toggle('is-open', i === s.open?.map);
      });
      const m = b.maps[s.focus];
      if (m)
        host.setAttribute(
          'aria-label',
          `Every feature map of every layer; on layer ${m.layer}, map ${m.channel}. ←/→ choose a map, Enter opens the stepper on it.`,
        );
    }
  };
}
