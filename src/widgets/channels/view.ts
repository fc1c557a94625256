/**
 * channels (lesson 4), declared on the widget kernel: the RGB picture and its three channel grids,
 * the filter bank with its feature maps (ordinary or depthwise), one cell's sum split by channel,
 * the live parameter counts, and the ORT cross-check of the maps (one Conv node). A Player walks
 * the 16 × 16 cells: ←/→ a cell, ↑/↓ a row, and a click on any cell of a map, a channel or the
 * picture goes there (on a map, that map is selected too).
 */
import { tensorFeeds } from '../shared/net-feeds';
import type { Panel, WidgetSpec } from '../shared/define';
import { onCellPick } from '../shared/grid-nav';
import { Heatmap } from '../shared/heatmap';
import { Player, playerParts } from '../shared/player';
import { readParams } from '../shared/url-state';
import {
  announce,
  breakdown,
  CHANNELS,
  compute,
  filterCount,
  formatValue,
  SIZE,
  stepCell,
} from './filters';
import type { ChannelsResult } from './filters';
import { channelsModel } from './model';
import { bankPanels } from './panels/bank';
import type { Bank } from './panels/bank';
import { countsPanel } from './panels/counts';
import { fromParams, initialState, NAMESPACE, reduceChannels, toParams } from './state';
import type { ChannelsAction, ChannelsState } from './state';

/** The 3 × 3 window around (row, col), inside the picture (padding 1). */
function windowCells(row: number, col: number): number[] {
  const out: number[] = [];
  for (let r = row - 1; r <= row + 1; r++)
    for (let c = col - 1; c <= col + 1; c++)
      if (r >= 0 && r < SIZE && c >= 0 && c < SIZE) out.push(r * SIZE + c);
  return out;
}

/** The picture as coloured cells, and its three channels as grids. */
function drawInputs(root: HTMLElement, x: ChannelsResult['x']): Heatmap[] {
  const picture = root.querySelector<HTMLElement>('[data-picture]')!;
  const v = (ch: number, i: number) => Math.round(255 * x.data[ch * SIZE * SIZE + i]);
  picture.replaceChildren(
    ...Array.from({ length: SIZE * SIZE }, (_, i) => {
      const span = document.createElement('span');
      span.dataset.index = String(i);
      span.style.background = `rgb(${v(0, i)} ${v(1, i)} ${v(2, i)})`;
      return span;
    }),
  );
  return CHANNELS.map((name, ch) => {
    const m = new Heatmap({
      rows: SIZE,
      cols: SIZE,
      scale: { kind: 'channel', channel: ch }, // the red channel in red: 0 black, 1 full red
      cell: '0.85rem',
      label: `The ${name} channel in ${name}: ${SIZE}×${SIZE} values from 0 (black) to 1 (full ${name})`,
    });
    m.update(x.data.subarray(ch * SIZE * SIZE, (ch + 1) * SIZE * SIZE));
    root.querySelector(`[data-channel="${ch}"]`)!.replaceChildren(m.el);
    return m;
  });
}

export const channelsWidget: WidgetSpec<ChannelsState, ChannelsAction, ChannelsResult> = {
  name: 'channels',
  ns: NAMESPACE,
  frame: true,
  init() {
    const { settings, step, count, notes } = fromParams(readParams(NAMESPACE));
    return { state: initialState(settings, step, count), notes };
  },
  reduce: reduceChannels,
  compute: {
    key: ({ settings: s }) => `${s.mode}:${s.biases.slice(0, filterCount(s.mode)).join(',')}`,
    run: (s) => compute(s.settings),
    check: (s, r) => ({
      key: `channels:${s.settings.mode}`,
      model: () => channelsModel(s.settings.mode, r),
      feeds: tensorFeeds(r, 'x', 'kernel', 'bias'),
      expected: { y: r.y.data },
    }),
  },
  params: (s) => toParams(s.settings, s.step, s.count),
  view(ctx) {
    const { root, $, dispatch, state } = ctx;
    const drawn: { result?: ChannelsResult } = {};
    const player = new Player(
      playerParts(root, $('[data-stage]')),
      {
        count: () => SIZE * SIZE,
        cols: () => SIZE,
        show: (step) => dispatch({ kind: 'step', step }),
        describe: (step) => (drawn.result ? announce(drawn.result, state().settings, step) : ''),
      },
      500,
    );
    const channelMaps = drawInputs(root, compute(state().settings).x);
    for (const grid of [
      $('[data-picture]'),
      ...root.querySelectorAll<HTMLElement>('[data-channel]'),
    ])
      onCellPick(grid, (i) => player.pick(i));
    const bank: Bank = { maps: [] };
    const trace = $('[data-trace]');

    const cell: Panel<ChannelsState, ChannelsResult> = (s, r, prev) => {
      drawn.result = r;
      if (!prev || player.step !== s.step) player.reset(s.step); // the first render sets its range
      const { filter, mode } = s.settings;
      if (prev?.step === s.step && prev.settings === s.settings) return;
      const { row, col } = stepCell(s.step);
      const here = row * SIZE + col;
      bank.maps.forEach((m, f) => m.highlight('is-current', f === filter ? [here] : []));
      const win = windowCells(row, col);
      channelMaps.forEach((m, ch) =>
        m.highlight('is-window', mode === 'full' || ch === filter ? win : []),
      );
      for (const radio of root.querySelectorAll<HTMLInputElement>('input[data-pick]'))
        radio.checked = Number(radio.value) === filter;
      const b = breakdown(r, s.settings, s.step);
      root.dataset.cellValue = String(b.trace.sum);
      root.dataset.cell = `${filter},${row},${col}`;
      const parts = b.perChannel
        .map((p) => `${CHANNELS[p.channel]} ${formatValue(p.sum)}`)
        .join(' + ');
      trace.textContent = `Feature map ${filter + 1}, row ${row}, column ${col}: ${parts} + bias ${formatValue(b.trace.bias)} = ${formatValue(b.trace.sum)}`;
    };

    for (const radio of root.querySelectorAll<HTMLInputElement>('input[data-mode]')) {
      radio.checked = radio.value === state().settings.mode;
      radio.addEventListener('change', () => {
        if (radio.checked)
          dispatch({ kind: 'mode', mode: radio.value as ChannelsState['settings']['mode'] });
      });
    }
    const pending: Panel<ChannelsState, ChannelsResult> = (_s, r) => {
      if (drawn.result !== r) root.dataset.agree = 'pending'; // a new check starts with this render
    };
    const pick = (filter: number, index: number) => {
      dispatch({ kind: 'filter', filter });
      player.pick(index);
    };
    return [pending, ...bankPanels(ctx, bank, { pick }), cell, countsPanel(ctx)];
  },
};
