/**
 * pooling, declared on the widget kernel: the grid editor, presets and settings dispatch one
 * `edit` with every control's value; the stepper (shared/stepper.ts: ←/→ a cell, ↑/↓ a row of the
 * output, Home/End, Space, a click on an output cell) dispatches `step`. The grids, the sentence,
 * the counts and the badge follow. ORT checks the pooled input and the pooled shifted input.
 */
import { poolGeometry } from '../../cnn/index.ts';
import { float32 } from '../../runtime/client';
import type { WidgetSpec } from '../shared/define';
import { embedded } from '../shared/dom';
import { thousands } from '../shared/format';
import { stepperParts, wireStepper } from '../shared/stepper';
import { readParams } from '../shared/url-state';
import { prefersReducedMotion } from '../shared/visible';
import { poolModel, poolModelKey } from './model';
import { PoolMaps } from './panels/maps';
import {
  computeKey,
  computePool,
  describeSettings,
  gridText,
  initialPool,
  parseGrid,
  poolParams,
  reducePool,
  TIES_PRESET,
} from './state';
import type { PoolAction, PoolResult, PoolState } from './state';
import { describeStep } from './step';

type Prev = PoolState | undefined;
const sameResult = (s: PoolState, p: Prev) => p?.grid === s.grid && p.settings === s.settings;
const stepText = (s: PoolState) => describeStep(s.grid, s.settings, s.g, s.step).text;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;

/** The same settings on a 28 × 28 map, and what they save a following 3×3 convolution. */
function onMnist(s: PoolState): string {
  try {
    const g = poolGeometry('maxPool2d', [1, 32, 28, 28], {
      kernelShape: s.settings.k,
      strides: s.settings.s,
      pads: s.settings.p,
    });
    const before = 28 * 28 * 9 * 32 * 64;
    const after = g.outHeight * g.outWidth * 9 * 32 * 64;
    return `28 × 28 → ${g.outHeight} × ${g.outWidth}; a following 3×3 convolution from 32 to 64 channels does ${thousands(after)} multiply-adds instead of ${thousands(before)} (${pct(after, before)}).`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export const poolingWidget: WidgetSpec<PoolState, PoolAction, PoolResult> = {
  name: 'pooling',
  ns: 'pool',
  announceMs: 900,
  init(root) {
    const crop = parseGrid(embedded<string>(root, 'digit-crop'));
    if (!crop.ok) throw new Error(`the embedded digit crop is unusable: ${crop.error}`);
    return initialPool(readParams('pool'), crop.value);
  },
  reduce: reducePool,
  compute: {
    key: computeKey,
    run: computePool,
    check: (s, r) => ({
      key: poolModelKey(s.settings, s.g),
      model: () => poolModel(s.settings, s.g),
      feeds: {
        x: float32([1, 1, s.grid.rows, s.grid.cols], s.grid.data),
        xs: float32([1, 1, s.grid.rows, s.grid.cols], r.shifted.data),
      },
      expected: { y: r.output.data, ys: r.pooledShifted.data },
    }),
  },
  params: poolParams,
  announce(prev, s) {
    if (!prev) return undefined;
    if (!sameResult(s, prev)) return describeSettings(s);
    return prev.step === s.step ? undefined : stepText(s);
  },
  view({ root, $, dispatch, state, say }) {
    const textarea = $<HTMLTextAreaElement>('textarea[name="grid"]');
    const mode = $<HTMLSelectElement>('select[name="mode"]');
    const inputs = {
      k: $<HTMLInputElement>('input[name="k"]'),
      s: $<HTMLInputElement>('input[name="s"]'),
      p: $<HTMLInputElement>('input[name="p"]'),
    };
    const inc = $<HTMLInputElement>('input[name="inc"]');
    const first = state();
    textarea.value = gridText(first.grid);
    mode.value = first.settings.mode;
    for (const key of ['k', 's', 'p'] as const) inputs[key].value = String(first.settings[key]);
    inc.checked = first.settings.countIncludePad;

    const edit = () =>
      dispatch({
        kind: 'edit',
        controls: {
          grid: textarea.value,
          mode: mode.value,
          k: inputs.k.value,
          s: inputs.s.value,
          p: inputs.p.value,
          inc: inc.checked,
        },
      });
    for (const el of [textarea, ...Object.values(inputs)]) el.addEventListener('input', edit);
    for (const el of [mode, inc]) el.addEventListener('change', edit);
    for (const button of root.querySelectorAll<HTMLButtonElement>('[data-preset]'))
      button.addEventListener('click', () => {
        textarea.value = button.dataset.preset === 'ties' ? TIES_PRESET : gridText(state().crop);
        edit();
      });

    const parts = stepperParts(root);
    wireStepper(
      { ...parts, cells: [$('[data-grid="output"]')] },
      {
        count: () => state().g.outHeight * state().g.outWidth,
        step: () => state().step,
        show: (step) => dispatch({ kind: 'step', step }),
        finished: () => say('Finished: every output cell computed.'),
        delayMs: () => (prefersReducedMotion() ? 1400 : 800),
        cols: () => state().g.outWidth,
      },
    );
    const maps = new PoolMaps($);

    const errors = (s: PoolState) => {
      $('[data-error="grid"]').textContent = s.errors.grid ?? '';
      $('[data-error="settings"]').textContent = s.errors.settings ?? '';
      for (const [name, el] of [['grid', textarea], ...Object.entries(inputs)] as const)
        if (s.invalid.includes(name)) el.setAttribute('aria-invalid', 'true');
        else el.removeAttribute('aria-invalid');
      $('[data-include]').hidden = s.settings.mode !== 'avg';
    };
    const figures = (s: PoolState, r: PoolResult, prev: Prev) => {
      if (sameResult(s, prev)) return;
      maps.draw(s, r);
      const n = s.grid.rows * s.grid.cols;
      const m = s.g.outHeight * s.g.outWidth;
      root.dataset.output = Array.from(r.output.data, (v) => Math.round(v * 1e4) / 1e4).join(',');
      root.dataset.changedIn = String(r.inChanged.length);
      root.dataset.changedOut = String(r.outChanged.length);
      $('[data-out="changed-in"]').textContent =
        `${r.inChanged.length} of ${n} (${pct(r.inChanged.length, n)})`;
      $('[data-out="changed-out"]').textContent =
        `${r.outChanged.length} of ${m} (${pct(r.outChanged.length, m)})`;
      $('[data-out="size"]').textContent =
        `${s.grid.rows} × ${s.grid.cols} = ${n} cells → ${s.g.outHeight} × ${s.g.outWidth} = ${m} cells (${pct(m, n)})`;
      $('[data-out="mnist"]').textContent = onMnist(s);
    };
    const step = (s: PoolState, _r: PoolResult, prev: Prev) => {
      if (sameResult(s, prev) && prev?.step === s.step) return;
      const v = describeStep(s.grid, s.settings, s.g, s.step);
      const count = s.g.outHeight * s.g.outWidth;
      maps.highlight(s.step, v);
      const where = `output cell ${s.step + 1} of ${count}: row ${v.row}, column ${v.col}`;
      $('[data-out="explain"]').textContent = v.text;
      $('[data-out="step"]').textContent = where[0].toUpperCase() + where.slice(1);
      parts.scrub.max = String(count - 1);
      parts.scrub.value = String(s.step);
      parts.scrub.setAttribute('aria-valuetext', where);
      root.dataset.step = String(s.step);
      root.dataset.value = String(v.value);
      root.dataset.winner = v.winner ? `${v.winner.row},${v.winner.col}` : '';
    };
    return [errors, figures, step];
  },
};
