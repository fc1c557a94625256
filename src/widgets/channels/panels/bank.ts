/**
 * The filter bank of the channels figure: one card per filter (its weights on each channel it
 * reads, its bias field, its feature map), built again when the mode changes; the maps redrawn
 * when the result changes; each bias field's message.
 */
import type { Panel, ViewContext } from '../../shared/define';
import { onCellPick } from '../../shared/grid-nav';
import { Heatmap } from '../../shared/heatmap';
import { maxAbs } from '../../shared/palette';
import { CHANNELS, PRESETS, SIZE, filterCount, filterName } from '../filters';
import type { ChannelsResult } from '../filters';
import type { ChannelsAction, ChannelsState } from '../state';

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = '') => {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
};

function figure(content: HTMLElement, caption: string): HTMLElement {
  const fig = el('figure');
  fig.append(content, el('figcaption', '', caption));
  return fig;
}

/** The weights of filter `f` on each channel it reads, as 3 × 3 grids. */
function weights(r: ChannelsResult, full: boolean, f: number): HTMLElement {
  const row = el('div', 'chan-weights');
  const perFilter = r.kernel.shape[1];
  for (let c = 0; c < perFilter; c++) {
    const channel = CHANNELS[full ? c : f];
    const k = new Heatmap({
      rows: 3,
      cols: 3,
      scale: { kind: 'diverging', maxAbs: 1 },
      decimals: 2,
      cell: '2.4rem', // two decimals at 12 px
      label: `Filter ${f + 1} weights on the ${channel} channel`,
    });
    const start = (f * perFilter + c) * 9;
    k.update(r.kernel.data.subarray(start, start + 9));
    row.append(figure(k.el, channel));
  }
  return row;
}

export interface Bank {
  /** The feature maps, one per filter of the current mode. */
  maps: Heatmap[];
}

export interface BankHooks {
  /** The reader clicked cell `index` of feature map `filter`. */
  pick(filter: number, index: number): void;
}

export function bankPanels(
  { root, $, dispatch }: ViewContext<ChannelsState, ChannelsAction>,
  bank: Bank,
  hooks: BankHooks,
): Panel<ChannelsState, ChannelsResult>[] {
  const host = $('[data-bank]');
  const ns = root.id || 'chan';

  function card(
    s: ChannelsState,
    r: ChannelsResult,
    f: number,
  ): { card: HTMLElement; map: Heatmap } {
    const { mode } = s.settings;
    const card = el('div', 'chan-filter');
    card.dataset.filter = String(f);
    const title = el('label', 'chan-pick');
    const radio = el('input');
    radio.type = 'radio';
    radio.name = `${ns}-pick`;
    radio.value = String(f);
    radio.dataset.pick = String(f);
    radio.addEventListener('change', () => dispatch({ kind: 'filter', filter: f }));
    title.append(radio, ` Filter ${f + 1}: ${filterName(mode, f)}`);
    card.append(title);
    if (mode === 'full') card.append(el('p', 'chan-about', PRESETS[f].about));
    card.append(weights(r, mode === 'full', f));

    const id = `${ns}-bias-${f}`;
    const field = el('div', 'cbw-field chan-bias');
    const label = el('label', '', `Bias b${f + 1}`);
    label.htmlFor = id;
    const input = el('input');
    Object.assign(input, { id, type: 'text', inputMode: 'decimal', size: 5 });
    input.autocomplete = 'off';
    input.value = s.biasText[f];
    input.dataset.bias = String(f);
    const error = el('span', 'cbw-error');
    error.id = `${id}-err`;
    input.setAttribute('aria-describedby', error.id);
    input.addEventListener('input', () => dispatch({ kind: 'bias', filter: f, raw: input.value }));
    field.append(label, input, error);
    card.append(field);

    const map = new Heatmap({
      rows: SIZE,
      cols: SIZE,
      scale: { kind: 'diverging', maxAbs: 1 },
      cell: '0.85rem',
      label: `Feature map ${f + 1} (${filterName(mode, f)}), ${SIZE}×${SIZE}`,
    });
    map.el.dataset.map = String(f);
    onCellPick(map.el, (i) => hooks.pick(f, i));
    card.append(figure(map.el, `Feature map ${f + 1}`));
    return { card, map };
  }

  const build: Panel<ChannelsState, ChannelsResult> = (s, r, prev) => {
    if (prev?.settings.mode === s.settings.mode) return;
    const cards = Array.from({ length: filterCount(s.settings.mode) }, (_, f) => card(s, r, f));
    bank.maps = cards.map((c) => c.map);
    host.replaceChildren(...cards.map((c) => c.card));
    root.dataset.mode = s.settings.mode;
  };

  const maps: Panel<ChannelsState, ChannelsResult> = (s, r, prev) => {
    const same = prev?.settings.mode === s.settings.mode;
    if (same && prev.settings.biases === s.settings.biases) return;
    bank.maps.forEach((m, f) => {
      const plane = r.y.data.subarray(f * SIZE * SIZE, (f + 1) * SIZE * SIZE);
      m.update(plane, { kind: 'diverging', maxAbs: Math.max(maxAbs(plane), 1e-6) });
    });
  };

  const errors: Panel<ChannelsState, ChannelsResult> = (s, _r, prev) => {
    if (prev?.biasErrors === s.biasErrors && prev.settings.mode === s.settings.mode) return;
    for (const input of host.querySelectorAll<HTMLInputElement>('input[data-bias]')) {
      const text = s.biasErrors[Number(input.dataset.bias)] ?? '';
      host.querySelector(`#${input.id}-err`)!.textContent = text;
      if (text) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  };

  return [build, maps, errors];
}
