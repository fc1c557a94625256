/** The training lab's DOM: reads the form, talks to the shared lab, draws the reduced state. */
import { BACKEND_LABEL, chooseBackend } from '../../runtime/backends';
import type { LabEvent } from '../../runtime/lab/protocol';
import type { TensorMsg } from '../../runtime/protocol';
import { loadPlot, mountPlot, q } from '../shared/dom';
import { num, thousands } from '../shared/format';
import { formatError } from '../shared/agreement';
import { parseBackend, readPreferredBackend } from '../shared/backend-pref';
import { Heatmap } from '../shared/heatmap';
import { css, divergingRgb, inkRgb, maxAbs, textOn } from '../shared/palette';
import { readParams, writeParams } from '../shared/url-state';
import {
  DEFAULT_SETTINGS,
  FIELDS,
  OVERFIT_SETTINGS,
  configToSettings,
  parseLabParams,
  settingsLabel,
  settingsToForm,
  settingsToParams,
  toLabConfig,
  validateForm,
  type Field,
  type LabForm,
  type LabSettings,
} from './config';
import { getSharedLab, requestId, type Lab } from '../shared/lab';
import {
  INITIAL_UI,
  announcement,
  chartData,
  clearRun,
  comparisonData,
  confusionRows,
  controls,
  isBusy,
  percent,
  reduce,
  rootData,
  runFraction,
  stateWords,
  summarizeRun,
  worstConfusion,
  type LabUi,
  type RunSummary,
} from './state';

const CHART_EVERY_MS = 600;

/**
 * The form's values, read from the controls themselves. Not `FormData`: it skips controls inside a
 * disabled fieldset, and the settings are locked (disabled) while a run is busy or being restored,
 * so a reload mid-run used to read every field as "" and refuse the next start.
 */
function readForm(form: HTMLFormElement): LabForm {
  const out = {} as LabForm;
  for (const f of FIELDS) {
    const item = form.elements.namedItem(f);
    // a select or input has .value; a radio group is a RadioNodeList whose .value is the checked one
    out[f] = item && 'value' in item ? String(item.value) : '';
  }
  return out;
}

function writeForm(form: HTMLFormElement, values: LabForm): void {
  for (const f of FIELDS) {
    const els = form.querySelectorAll<HTMLInputElement | HTMLSelectElement>(`[name="${f}"]`);
    for (const el of els) {
      if (el instanceof HTMLInputElement && el.type === 'radio')
        el.checked = el.value === values[f];
      else el.value = values[f];
    }
  }
}

function drawDigit(canvas: HTMLCanvasElement, pixels: ArrayLike<number>, scale255 = true): void {
  canvas.width = 28;
  canvas.height = 28;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const [r, g, b] = inkRgb(scale255 ? pixels[i] / 255 : pixels[i]);
    img.data.set([r, g, b, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
}

/** A row of small heatmaps, one per channel of a [.., C, H, W] tensor. */
class MapRow {
  readonly el = document.createElement('div');
  private maps: Heatmap[] = [];
  private key = '';

  constructor(private readonly what: string) {
    this.el.className = 'lab-maprow';
  }

  update(t: TensorMsg, cell: string): void {
    const [h, w] = t.dims.slice(-2);
    const count = t.data.length / (h * w);
    const key = `${count}:${h}:${w}`;
    if (key !== this.key) {
      this.key = key;
      this.maps = Array.from(
        { length: count },
        (_, i) =>
          new Heatmap({
            rows: h,
            cols: w,
            scale: { kind: 'diverging', maxAbs: 1 },
            cell,
            label: `${this.what} ${i + 1} of ${count} (${h}×${w})`,
          }),
      );
      this.el.replaceChildren(...this.maps.map((m) => m.el));
    }
    const data = t.data as Float32Array;
    this.maps.forEach((m, i) => {
      const part = data.subarray(i * h * w, (i + 1) * h * w);
      m.update(part, { kind: 'diverging', maxAbs: maxAbs(part) || 1 });
    });
  }
}

function settingsDefaults(root: HTMLElement): LabSettings {
  return root.dataset.defaults === 'overfit' ? OVERFIT_SETTINGS : DEFAULT_SETTINGS;
}

export async function startTrainingLab(root: HTMLElement): Promise<void> {
  const ns = root.dataset.ns ?? 'lab';
  const defaults = settingsDefaults(root);
  const form = q<HTMLFormElement>(root, 'form[data-settings]');
  const status = q(root, '[data-status]');
  const live = q(root, '[data-live]');
  const badge = q(root, '[data-badge]');
  const compare = root.dataset.compare === 'true';

  // Settings from the URL (garbage → defaults + a note); ?backend= picks the engine.
  const { settings: fromUrl, notes } = parseLabParams(readParams(ns), defaults);
  const urlBackend = parseBackend(new URLSearchParams(location.search).get('backend'));
  writeForm(form, settingsToForm({ ...fromUrl, backend: urlBackend ?? fromUrl.backend }));
  q(root, '[data-note]').textContent = notes.join(' ');

  let ui: LabUi = INITIAL_UI;
  let settingsOfRun: LabSettings | undefined;
  const runs: RunSummary[] = [];
  let lastLive = '';

  const say = (text: string | undefined) => {
    if (!text || text === lastLive) return;
    lastLive = text;
    live.textContent = text;
  };

  // --- validation -------------------------------------------------------------------------------
  const showErrors = (errors: Partial<Record<Field, string>>) => {
    for (const f of FIELDS) {
      const msg = errors[f] ?? '';
      const p = root.querySelector<HTMLElement>(`[data-error="${f}"]`);
      if (p) p.textContent = msg;
      for (const el of form.querySelectorAll<HTMLElement>(`[name="${f}"]`))
        if (msg) el.setAttribute('aria-invalid', 'true');
        else el.removeAttribute('aria-invalid');
    }
  };
  const validate = () => {
    const v = validateForm(readForm(form));
    showErrors(v.ok ? {} : v.errors);
    if (v.ok) writeParams(ns, settingsToParams(v.settings, defaults));
    return v;
  };
  form.addEventListener('input', () => {
    validate();
    render();
  });
  form.addEventListener('submit', (e) => e.preventDefault());

  // --- the lab ----------------------------------------------------------------------------------
  status.textContent = 'Starting the training worker…';
  let lab: Lab;
  try {
    // lesson 10's experiment keeps its own saved run; lesson 9's ('lab') is the one lesson 11 reads
    lab = await getSharedLab(ns === 'lab' ? undefined : ns);
  } catch (error) {
    root.dataset.state = 'error';
    const message = error instanceof Error ? error.message : String(error);
    status.textContent = message;
    q(root, '[data-error-text]').textContent = message;
    q(root, '[data-banner="error"]').hidden = false;
    for (const b of root.querySelectorAll<HTMLButtonElement>('.lab-buttons button'))
      b.disabled = true;
    return;
  }

  const exports = new Set<number>();
  lab.on((e: LabEvent) => {
    if (e.kind === 'prediction') return;
    if (e.kind === 'exported') {
      if (!exports.delete(e.id)) return;
      download(e.bytes);
      say(`Exported convbook-mnist.onnx (${thousands(e.bytes.length)} bytes).`);
      return;
    }
    const prev = ui;
    ui = reduce(ui, e);
    if (e.kind === 'restored') {
      settingsOfRun = configToSettings(e.config, 'auto');
      writeForm(
        form,
        settingsToForm({
          ...settingsOfRun,
          backend: readForm(form).backend as LabSettings['backend'],
        }),
      );
      validate();
    }
    if (
      compare &&
      e.kind === 'status' &&
      e.state === 'done' &&
      prev.state !== 'done' &&
      settingsOfRun
    ) {
      const s = summarizeRun(
        runs.length + 1,
        settingsLabel(settingsOfRun),
        ui.progress?.history ?? [],
        ui.evals,
      );
      if (s) runs.push(s);
      void renderCompare().catch(() => {});
    }
    say(announcement(prev, ui, e, settingsOfRun?.epochs));
    schedule(e.kind === 'eval' || e.kind === 'status' || e.kind === 'snapshot');
  });

  // --- controls ---------------------------------------------------------------------------------
  const button = (action: string) => q<HTMLButtonElement>(root, `[data-action="${action}"]`);
  const startError = q(root, '[data-error="start"]');

  const start = () => {
    const v = validate();
    if (!v.ok) {
      startError.textContent = 'Fix the settings marked above before starting.';
      return;
    }
    startError.textContent = '';
    const requested = v.settings.backend === 'auto' ? readPreferredBackend() : v.settings.backend;
    const { backend, note } = chooseBackend(ui.backends, requested);
    if (note) q(root, '[data-note]').textContent = note;
    settingsOfRun = v.settings;
    ui = { ...clearRun(ui), state: ui.state };
    clearFigures();
    lab.send({
      kind: 'start',
      config: toLabConfig(v.settings, ui.backends.length ? backend : (requested ?? 'wasm')),
    });
    schedule(true);
  };
  button('start').addEventListener('click', start);
  button('pause').addEventListener('click', () => lab.send({ kind: 'pause' }));
  button('resume').addEventListener('click', () => lab.send({ kind: 'resume' }));
  button('step').addEventListener('click', () => lab.send({ kind: 'step' }));
  button('reset').addEventListener('click', () => {
    ui = { ...clearRun(ui), state: ui.state, hasNet: true };
    clearFigures();
    lab.send({ kind: 'reset' });
    schedule(true);
  });
  button('clear').addEventListener('click', () => {
    lab.send({ kind: 'clear' });
    ui = { ...clearRun(ui), state: 'idle' };
    clearFigures();
    say('Saved run cleared.');
    schedule(true);
  });
  button('export').addEventListener('click', () => {
    const id = requestId();
    exports.add(id);
    lab.send({ kind: 'export', id });
  });
  button('recover').addEventListener('click', () => {
    if (!ui.nan) return;
    const lr = ui.nan.lr / 10;
    const lrInput = form.querySelector<HTMLInputElement>('[name="lr"]');
    if (lrInput) lrInput.value = String(Number(lr.toPrecision(6)));
    validate();
    lab.send({ kind: 'recover', lr });
    // Training resumes at once; saying so now (not when the worker answers) also keeps a stale
    // 'stopped-nan' from being read as the next divergence.
    ui = { ...ui, nan: undefined, state: 'training' };
    say(`Continuing from the last good weights with learning rate ${lr.toPrecision(3)}.`);
    schedule(true);
  });
  button('restore-resume').addEventListener('click', () => {
    ui = { ...ui, restored: undefined };
    lab.send({ kind: 'resume' });
    schedule(true);
  });
  button('restore-over').addEventListener('click', () => {
    lab.send({ kind: 'clear' });
    ui = { ...clearRun(ui), state: 'idle' };
    clearFigures();
    schedule(true);
  });
  root.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement;
    if (t.closest('input, select, textarea, button, summary')) return;
    const c = controls(ui);
    if (e.key === ' ') {
      if (c.pause) lab.send({ kind: 'pause' });
      else if (c.resume) lab.send({ kind: 'resume' });
      else return;
      e.preventDefault();
    } else if (e.key === 'ArrowRight' && c.step) {
      lab.send({ kind: 'step' });
      e.preventDefault();
    }
  });

  // --- rendering --------------------------------------------------------------------------------
  const filters = new MapRow('Filter');
  const maps = new MapRow('Feature map');
  const sampleCanvas = document.createElement('canvas');
  sampleCanvas.className = 'lab-digit';
  sampleCanvas.setAttribute('role', 'img');
  let lastSnapshot: LabUi['snapshot'];
  let lastConfusion: readonly number[] | undefined;
  function clearFigures(): void {
    lastSnapshot = undefined;
    lastConfusion = undefined;
    const later = 'Drawn at the end of each epoch.';
    q(root, '[data-grid="filters"]').replaceChildren(dash(later));
    q(root, '[data-grid="maps"]').replaceChildren(dash(later));
    q(root, '[data-confusion]').replaceChildren(dash(later));
    q(root, '[data-gallery]').replaceChildren(dash(later));
    q(root, '[data-out="worst"]').textContent = '';
    q(root, '[data-chart="loss"]').replaceChildren('The curves appear once training starts.');
    q(root, '[data-chart="accuracy"]').replaceChildren();
  }

  let frame = 0;
  let chartsDue = false;
  let lastCharts = 0;
  let chartTimer: ReturnType<typeof setTimeout> | undefined;
  function schedule(chartsNow = false): void {
    chartsDue ||= chartsNow;
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      render();
      const now = performance.now();
      if (chartsDue || now - lastCharts > CHART_EVERY_MS) {
        chartsDue = false;
        lastCharts = now;
        renderCharts().catch((error: unknown) => {
          q(root, '[data-chart="loss"]').textContent =
            `The charts could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
        });
      } else if (!chartTimer) {
        chartTimer = setTimeout(() => {
          chartTimer = undefined;
          schedule(true);
        }, CHART_EVERY_MS);
      }
    });
  }

  function render(): void {
    for (const [k, v] of Object.entries(rootData(ui))) {
      if (v === undefined) delete root.dataset[k];
      else root.dataset[k] = v;
    }
    const c = controls(ui);
    button('start').disabled = !c.start;
    // Settings apply to the next run: locked while one is busy so what is shown is what trains.
    for (const fs of form.querySelectorAll('fieldset')) fs.disabled = isBusy(ui.state);
    button('start').textContent =
      ui.hasNet && !isBusy(ui.state) ? 'Start a new run' : 'Start training';
    button('pause').disabled = !c.pause;
    button('resume').disabled = !c.resume;
    button('step').disabled = !c.step;
    button('reset').disabled = !c.reset;
    button('export').disabled = !c.export;

    const backendText = ui.backend ? ` on ${BACKEND_LABEL[ui.backend]}` : '';
    status.textContent = `${stateWords(ui.state)}${isBusy(ui.state) || ui.state === 'paused' ? backendText : ''}${ui.statusMessage ? ` — ${ui.statusMessage}` : ''}`;

    // Backends and their reasons.
    if (ui.backends.length) {
      const list = q(root, '[data-backends]');
      list.replaceChildren(
        ...ui.backends.map((s) => {
          const li = document.createElement('li');
          li.dataset.backendStatus = s.name;
          li.textContent = `${BACKEND_LABEL[s.name]}: ${s.available ? (s.recommended ? 'available' : 'available, not recommended') : 'unavailable'}${s.reason ? ` — ${s.reason}` : ''}`;
          return li;
        }),
      );
      for (const opt of form.querySelectorAll<HTMLOptionElement>('select[name="backend"] option')) {
        const s = ui.backends.find((b) => b.name === opt.value);
        if (s) opt.disabled = !s.available && s.name !== 'reference';
      }
    }

    // Banners.
    const restored = q(root, '[data-banner="restored"]');
    restored.hidden = !ui.restored;
    if (ui.restored)
      q(root, '[data-restored-text]').textContent =
        `Resumed your run from epoch ${ui.restored.progress.epoch} (${settingsLabel(configToSettings(ui.restored.config, 'auto'))}). Continue it, or start over?`;
    q(root, '[data-banner="notice"]').hidden = !ui.notice;
    q(root, '[data-notice-text]').textContent = ui.notice ?? '';
    q(root, '[data-banner="nan"]').hidden = !ui.nan;
    if (ui.nan)
      q(root, '[data-nan-text]').textContent =
        `At step ${ui.nan.step}, with learning rate ${ui.nan.lr}. ${ui.nan.message} The weights of step ${ui.nan.lastGoodStep} are kept.`;
    q(root, '[data-banner="error"]').hidden = !ui.error;
    q(root, '[data-error-text]').textContent = ui.error ? `Something went wrong: ${ui.error}` : '';

    // Progress and numbers.
    const dataLabel = q(root, '[data-data-progress]');
    dataLabel.hidden = !ui.data || ui.state !== 'loading-data';
    if (ui.data) {
      const bar = q<HTMLProgressElement>(root, '[data-bar="data"]');
      bar.max = Math.max(1, ui.data.total);
      bar.value = ui.data.loaded;
      q(root, '[data-out="data"]').textContent =
        `${(ui.data.loaded / 1e6).toFixed(1)} of ${(ui.data.total / 1e6).toFixed(1)} MB`;
    }
    const p = ui.progress;
    const runBar = q<HTMLProgressElement>(root, '[data-bar="run"]');
    runBar.value = p ? runFraction(p) : 0;
    q(root, '[data-out="run"]').textContent = p
      ? `epoch ${p.epoch}${p.step ? ` + step ${p.step} of ${p.stepsPerEpoch}` : ''} · ${percent(runFraction(p), 0)}`
      : 'not started';
    const last = p?.history.at(-1);
    q(root, '[data-out="epoch"]').textContent = p
      ? `${p.epoch}${settingsOfRun ? ` of ${settingsOfRun.epochs}` : ''} (step ${p.epoch * p.stepsPerEpoch + p.step})`
      : '—';
    q(root, '[data-out="loss"]').textContent = last ? num(last.trainLoss, 4) : '—';
    const test = ui.evals.at(-1);
    q(root, '[data-out="test"]').textContent = test
      ? `${percent(test.testAccuracy, 2)} after epoch ${test.epoch}`
      : '—';
    q(root, '[data-out="speed"]').textContent =
      ui.imagesPerSecond === undefined
        ? '—'
        : `${thousands(Math.round(ui.imagesPerSecond))} images/s`;
    q(root, '[data-out="lr"]').textContent =
      ui.lr === undefined ? '—' : String(Number(ui.lr.toPrecision(4)));
    q(root, '[data-out="seconds"]').textContent = p ? `${p.seconds.toFixed(1)} s` : '—';

    // The agreement badge.
    const cc = ui.crosscheck;
    if (cc) {
      badge.textContent = `${cc.agree ? '✓ agree' : '✗ disagree'}: step ${cc.step} on ${BACKEND_LABEL[cc.backend]}, recomputed on the reference engine — max error ${formatError(cc.maxAbsError)} (tolerance ${formatError(cc.tolerance)})`;
      badge.classList.toggle('is-agree', cc.agree);
      badge.classList.toggle('is-disagree', !cc.agree);
    }

    // Figures (when new).
    renderSnapshot();
  }

  function renderSnapshot(): void {
    const s = ui.snapshot;
    if (!s || s === lastSnapshot) return;
    lastSnapshot = s;
    const [f] = s.filters.dims;
    filters.update(s.filters, f > 8 ? '0.55rem' : '0.8rem');
    const fw = q(root, '[data-grid="filters"]');
    if (!fw.contains(filters.el)) fw.replaceChildren(filters.el);
    const [, , h] = s.featureMaps.dims;
    maps.update(s.featureMaps, h > 24 ? '0.18rem' : '0.22rem');
    drawDigit(sampleCanvas, s.sample.pixels);
    sampleCanvas.setAttribute('aria-label', `The test digit, a ${s.sample.label}`);
    const mw = q(root, '[data-grid="maps"]');
    if (!mw.contains(maps.el)) mw.replaceChildren(sampleCanvas, maps.el);
    q(root, '[data-sample-caption]').textContent =
      `A test digit (a ${s.sample.label}) and its ${s.featureMaps.dims[1]} first-layer feature maps`;
  }

  function renderConfusion(): void {
    if (!ui.confusion || ui.confusion === lastConfusion) return;
    lastConfusion = ui.confusion;
    const rows = confusionRows(ui.confusion);
    const maxErr = Math.max(
      1,
      ...rows.flatMap((r) => r.cells.filter((c) => !c.correct).map((c) => c.count)),
    );
    const table = document.createElement('table');
    table.className = 'lab-confusion';
    table.innerHTML =
      '<caption class="cbw-sr">Confusion matrix: rows are true labels, columns are predictions; each cell counts test digits</caption>';
    const head = table.createTHead().insertRow();
    const corner = document.createElement('th');
    corner.scope = 'col';
    corner.textContent = 'true \\ pred.';
    head.append(corner);
    for (let k = 0; k < 10; k++) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = String(k);
      head.append(th);
    }
    const body = table.createTBody();
    for (const r of rows) {
      const tr = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = String(r.label);
      tr.append(th);
      for (const c of r.cells) {
        const td = tr.insertCell();
        td.textContent = String(c.count);
        const rgb = c.correct
          ? divergingRgb(-c.share, 1)
          : c.count > 0
            ? divergingRgb(0.15 + (0.85 * c.count) / maxErr, 1)
            : divergingRgb(0, 1);
        td.style.background = css(rgb);
        td.style.color = textOn(rgb);
        if (c.correct) td.classList.add('is-diag');
      }
    }
    q(root, '[data-confusion]').replaceChildren(table);
    const worst = worstConfusion(rows);
    q(root, '[data-out="worst"]').textContent = worst
      ? `Most frequent mistake: a ${worst.label} taken for a ${worst.predicted} (${worst.count} times). Blue: correct (the diagonal); orange: mistakes.`
      : 'No mistakes at all.';
    const gallery = q(root, '[data-gallery]');
    gallery.replaceChildren(
      ...ui.misclassified.slice(0, 16).map((m) => {
        const fig = document.createElement('figure');
        const canvas = document.createElement('canvas');
        canvas.className = 'lab-digit';
        drawDigit(canvas, m.pixels);
        canvas.setAttribute('role', 'img');
        canvas.setAttribute(
          'aria-label',
          `Test digit ${m.index}: a ${m.label}, predicted ${m.predicted}`,
        );
        const cap = document.createElement('figcaption');
        cap.textContent = `${m.label} → ${m.predicted} (${percent(m.confidence, 0)})`;
        fig.append(canvas, cap);
        return fig;
      }),
    );
    if (ui.misclassified.length === 0)
      gallery.replaceChildren('None among the digits the lab sent.');
  }

  async function renderCharts(): Promise<void> {
    renderConfusion();
    const p = ui.progress;
    if (!p || p.history.length === 0) return;
    const Plot = await loadPlot();
    const { loss, accuracy } = chartData(p.history, ui.evals);
    const epochs = settingsOfRun?.epochs ?? Math.max(1, Math.ceil(p.history.at(-1)?.epoch ?? 1));
    const width = Math.max(
      280,
      Math.min(640, q(root, '[data-chart="accuracy"]').clientWidth || 640),
    );
    const common = {
      width,
      height: 220,
      marginLeft: 48,
      style: { background: 'transparent', color: 'currentColor', fontSize: '12px' },
      x: { label: 'epoch', domain: [0, epochs] },
      color: {
        legend: true,
        domain: ['train (batches, smoothed)', 'test (held-out digits)'],
        range: ['#2166ac', '#d66010'],
      },
    };
    // training series as lines (one point per step or epoch); test series as dots joined by lines
    const curves = (data: typeof loss) => [
      Plot.lineY(
        data.filter((d) => d.series.startsWith('train')),
        { x: 'epoch', y: 'value', stroke: 'series' },
      ),
      Plot.dot(
        data.filter((d) => d.series.startsWith('test')),
        { x: 'epoch', y: 'value', fill: 'series', r: 4 },
      ),
      Plot.line(
        data.filter((d) => d.series.startsWith('test')),
        { x: 'epoch', y: 'value', stroke: 'series' },
      ),
    ];
    const lossChart = Plot.plot({
      ...common,
      y: { label: 'cross-entropy loss', grid: true, zero: true },
      marks: curves(loss),
    });
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
    const lastLoss = p.history.at(-1)?.trainLoss;
    const test = ui.evals.at(-1);
    mountPlot(
      q(root, '[data-chart="loss"]'),
      lossChart,
      `Training loss over ${p.history.length} steps${lastLoss !== undefined ? `, now ${num(lastLoss, 3)}` : ''}`,
    );
    mountPlot(
      q(root, '[data-chart="accuracy"]'),
      accChart,
      `Accuracy by epoch${test ? `; test accuracy ${percent(test.testAccuracy)} after epoch ${test.epoch}` : ''}`,
    );
  }

  async function renderCompare(): Promise<void> {
    const tbody = root.querySelector<HTMLElement>('[data-runs]');
    if (!tbody) return;
    tbody.replaceChildren(
      ...runs.map((r) => {
        const tr = document.createElement('tr');
        for (const text of [
          `Run ${r.id}`,
          r.label,
          percent(r.trainAccuracy),
          percent(r.testAccuracy),
          `${(r.gap * 100).toFixed(1)} points`,
        ]) {
          const td = tr.insertCell();
          td.textContent = text;
        }
        return tr;
      }),
    );
    if (runs.length === 0) return;
    const Plot = await loadPlot();
    const data = comparisonData(runs);
    const chart = Plot.plot({
      width: Math.max(280, Math.min(900, q(root, '[data-chart="compare"]').clientWidth || 640)),
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
          {
            x: 'epoch',
            y: 'value',
            stroke: 'run',
            strokeDasharray: '4 3',
          },
        ),
      ],
    });
    mountPlot(
      q(root, '[data-chart="compare"]'),
      chart,
      `Train and test accuracy of ${runs.length} runs: ${runs.map((r) => `run ${r.id} test ${percent(r.testAccuracy)}, gap ${(r.gap * 100).toFixed(1)} points`).join('; ')}`,
    );
  }

  function download(bytes: Uint8Array): void {
    const blob = new Blob([bytes as BlobPart], { type: 'application/octet-stream' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = 'convbook-mnist.onnx';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  // Charts are drawn at their column's width: redraw them when the page is resized.
  let resizeTimer: ReturnType<typeof setTimeout> | undefined;
  addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      schedule(true);
      if (compare) void renderCompare().catch(() => {});
    }, 250);
  });

  validate();
  render();
  status.textContent = 'Looking for a saved run…';
  lab.send({ kind: 'restore' });
}

function dash(text = '—'): HTMLElement {
  const s = document.createElement('span');
  s.className = 'lab-muted';
  s.textContent = text;
  return s;
}
