/**
 * activations, declared on the widget kernel: the selects, the alpha slider and text, and the
 * inspected cell (keys on the maps, or a click on any cell) dispatch; the maps, the counts, the
 * charts and the badge follow. ORT checks the feature map and the activation.
 */
import { tensorFeeds } from '../shared/net-feeds';
import type { WidgetSpec } from '../shared/define';
import { embedded } from '../shared/dom';
import { num } from '../shared/format';
import { onCellPick } from '../shared/grid-nav';
import { Heatmap } from '../shared/heatmap';
import { maxAbs } from '../shared/palette';
import { readParams } from '../shared/url-state';
import { activationModel } from './model';
import { drawCurves, drawHistogram } from './panels/charts';
import { actParams, computeAct, describeCell, parseActParams, reduceAct, SIZE } from './state';
import type { ActAction, ActivationName, ActResult, ActState, KernelName } from './state';

type Prev = ActState | undefined;
const sameResult = (s: ActState, p: Prev) =>
  p?.digit === s.digit && p.kernel === s.kernel && p.fn === s.fn && p.alpha === s.alpha;
const sameCell = (s: ActState, p: Prev) => p?.row === s.row && p.col === s.col;
const describe = (s: ActState, r: ActResult) => {
  const i = s.row * SIZE + s.col;
  return describeCell(s, r.pre.data[i], r.post.data[i], (v) => num(v, 3));
};
const map = (label: string) =>
  new Heatmap({
    rows: SIZE,
    cols: SIZE,
    scale: { kind: 'diverging', maxAbs: 1 },
    cell: '0.6rem',
    label,
  });
const scaleOf = (data: Float32Array) => ({
  kind: 'diverging' as const,
  maxAbs: Math.max(maxAbs(data), 1e-6),
});

export const activationsWidget: WidgetSpec<ActState, ActAction, ActResult> = {
  name: 'activations',
  ns: 'act',
  frame: true,
  init(root) {
    const digits = embedded<{ pixels: number[] }[]>(root, 'digits').map((d) => d.pixels);
    const { state, notes } = parseActParams(readParams('act'));
    return { state: { ...state, digit: Math.min(state.digit, digits.length - 1), digits }, notes };
  },
  reduce: reduceAct,
  compute: {
    key: (s) => `${s.digit}/${s.kernel}/${s.fn}/${s.alpha}`,
    run: computeAct,
    check: (s, r) => ({
      key: `activations/${s.fn}/${s.alpha}`,
      model: () => activationModel(s.fn, s.alpha, SIZE),
      feeds: tensorFeeds(r, 'x', 'kernel'),
      expected: { pre: r.pre.data, post: r.post.data },
    }),
  },
  params: actParams,
  announce: (prev, s, r) => (sameResult(s, prev) && sameCell(s, prev) ? undefined : describe(s, r)),
  view({ root, $, dispatch }) {
    const fn = $<HTMLSelectElement>('select[name="fn"]');
    const kernel = $<HTMLSelectElement>('select[name="kernel"]');
    const digit = $<HTMLSelectElement>('select[name="digit"]');
    const range = $<HTMLInputElement>('input[name="alpha-range"]');
    const text = $<HTMLInputElement>('input[name="alpha"]');
    fn.addEventListener('change', () => dispatch({ kind: 'fn', fn: fn.value as ActivationName }));
    kernel.addEventListener('change', () =>
      dispatch({ kind: 'kernel', kernel: kernel.value as KernelName }),
    );
    digit.addEventListener('change', () => dispatch({ kind: 'digit', digit: Number(digit.value) }));
    range.addEventListener('input', () => dispatch({ kind: 'slider', alpha: Number(range.value) }));
    text.addEventListener('input', () => dispatch({ kind: 'typed', raw: text.value }));
    $('[data-keys]').addEventListener('keydown', (e) => {
      if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(e.key))
        return;
      e.preventDefault();
      dispatch({ kind: 'key', key: e.key });
    });
    const before = map('Feature map before the activation');
    const after = map('Feature map after the activation');
    $('[data-grid="before"]').append(before.el);
    $('[data-grid="after"]').append(after.el);
    for (const grid of [before, after])
      onCellPick(grid.el, (index) => dispatch({ kind: 'pick', index }));

    const controls = (s: ActState) => {
      fn.value = s.fn;
      kernel.value = s.kernel;
      digit.value = String(s.digit);
      range.value = String(s.alpha);
      if (document.activeElement !== text) text.value = String(s.alpha);
      $('[data-alpha]').hidden = s.fn !== 'leakyRelu';
      $('[data-error="alpha"]').textContent = s.alphaError ?? '';
      if (s.alphaError) text.setAttribute('aria-invalid', 'true');
      else text.removeAttribute('aria-invalid');
    };
    const maps = (s: ActState, r: ActResult, prev: Prev) => {
      if (sameResult(s, prev)) return;
      before.update(r.pre.data, scaleOf(r.pre.data));
      after.update(r.post.data, scaleOf(r.post.data));
      const c = r.counts;
      $('[data-out="negative"]').textContent = `${c.negative} of ${r.pre.data.length}`;
      $('[data-out="zero-before"]').textContent = String(c.zeroBefore);
      $('[data-out="zero-after"]').textContent = String(c.zeroAfter);
      $('[data-out="range"]').textContent =
        `${num(Math.min(...r.post.data), 3)} … ${num(Math.max(...r.post.data), 3)}`;
      root.dataset.negative = String(c.negative);
      root.dataset.zeroAfter = String(c.zeroAfter);
      root.dataset.kernel = Array.from(r.kernel.data).join(','); // the weights used, for the tests
    };
    const cell = (s: ActState, r: ActResult, prev: Prev) => {
      if (sameResult(s, prev) && sameCell(s, prev)) return;
      const i = s.row * SIZE + s.col;
      before.highlight('is-current', [i]);
      after.highlight('is-current', [i]);
      $('[data-out="cell"]').textContent = describe(s, r);
      root.dataset.cell = `${r.pre.data[i]},${r.post.data[i]}`;
    };
    const charts = (s: ActState, r: ActResult, prev: Prev) => {
      if (sameResult(s, prev)) return;
      void drawHistogram($('[data-chart="hist"]'), s, r);
      if (prev?.fn !== s.fn || prev.alpha !== s.alpha)
        void drawCurves($('[data-chart="curves"]'), s);
    };
    return [controls, maps, cell, charts];
  },
};
