/** softmax's DOM: digit picker, temperature, the flattened digit, templates, logits and bars. */
import { tensor } from '../../cnn/index.ts';
import { float32 } from '../../runtime/client';
import { Heatmap } from '../shared/heatmap';
import { inkRgb } from '../shared/palette';
import { TwiceRunner } from '../shared/twice';
import { readParams, writeParams } from '../shared/url-state';
import { embedded, loadPlot, mountPlot, q, throttledAnnouncer } from '../shared/dom';
import { num } from '../shared/format';
import { softmaxModel } from './model';
import {
  announce,
  argmax,
  entropyBits,
  forwardPass,
  parseSoftmaxParams,
  parseTemperature,
  sliderToT,
  tToSlider,
  type DenseLayer,
  type SoftmaxState,
} from './state';

const NS = 'softmax';
const SIDE = 28;
const N = SIDE * SIDE;

function drawTemplate(canvas: HTMLCanvasElement, row: ArrayLike<number>): void {
  canvas.width = SIDE;
  canvas.height = SIDE;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(SIDE, SIDE);
  let max = 0;
  for (let i = 0; i < N; i++) max = Math.max(max, row[i]);
  for (let i = 0; i < N; i++) {
    const [r, g, b] = inkRgb(max > 0 ? row[i] / max : 0);
    img.data.set([r, g, b, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
}

export function startSoftmax(root: HTMLElement): void {
  const digits = embedded<{ label: number; pixels: number[] }[]>(root, 'digits');
  const raw = embedded<{ weight: number[]; bias: number[] }>(root, 'layer');
  const layer: DenseLayer = {
    weight: tensor([10, N], Float32Array.from(raw.weight)),
    bias: tensor([10], Float32Array.from(raw.bias)),
  };
  const badge = q(root, '[data-badge]');
  const runner = new TwiceRunner(root, badge);
  const say = throttledAnnouncer(q(root, '[data-live]'), 900);
  const { state: initial, notes } = parseSoftmaxParams(readParams(NS), digits.length);
  q(root, '[data-note]').textContent = notes.join(' ');
  let state: SoftmaxState = initial;

  const range = q<HTMLInputElement>(root, 'input[name="t-range"]');
  const text = q<HTMLInputElement>(root, 'input[name="t"]');
  const tError = q(root, '[data-error="t"]');
  const digitMap = new Heatmap({
    rows: SIDE,
    cols: SIDE,
    scale: { kind: 'ink' },
    cell: '0.45rem',
    label: 'The chosen digit',
  });
  q(root, '[data-grid="digit"]').append(digitMap.el);
  root.querySelectorAll<HTMLCanvasElement>('canvas[data-template]').forEach((c) => {
    const k = Number(c.dataset.template);
    drawTemplate(c, layer.weight.data.subarray(k * N, (k + 1) * N));
  });
  const strip = q<HTMLCanvasElement>(root, 'canvas[data-strip]');

  const bars = async (probs: Float32Array, label: number): Promise<void> => {
    const Plot = await loadPlot();
    const top = argmax(probs);
    const data = Array.from(probs, (p, k) => ({ k: String(k), p, top: k === top }));
    const chart = Plot.plot({
      height: 220,
      marginTop: 24,
      style: { background: 'transparent', color: 'currentColor', fontSize: '12px' },
      x: { label: 'class', domain: data.map((d) => d.k) },
      y: { label: 'probability', domain: [0, 1], grid: true },
      marks: [
        Plot.barY(data, {
          x: 'k',
          y: 'p',
          fill: 'currentColor',
          fillOpacity: (d: { top: boolean }) => (d.top ? 1 : 0.45),
        }),
        Plot.text(data, {
          x: 'k',
          y: 'p',
          text: (d: { p: number }) => d.p.toFixed(2),
          dy: -8,
          fill: 'currentColor',
        }),
        Plot.ruleY([0]),
      ],
    });
    mountPlot(
      q(root, '[data-chart="probs"]'),
      chart,
      `Softmax probabilities for a handwritten ${label}: ${data.map((d) => `${d.k}: ${(d.p * 100).toFixed(1)}%`).join(', ')}`,
    );
  };

  const render = (): void => {
    const digit = digits[state.digit];
    const { logits, scaled, probs } = forwardPass(digit.pixels, layer, state.t);
    digitMap.update(digit.pixels);
    // The flattened vector: 784 pixels in one row (drawn 28 px tall per pixel column for visibility).
    strip.width = N;
    strip.height = 1;
    const ctx = strip.getContext('2d');
    if (ctx) {
      const img = ctx.createImageData(N, 1);
      for (let i = 0; i < N; i++) img.data.set([...inkRgb(digit.pixels[i]), 255], i * 4);
      ctx.putImageData(img, 0, 0);
    }
    (q(root, `input[name="digit"][value="${state.digit}"]`) as HTMLInputElement).checked = true;
    range.value = String(tToSlider(state.t));
    if (!text.matches(':focus')) text.value = String(state.t);
    const top = argmax(probs);
    const rows = q(root, 'tbody[data-rows]');
    rows.replaceChildren(
      ...Array.from(logits, (z, k) => {
        const tr = document.createElement('tr');
        tr.dataset.class = String(k);
        if (k === top) tr.className = 'is-top';
        for (const v of [
          String(k),
          num(z, 2),
          num(scaled[k], 2),
          `${(probs[k] * 100).toFixed(1)}%`,
        ]) {
          const td = document.createElement('td');
          td.textContent = v;
          tr.append(td);
        }
        return tr;
      }),
    );
    root.dataset.logits = Array.from(logits, (z) => z.toFixed(5)).join(',');
    root.dataset.probs = Array.from(probs, (p) => p.toPrecision(7)).join(',');
    root.dataset.t = String(state.t);
    root.dataset.top = String(top);
    q(root, '[data-out="top"]').textContent = `${top} (${(probs[top] * 100).toFixed(1)}%)`;
    q(root, '[data-out="entropy"]').textContent =
      `${entropyBits(probs).toFixed(2)} bits (uniform: 3.32)`;
    say(announce(digit.label, state.t, probs));
    writeParams(NS, { digit: String(state.digit), t: String(state.t) });
    void bars(probs, digit.label);
    void runner.run({
      key: 'softmax',
      model: () => softmaxModel(N, 10),
      feeds: {
        x: float32([1, N], Float32Array.from(digit.pixels)),
        weight: float32([10, N], layer.weight.data),
        bias: float32([10], layer.bias.data),
        t: float32([1], Float32Array.of(state.t)),
      },
      expected: { logits, probs },
    });
  };

  for (const radio of root.querySelectorAll<HTMLInputElement>('input[name="digit"]')) {
    radio.addEventListener('change', () => {
      state = { ...state, digit: Number(radio.value) };
      render();
    });
  }
  range.addEventListener('input', () => {
    text.removeAttribute('aria-invalid');
    tError.textContent = '';
    state = { ...state, t: sliderToT(Number(range.value)) };
    text.value = String(state.t);
    render();
  });
  text.addEventListener('input', () => {
    const r = parseTemperature(text.value);
    if ('error' in r) {
      text.setAttribute('aria-invalid', 'true');
      tError.textContent = `${r.error} The bars show the last valid temperature (T = ${state.t}).`;
      return;
    }
    text.removeAttribute('aria-invalid');
    tError.textContent = '';
    state = { ...state, t: r.value };
    render();
  });
  render();
}
