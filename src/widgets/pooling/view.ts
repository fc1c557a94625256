/** pooling's DOM: input editor, settings, the stepper, the translation demo and the badge. */
import {
  avgPool2d,
  maxPool2d,
  poolGeometry,
  type ConvGeometry,
  type Tensor,
} from '../../cnn/index.ts';
import { float32 } from '../../runtime/client';
import { Heatmap } from '../shared/heatmap';
import { maxAbs } from '../shared/palette';
import { TwiceRunner } from '../shared/twice';
import { stepperParts, wireStepper } from '../shared/stepper';
import { prefersReducedMotion } from '../shared/visible';
import { readParams, writeParams } from '../shared/url-state';
import { embedded, q, throttledAnnouncer } from '../shared/dom';
import { thousands } from '../shared/format';
import { poolModel, poolModelKey } from './model';
import {
  changed,
  clampStep,
  describeStep,
  geometry,
  gridText,
  parseGrid,
  parseInteger,
  parsePoolParams,
  poolParams,
  shiftRight,
  TIES_PRESET,
  type Grid,
  type PoolMode,
  type PoolSettings,
} from './state';

const NS = 'pool';

function pool(grid: Grid, s: PoolSettings): Tensor {
  const x = { shape: [1, 1, grid.rows, grid.cols], data: grid.data };
  const attrs = { kernelShape: s.k, strides: s.s, pads: s.p };
  return s.mode === 'max'
    ? maxPool2d(x, attrs)
    : avgPool2d(x, { ...attrs, countIncludePad: s.countIncludePad });
}

export function startPooling(root: HTMLElement): void {
  const digitText = embedded<string>(root, 'digit-crop');
  const badge = q(root, '[data-badge]');
  const runner = new TwiceRunner(root, badge);
  const say = throttledAnnouncer(q(root, '[data-live]'), 900);
  const url = parsePoolParams(readParams(NS));
  q(root, '[data-note]').textContent = url.notes.join(' ');

  const textarea = q<HTMLTextAreaElement>(root, 'textarea[name="grid"]');
  const gridError = q(root, '[data-error="grid"]');
  const settingsError = q(root, '[data-error="settings"]');
  const modeSelect = q<HTMLSelectElement>(root, 'select[name="mode"]');
  const fields = {
    k: q<HTMLInputElement>(root, 'input[name="k"]'),
    s: q<HTMLInputElement>(root, 'input[name="s"]'),
    p: q<HTMLInputElement>(root, 'input[name="p"]'),
  };
  const include = q<HTMLInputElement>(root, 'input[name="inc"]');
  const includeBox = q(root, '[data-include]');
  const scrub = q<HTMLInputElement>(root, 'input[name="step"]');

  // The last valid state: what the figures show.
  const parsedStart = parseGrid(url.text ?? digitText);
  if (!('grid' in parsedStart))
    throw new Error(`the embedded digit crop is unusable: ${parsedStart.error}`);
  let grid: Grid = parsedStart.grid;
  let settings: PoolSettings = url.settings;
  let g: ConvGeometry;
  const first = geometry(grid, settings);
  if ('g' in first) g = first.g;
  else {
    q(root, '[data-note]').textContent +=
      ` The settings in the link do not fit this grid (${first.error}); using 2×2 windows, stride 2.`;
    settings = { ...settings, k: 2, s: 2, p: 0 };
    g = poolGeometry('maxPool2d', [1, 1, grid.rows, grid.cols], { kernelShape: 2 });
  }
  let step = 0;
  let count = g.outHeight * g.outWidth;
  step = clampStep(url.step, count);
  let output: Tensor = pool(grid, settings);

  textarea.value = gridText(grid);
  modeSelect.value = settings.mode;
  fields.k.value = String(settings.k);
  fields.s.value = String(settings.s);
  fields.p.value = String(settings.p);
  include.checked = settings.countIncludePad;

  let inputMap: Heatmap;
  let outputMap: Heatmap;
  let pooledA: Heatmap;
  let pooledB: Heatmap;
  let shiftA: Heatmap;
  let shiftB: Heatmap;
  let shapeKey = '';

  const build = (): void => {
    const key = `${grid.rows}x${grid.cols}/${g.outHeight}x${g.outWidth}/${settings.p}`;
    if (key === shapeKey) return;
    shapeKey = key;
    const p = settings.p;
    const scale = { kind: 'diverging' as const, maxAbs: 1 };
    inputMap = new Heatmap({
      rows: grid.rows + 2 * p,
      cols: grid.cols + 2 * p,
      scale,
      decimals: 2,
      cell: '2.2rem',
      label: `Input grid, ${grid.rows} by ${grid.cols}${p ? `, with ${p} cell${p > 1 ? 's' : ''} of padding drawn around it` : ''}`,
    });
    outputMap = new Heatmap({
      rows: g.outHeight,
      cols: g.outWidth,
      scale,
      decimals: 2,
      cell: '2.2rem',
      label: `Pooled output, ${g.outHeight} by ${g.outWidth}`,
    });
    q(root, '[data-grid="input"]').replaceChildren(inputMap.el);
    q(root, '[data-grid="output"]').replaceChildren(outputMap.el);
    const small = '1.5rem';
    shiftA = new Heatmap({
      rows: grid.rows,
      cols: grid.cols,
      scale,
      cell: small,
      label: 'The input',
    });
    shiftB = new Heatmap({
      rows: grid.rows,
      cols: grid.cols,
      scale,
      cell: small,
      label: 'The input shifted 1 px right; changed cells outlined',
    });
    pooledA = new Heatmap({
      rows: g.outHeight,
      cols: g.outWidth,
      scale,
      decimals: 2,
      cell: '2rem',
      label: 'Pooled input',
    });
    pooledB = new Heatmap({
      rows: g.outHeight,
      cols: g.outWidth,
      scale,
      decimals: 2,
      cell: '2rem',
      label: 'Pooled shifted input; changed cells outlined',
    });
    q(root, '[data-grid="shift-a"]').replaceChildren(shiftA.el);
    q(root, '[data-grid="shift-b"]').replaceChildren(shiftB.el);
    q(root, '[data-grid="pooled-a"]').replaceChildren(pooledA.el);
    q(root, '[data-grid="pooled-b"]').replaceChildren(pooledB.el);
  };

  /** Input drawn with its padding ring; returns display index of input (r, c). */
  const displayIndex = (r: number, c: number) =>
    (r + settings.p) * (grid.cols + 2 * settings.p) + c + settings.p;

  const showStep = (announce = true): void => {
    const v = describeStep(grid, settings, g, step);
    inputMap.highlight(
      'is-window',
      v.cells.map((c) => displayIndex(c.row, c.col)),
    );
    inputMap.highlight('is-winner', v.winner ? [displayIndex(v.winner.row, v.winner.col)] : []);
    outputMap.highlight('is-current', [step]);
    q(root, '[data-out="explain"]').textContent = v.text;
    q(root, '[data-out="step"]').textContent = `Step ${step + 1} of ${count}`;
    scrub.max = String(count - 1);
    scrub.value = String(step);
    scrub.setAttribute(
      'aria-valuetext',
      `Step ${step + 1} of ${count}: output row ${v.row}, column ${v.col}`,
    );
    root.dataset.step = String(step);
    root.dataset.value = String(v.value);
    root.dataset.winner = v.winner ? `${v.winner.row},${v.winner.col}` : '';
    if (announce) say(v.text);
    writeParams(NS, poolParams(settings, grid, step));
  };

  const render = (): void => {
    build();
    const mx = Math.max(maxAbs(grid.data), 1e-6);
    const scale = { kind: 'diverging' as const, maxAbs: mx };
    const p = settings.p;
    const W = grid.cols + 2 * p;
    const display = new Float32Array((grid.rows + 2 * p) * W).fill(Number.NaN);
    for (let r = 0; r < grid.rows; r++)
      for (let c = 0; c < grid.cols; c++)
        display[displayIndex(r, c)] = grid.data[r * grid.cols + c];
    inputMap.update(display, scale);
    const pads: number[] = [];
    display.forEach((v, i) => {
      if (Number.isNaN(v)) {
        pads.push(i);
        const cell = inputMap.cell(i)!;
        cell.textContent = '';
        cell.style.background = 'var(--bg-raised)';
        cell.title = 'padding';
      }
    });
    inputMap.highlight('is-padding', pads);
    output = pool(grid, settings);
    outputMap.update(output.data, scale);
    root.dataset.output = Array.from(output.data, (v) => Math.round(v * 1e4) / 1e4).join(',');

    // Translation tolerance: the same pooling on the input moved 1 px right.
    const shifted = shiftRight(grid);
    const pooledShifted = pool(shifted, settings);
    shiftA.update(grid.data, scale);
    shiftB.update(shifted.data, scale);
    const inChanged = changed(grid.data, shifted.data);
    const outChanged = changed(output.data, pooledShifted.data);
    shiftB.highlight('is-changed', inChanged);
    pooledA.update(output.data, scale);
    pooledB.update(pooledShifted.data, scale);
    pooledB.highlight('is-changed', outChanged);
    const n = grid.rows * grid.cols;
    const m = g.outHeight * g.outWidth;
    root.dataset.changedIn = String(inChanged.length);
    root.dataset.changedOut = String(outChanged.length);
    q(root, '[data-out="changed-in"]').textContent =
      `${inChanged.length} of ${n} (${Math.round((100 * inChanged.length) / n)}%)`;
    q(root, '[data-out="changed-out"]').textContent =
      `${outChanged.length} of ${m} (${Math.round((100 * outChanged.length) / m)}%)`;

    // Size and computation.
    q(root, '[data-out="size"]').textContent =
      `${grid.rows} × ${grid.cols} = ${n} cells → ${g.outHeight} × ${g.outWidth} = ${m} cells (${((100 * m) / n).toFixed(0)}%)`;
    try {
      const g28 = poolGeometry('maxPool2d', [1, 32, 28, 28], {
        kernelShape: settings.k,
        strides: settings.s,
        pads: settings.p,
      });
      const m28 = g28.outHeight * g28.outWidth;
      const before = 28 * 28 * 9 * 32 * 64;
      const after = m28 * 9 * 32 * 64;
      q(root, '[data-out="mnist"]').textContent =
        `28 × 28 → ${g28.outHeight} × ${g28.outWidth}; a following 3×3 convolution from 32 to 64 channels does ${thousands(after)} multiply-adds instead of ${thousands(before)} (${((100 * after) / before).toFixed(0)}%).`;
    } catch (error) {
      q(root, '[data-out="mnist"]').textContent =
        error instanceof Error ? error.message : String(error);
    }
    showStep(false);
    say(
      `${settings.mode === 'max' ? 'Max' : 'Average'} pooling, ${settings.k}×${settings.k} window, stride ${settings.s}, padding ${settings.p}: output ${g.outHeight} by ${g.outWidth}.`,
    );

    void runner.run({
      key: poolModelKey(settings, g),
      model: () => poolModel(settings, g),
      feeds: {
        x: float32([1, 1, grid.rows, grid.cols], grid.data),
        xs: float32([1, 1, grid.rows, grid.cols], shifted.data),
      },
      expected: { y: output.data, ys: pooledShifted.data },
    });
  };

  /** Validates everything the reader has typed; applies it if valid, else says why. */
  const apply = (): void => {
    const parsed = parseGrid(textarea.value);
    if ('error' in parsed) {
      textarea.setAttribute('aria-invalid', 'true');
      gridError.textContent = `${parsed.error} The figures show the last valid grid.`;
      return;
    }
    textarea.removeAttribute('aria-invalid');
    gridError.textContent = '';
    const next: Record<string, number> = {};
    for (const [key, input] of Object.entries(fields)) {
      const name = key === 'k' ? 'window' : key === 's' ? 'stride' : 'padding';
      const r = parseInteger(input.value, name);
      if ('error' in r) {
        input.setAttribute('aria-invalid', 'true');
        settingsError.textContent = `${r.error} The figures show the last valid settings.`;
        return;
      }
      next[key] = r.value;
    }
    const candidate: PoolSettings = {
      mode: modeSelect.value as PoolMode,
      k: next.k,
      s: next.s,
      p: next.p,
      countIncludePad: include.checked,
    };
    const r = geometry(parsed.grid, candidate);
    if ('error' in r) {
      settingsError.textContent = `${r.error}. The figures show the last valid settings.`;
      for (const input of Object.values(fields)) input.setAttribute('aria-invalid', 'true');
      return;
    }
    for (const input of Object.values(fields)) input.removeAttribute('aria-invalid');
    settingsError.textContent = '';
    grid = parsed.grid;
    settings = candidate;
    g = r.g;
    count = g.outHeight * g.outWidth;
    step = clampStep(step, count);
    includeBox.hidden = settings.mode !== 'avg';
    render();
  };

  textarea.addEventListener('input', apply);
  modeSelect.addEventListener('change', apply);
  include.addEventListener('change', apply);
  for (const input of Object.values(fields)) input.addEventListener('input', apply);
  for (const button of root.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
    button.addEventListener('click', () => {
      textarea.value = button.dataset.preset === 'ties' ? TIES_PRESET : digitText;
      apply();
    });
  }
  wireStepper(stepperParts(root), {
    count: () => count,
    step: () => step,
    show: (n) => {
      step = n;
      showStep();
    },
    finished: () => say('Finished: every output cell computed.'),
    delayMs: () => (prefersReducedMotion() ? 1400 : 800),
  });
  includeBox.hidden = settings.mode !== 'avg';
  render();
}
