/**
 * The channels widget's DOM: the RGB picture and its three channel grids, the filter bank with its
 * feature maps (ordinary or depthwise), one cell's sum split by channel, the live parameter counts
 * rendered with KaTeX, and the ORT cross-check.
 */
import katex from 'katex';
import { float32 } from '../../runtime/client';
import { Heatmap } from '../shared/heatmap';
import { maxAbs } from '../shared/palette';
import { TwiceRunner } from '../shared/twice';
import { readParams, writeParams } from '../shared/url-state';
import { Player } from '../shared/player';
import { channelsModel } from './model';
import {
  announce,
  breakdown,
  CHANNELS,
  compute,
  counts,
  countsTex,
  filterCount,
  filterName,
  formatValue,
  fromParams,
  NAMESPACE,
  parseBias,
  parseCount,
  PRESETS,
  SIZE,
  stepCell,
  toParams,
  type ChannelsResult,
  type ChannelsSettings,
  type CountInputs,
  type Mode,
} from './state';

function q<T extends HTMLElement>(root: ParentNode, sel: string): T {
  const el = root.querySelector<T>(sel);
  if (!el) throw new Error(`channels: missing ${sel}`);
  return el;
}

function windowCells(row: number, col: number): number[] {
  const out: number[] = [];
  for (let r = row - 1; r <= row + 1; r++)
    for (let c = col - 1; c <= col + 1; c++)
      if (r >= 0 && r < SIZE && c >= 0 && c < SIZE) out.push(r * SIZE + c);
  return out;
}

export function mountChannels(root: HTMLElement): void {
  const badge = q(root, '[data-badge]');
  const runner = new TwiceRunner(root, badge);
  const note = q(root, '[data-note]');
  const bank = q(root, '[data-bank]');
  const traceEl = q(root, '[data-trace]');
  const restored = fromParams(readParams(NAMESPACE));
  if (restored.ignored.length > 0) {
    note.hidden = false;
    note.textContent = `Some settings in the link could not be used and were replaced by defaults: ${restored.ignored.join('; ')}.`;
  }
  let settings: ChannelsSettings = restored.settings;
  let count: CountInputs = restored.count;
  let result: ChannelsResult = compute(settings);
  let maps: Heatmap[] = [];
  const biasText = settings.biases.map(String);

  // Picture and channel grids.
  const picture = q(root, '[data-picture]');
  for (let r = 0; r < SIZE; r++) {
    for (let c = 0; c < SIZE; c++) {
      const span = document.createElement('span');
      const v = (ch: number) => Math.round(255 * result.x.data[(ch * SIZE + r) * SIZE + c]);
      span.style.background = `rgb(${v(0)} ${v(1)} ${v(2)})`;
      picture.append(span);
    }
  }
  const channelMaps = CHANNELS.map((name, ch) => {
    const m = new Heatmap({
      rows: SIZE,
      cols: SIZE,
      scale: { kind: 'ink' },
      cell: '0.85rem',
      label: `The ${name} channel: ${SIZE}×${SIZE} values from 0 to 1`,
    });
    m.update(result.x.data.subarray(ch * SIZE * SIZE, (ch + 1) * SIZE * SIZE));
    q(root, `[data-channel="${ch}"]`).replaceChildren(m.el);
    return m;
  });

  const player = new Player(
    {
      stage: q(root, '[data-stage]'),
      play: q(root, '[data-play]'),
      prev: q(root, '[data-prev]'),
      next: q(root, '[data-next]'),
      scrub: q(root, '[data-scrub]'),
      position: q(root, '[data-position]'),
      live: q(root, '[data-live]'),
    },
    {
      count: () => SIZE * SIZE,
      show: (step) => showCell(step),
      describe: (step) => announce(result, settings, step),
    },
    500,
  );

  function buildBank(): void {
    const n = filterCount(settings.mode);
    bank.replaceChildren();
    maps = [];
    for (let f = 0; f < n; f++) {
      const card = document.createElement('div');
      card.className = 'filter';
      card.dataset.filter = String(f);
      const title = document.createElement('label');
      title.className = 'pick';
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = `${root.id}-pick`;
      radio.value = String(f);
      radio.checked = f === settings.filter;
      radio.addEventListener('change', () => {
        settings = { ...settings, filter: f };
        showCell(player.step);
      });
      title.append(radio, ` Filter ${f + 1}: ${filterName(settings.mode, f)}`);
      card.append(title);
      if (settings.mode === 'full') {
        const about = document.createElement('p');
        about.className = 'about';
        about.textContent = PRESETS[f].about;
        card.append(about);
      }
      const weights = document.createElement('div');
      weights.className = 'weights';
      const perFilter = result.kernel.shape[1];
      for (let c = 0; c < perFilter; c++) {
        const k = new Heatmap({
          rows: 3,
          cols: 3,
          scale: { kind: 'diverging', maxAbs: 1 },
          decimals: 2,
          cell: '1.9rem',
          label: `Filter ${f + 1} weights on the ${CHANNELS[settings.mode === 'full' ? c : f]} channel`,
        });
        const start = (f * perFilter + c) * 9;
        k.update(result.kernel.data.subarray(start, start + 9));
        const fig = document.createElement('figure');
        const cap = document.createElement('figcaption');
        cap.textContent = CHANNELS[settings.mode === 'full' ? c : f];
        fig.append(k.el, cap);
        weights.append(fig);
      }
      card.append(weights);
      const biasRow = document.createElement('div');
      biasRow.className = 'bias';
      const id = `${root.id}-bias-${f}`;
      const lab = document.createElement('label');
      lab.htmlFor = id;
      lab.textContent = `Bias b${f + 1}`;
      const input = document.createElement('input');
      input.id = id;
      input.type = 'text';
      input.inputMode = 'decimal';
      input.size = 5;
      input.value = biasText[f];
      input.dataset.bias = String(f);
      const err = document.createElement('span');
      err.className = 'field-error';
      err.id = `${id}-err`;
      input.setAttribute('aria-describedby', err.id);
      input.addEventListener('input', () => onBias(f, input, err));
      biasRow.append(lab, input, err);
      card.append(biasRow);
      const map = new Heatmap({
        rows: SIZE,
        cols: SIZE,
        scale: { kind: 'diverging', maxAbs: 1 },
        cell: '0.85rem',
        label: `Feature map ${f + 1} (${filterName(settings.mode, f)}), ${SIZE}×${SIZE}`,
      });
      map.el.dataset.map = String(f);
      const mapFig = document.createElement('figure');
      const mapCap = document.createElement('figcaption');
      mapCap.textContent = `Feature map ${f + 1}`;
      mapFig.append(map.el, mapCap);
      card.append(mapFig);
      maps.push(map);
      bank.append(card);
    }
  }

  function onBias(f: number, input: HTMLInputElement, err: HTMLElement): void {
    biasText[f] = input.value;
    const v = parseBias(input.value, f);
    if (typeof v === 'string') {
      err.textContent = `${v}; the maps keep the last valid bias.`;
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    err.textContent = '';
    input.removeAttribute('aria-invalid');
    const biases = [...settings.biases];
    biases[f] = v;
    settings = { ...settings, biases };
    recompute();
  }

  function recompute(): void {
    result = compute(settings);
    for (let f = 0; f < maps.length; f++) {
      const plane = result.y.data.subarray(f * SIZE * SIZE, (f + 1) * SIZE * SIZE);
      maps[f].update(plane, { kind: 'diverging', maxAbs: Math.max(maxAbs(plane), 1e-6) });
    }
    root.dataset.mode = settings.mode;
    showCell(player.step);
    void runner.run({
      key: `channels:${settings.mode}`,
      model: () => channelsModel(settings.mode, result),
      feeds: {
        x: float32(result.x.shape, result.x.data),
        kernel: float32(result.kernel.shape, result.kernel.data),
        bias: float32(result.bias.shape, result.bias.data),
      },
      expected: { y: result.y.data },
    });
  }

  function showCell(step: number): void {
    const { row, col } = stepCell(step);
    const cell = row * SIZE + col;
    maps.forEach((m, f) => m.highlight('is-current', f === settings.filter ? [cell] : []));
    const win = windowCells(row, col);
    channelMaps.forEach((m, ch) =>
      m.highlight('is-window', settings.mode === 'full' || ch === settings.filter ? win : []),
    );
    const b = breakdown(result, settings, step);
    root.dataset.cellValue = String(b.trace.sum);
    root.dataset.cell = `${settings.filter},${row},${col}`;
    const parts = b.perChannel
      .map((p) => `${CHANNELS[p.channel]} ${formatValue(p.sum)}`)
      .join(' + ');
    traceEl.textContent = `Feature map ${settings.filter + 1}, row ${row}, column ${col}: ${parts} + bias ${formatValue(b.trace.bias)} = ${formatValue(b.trace.sum)}`;
    writeParams(NAMESPACE, toParams(settings, step, count));
  }

  // Mode switch.
  for (const r of root.querySelectorAll<HTMLInputElement>('[data-mode-radio]')) {
    r.checked = r.value === settings.mode;
    r.addEventListener('change', () => {
      if (!r.checked) return;
      settings = { ...settings, mode: r.value as Mode, filter: 0 };
      result = compute(settings);
      buildBank();
      recompute();
    });
  }

  // Parameter counts.
  const countInputs = [...root.querySelectorAll<HTMLInputElement>('[data-count]')];
  function renderCounts(): void {
    const c = counts(count);
    const tex = countsTex(count, c);
    const opts = { displayMode: true, throwOnError: false };
    q(root, '[data-tex="conv"]').innerHTML = katex.renderToString(tex.conv, opts);
    q(root, '[data-tex="dense"]').innerHTML = katex.renderToString(tex.dense, opts);
    q(root, '[data-tex="depthwise"]').innerHTML = katex.renderToString(tex.depthwise, opts);
    const ratio = c.dense / c.conv;
    q(root, '[data-ratio]').textContent =
      `The dense layer needs ${ratio >= 10 ? Math.round(ratio).toLocaleString('en-US') : ratio.toFixed(1)} times as many parameters as the convolution.`;
    root.dataset.convParams = String(c.conv);
    root.dataset.denseParams = String(c.dense);
  }
  for (const input of countInputs) {
    const key = input.dataset.count as keyof CountInputs;
    input.value = String(count[key]);
    const err = q(root, `[data-count-error="${key}"]`);
    input.addEventListener('input', () => {
      const v = parseCount(key, input.value);
      if (typeof v === 'string') {
        err.textContent = v;
        input.setAttribute('aria-invalid', 'true');
        return;
      }
      err.textContent = '';
      input.removeAttribute('aria-invalid');
      count = { ...count, [key]: v };
      renderCounts();
      writeParams(NAMESPACE, toParams(settings, player.step, count));
    });
  }

  buildBank();
  renderCounts();
  player.reset(restored.step);
  recompute();
}
