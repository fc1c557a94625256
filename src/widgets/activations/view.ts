/** activations' DOM: controls, the two maps with an inspected cell, histograms and curves. */
import { conv2d, tensor, type Tensor } from '../../cnn/index.ts';
import { float32 } from '../../runtime/client';
import { Heatmap } from '../shared/heatmap';
import { maxAbs } from '../shared/palette';
import { TwiceRunner } from '../shared/twice';
import { readParams, writeParams } from '../shared/url-state';
import { embedded, loadPlot, mountPlot, q, throttledAnnouncer } from '../shared/dom';
import { num } from '../shared/format';
import { activationModel } from './model';
import {
  activationCurve,
  actParams,
  applyActivation,
  counts,
  describeCell,
  FUNCTION_LABEL,
  FUNCTIONS,
  KERNELS,
  moveCursor,
  parseActParams,
  parseAlpha,
  type ActState,
  type ActivationName,
  type KernelName,
} from './state';

const NS = 'act';
const SIZE = 28;

export function startActivations(root: HTMLElement): void {
  const digits = embedded<{ label: number; pixels: number[] }[]>(root, 'digits');
  const badge = q(root, '[data-badge]');
  const runner = new TwiceRunner(root, badge);
  const say = throttledAnnouncer(q(root, '[data-live]'));
  const { state: initial, notes } = parseActParams(readParams(NS), digits.length, SIZE);
  q(root, '[data-note]').textContent = notes.join(' ');
  let state: ActState = initial;

  const fnSelect = q<HTMLSelectElement>(root, 'select[name="fn"]');
  const kernelSelect = q<HTMLSelectElement>(root, 'select[name="kernel"]');
  const digitSelect = q<HTMLSelectElement>(root, 'select[name="digit"]');
  const alphaRange = q<HTMLInputElement>(root, 'input[name="alpha-range"]');
  const alphaText = q<HTMLInputElement>(root, 'input[name="alpha"]');
  const alphaError = q(root, '[data-error="alpha"]');
  const alphaBox = q(root, '[data-alpha]');

  const cell = '0.6rem';
  const before = new Heatmap({
    rows: SIZE,
    cols: SIZE,
    scale: { kind: 'diverging', maxAbs: 1 },
    cell,
    label: 'Feature map before the activation',
  });
  const after = new Heatmap({
    rows: SIZE,
    cols: SIZE,
    scale: { kind: 'diverging', maxAbs: 1 },
    cell,
    label: 'Feature map after the activation',
  });
  q(root, '[data-grid="before"]').append(before.el);
  q(root, '[data-grid="after"]').append(after.el);

  let pre: Tensor = tensor([1, 1, SIZE, SIZE], new Float32Array(SIZE * SIZE));
  let post: Tensor = pre;
  let preKey = '';

  const syncControls = (): void => {
    fnSelect.value = state.fn;
    kernelSelect.value = state.kernel;
    digitSelect.value = String(state.digit);
    alphaRange.value = String(state.alpha);
    if (!alphaText.matches(':focus')) alphaText.value = String(state.alpha);
    alphaBox.hidden = state.fn !== 'leakyRelu';
  };

  const showCell = (): void => {
    const i = state.row * SIZE + state.col;
    before.highlight('is-current', [i]);
    after.highlight('is-current', [i]);
    const text = describeCell(state, pre.data[i], post.data[i], (v) => num(v, 3));
    q(root, '[data-out="cell"]').textContent = text;
    root.dataset.cell = `${pre.data[i]},${post.data[i]}`;
    return void say(text);
  };

  const charts = async (): Promise<void> => {
    const Plot = await loadPlot();
    const values = [
      ...Array.from(pre.data, (v) => ({ value: v, stage: 'before' })),
      ...Array.from(post.data, (v) => ({ value: v, stage: `after ${FUNCTION_LABEL[state.fn]}` })),
    ];
    const hist = Plot.plot({
      height: 260,
      marginLeft: 50,
      style: { background: 'transparent', color: 'currentColor', fontSize: '12px' },
      x: { label: 'value of a cell' },
      y: { type: 'sqrt', label: 'cells (square-root scale)', grid: true },
      marginRight: 90,
      fy: { label: null, domain: ['before', `after ${FUNCTION_LABEL[state.fn]}`] },
      marks: [
        Plot.rectY(values, {
          ...Plot.binX({ y: 'count' }, { x: 'value', thresholds: 40 }),
          fy: 'stage',
          fill: 'currentColor',
          fillOpacity: 0.7,
        }),
        Plot.ruleY([0]),
        Plot.ruleX([0], { strokeDasharray: '3,3' }),
      ],
    });
    mountPlot(
      q(root, '[data-chart="hist"]'),
      hist,
      `Histogram of the 784 cell values before and after ${FUNCTION_LABEL[state.fn]}`,
    );
    const xs = Array.from({ length: 161 }, (_, i) => -4 + i * 0.05);
    const curves = FUNCTIONS.flatMap((fn: ActivationName) =>
      activationCurve(fn, state.alpha, xs).map((y, i) => ({
        x: xs[i],
        y,
        fn: fn === 'leakyRelu' ? `leaky ReLU (α = ${state.alpha})` : FUNCTION_LABEL[fn],
        name: fn,
      })),
    );
    const curve = Plot.plot({
      height: 260,
      style: { background: 'transparent', color: 'currentColor', fontSize: '12px' },
      x: { label: 'input z', grid: true },
      y: { label: 'output f(z)', grid: true, domain: [-2, 4] },
      color: { legend: true, scheme: 'observable10' },
      marks: [
        Plot.ruleY([0]),
        Plot.ruleX([0]),
        ...FUNCTIONS.map((fn: ActivationName, i) =>
          Plot.line(
            curves.filter((d) => d.name === fn),
            {
              x: 'x',
              y: 'y',
              stroke: 'fn',
              strokeWidth: fn === state.fn ? 4 : 2,
              strokeDasharray: [undefined, '6,3', '9,3,2,3', '2,2'][i],
              clip: true,
            },
          ),
        ),
      ],
    });
    mountPlot(
      q(root, '[data-chart="curves"]'),
      curve,
      `The curves of ReLU, leaky ReLU, sigmoid and tanh between −4 and 4; ${FUNCTION_LABEL[state.fn]} is drawn thicker`,
    );
  };

  const render = (): void => {
    syncControls();
    const digit = digits[state.digit];
    const x = tensor([1, 1, SIZE, SIZE], Float32Array.from(digit.pixels));
    const kernel = tensor([1, 1, 3, 3], Float32Array.from(KERNELS[state.kernel]));
    const key = `${state.digit}/${state.kernel}`;
    if (key !== preKey) {
      pre = conv2d(x, kernel, { pads: 1 });
      preKey = key;
    }
    post = applyActivation(state.fn, state.alpha, pre);
    const scale = { kind: 'diverging' as const, maxAbs: Math.max(maxAbs(pre.data), 1e-6) };
    before.update(pre.data, scale);
    after.update(post.data, { kind: 'diverging', maxAbs: Math.max(maxAbs(post.data), 1e-6) });
    const c = counts(pre.data, post.data);
    root.dataset.negative = String(c.negative);
    root.dataset.zeroAfter = String(c.zeroAfter);
    q(root, '[data-out="negative"]').textContent = `${c.negative} of ${SIZE * SIZE}`;
    q(root, '[data-out="zero-before"]').textContent = String(c.zeroBefore);
    q(root, '[data-out="zero-after"]').textContent = String(c.zeroAfter);
    q(root, '[data-out="range"]').textContent =
      `${num(Math.min(...post.data), 3)} … ${num(Math.max(...post.data), 3)}`;
    showCell();
    writeParams(NS, actParams(state));
    void charts();
    void runner.run({
      key: `activations/${state.fn}/${state.alpha}`,
      model: () => activationModel(state.fn, state.alpha, SIZE),
      feeds: { x: float32(x.shape, x.data), kernel: float32(kernel.shape, kernel.data) },
      expected: { pre: pre.data, post: post.data },
    });
  };

  const update = (patch: Partial<ActState>): void => {
    state = { ...state, ...patch };
    render();
  };
  fnSelect.addEventListener('change', () => update({ fn: fnSelect.value as ActivationName }));
  kernelSelect.addEventListener('change', () =>
    update({ kernel: kernelSelect.value as KernelName }),
  );
  digitSelect.addEventListener('change', () => update({ digit: Number(digitSelect.value) }));
  alphaRange.addEventListener('input', () => {
    alphaText.value = alphaRange.value;
    alphaText.removeAttribute('aria-invalid');
    alphaError.textContent = '';
    update({ alpha: Number(alphaRange.value) });
  });
  alphaText.addEventListener('input', () => {
    const r = parseAlpha(alphaText.value);
    if ('error' in r) {
      alphaText.setAttribute('aria-invalid', 'true');
      alphaError.textContent = `${r.error} The maps show the last valid alpha (${state.alpha}).`;
      return;
    }
    alphaText.removeAttribute('aria-invalid');
    alphaError.textContent = '';
    update({ alpha: r.value });
  });
  q(root, '[data-keys]').addEventListener('keydown', (e) => {
    const next = moveCursor(state, e.key, SIZE);
    if (!next) return;
    e.preventDefault();
    state = { ...state, ...next };
    showCell();
    writeParams(NS, actParams(state));
  });
  for (const grid of [before, after]) {
    grid.el.addEventListener('click', (e) => {
      const index = (e.target as HTMLElement).dataset.index;
      if (index === undefined) return;
      state = { ...state, row: Math.floor(Number(index) / SIZE), col: Number(index) % SIZE };
      showCell();
      writeParams(NS, actParams(state));
    });
  }
  render();
}
