/**
 * softmax, declared on the widget kernel: the digit picker and the temperature (slider and text)
 * dispatch; the digit, its flattened strip, the logits table and the bars follow. ORT checks the
 * logits and the probabilities.
 */
import { tensor } from '../../cnn/index.ts';
import { float32 } from '../../runtime/client';
import type { WidgetSpec } from '../shared/define';
import { embedded } from '../shared/dom';
import { num } from '../shared/format';
import { Heatmap } from '../shared/heatmap';
import { readParams } from '../shared/url-state';
import { softmaxModel } from './model';
import { drawBars, drawInk } from './panels/draw';
import {
  announce,
  argmax,
  entropyBits,
  forwardPass,
  parseSoftmaxParams,
  reduceSoftmax,
  softmaxParams,
  tToSlider,
} from './state';
import type { Digit, SoftmaxAction, SoftmaxResult, SoftmaxState } from './state';

const SIDE = 28;
const N = SIDE * SIDE;

export const softmaxWidget: WidgetSpec<SoftmaxState, SoftmaxAction, SoftmaxResult> = {
  name: 'softmax',
  ns: 'softmax',
  frame: true,
  announceMs: 900,
  init(root) {
    const digits = embedded<Digit[]>(root, 'digits');
    const raw = embedded<{ weight: number[]; bias: number[] }>(root, 'layer');
    const layer = {
      weight: tensor([10, N], Float32Array.from(raw.weight)),
      bias: tensor([10], Float32Array.from(raw.bias)),
    };
    const { state, notes } = parseSoftmaxParams(readParams('softmax'));
    return {
      state: { ...state, digit: Math.min(state.digit, digits.length - 1), digits, layer },
      notes,
    };
  },
  reduce: reduceSoftmax,
  compute: {
    key: (s) => `${s.digit}/${s.t}`,
    run: (s) => forwardPass(s.digits[s.digit].pixels, s.layer, s.t),
    check: (s, r) => ({
      key: 'softmax',
      model: () => softmaxModel(N, 10),
      feeds: {
        x: float32([1, N], Float32Array.from(s.digits[s.digit].pixels)),
        weight: float32([10, N], s.layer.weight.data),
        bias: float32([10], s.layer.bias.data),
        t: float32([1], Float32Array.of(s.t)),
      },
      expected: { logits: r.logits, probs: r.probs },
    }),
  },
  params: softmaxParams,
  announce: (prev, s, r) =>
    prev?.digit === s.digit && prev.t === s.t
      ? undefined
      : announce(s.digits[s.digit].label, s.t, r.probs),
  view({ root, $, dispatch, state }) {
    const range = $<HTMLInputElement>('input[name="t-range"]');
    const text = $<HTMLInputElement>('input[name="t"]');
    for (const radio of root.querySelectorAll<HTMLInputElement>('input[name="digit"]'))
      radio.addEventListener('change', () =>
        dispatch({ kind: 'digit', digit: Number(radio.value) }),
      );
    range.addEventListener('input', () =>
      dispatch({ kind: 'slider', position: Number(range.value) }),
    );
    text.addEventListener('input', () => dispatch({ kind: 'typed', raw: text.value }));

    const digitMap = new Heatmap({
      rows: SIDE,
      cols: SIDE,
      scale: { kind: 'ink' },
      cell: '0.45rem',
      label: 'The chosen digit',
    });
    $('[data-grid="digit"]').append(digitMap.el);
    const { weight } = state().layer;
    for (const canvas of root.querySelectorAll<HTMLCanvasElement>('canvas[data-template]')) {
      const k = Number(canvas.dataset.template);
      drawInk(canvas, weight.data.subarray(k * N, (k + 1) * N), SIDE, SIDE, true);
    }

    const controls = (s: SoftmaxState) => {
      $<HTMLInputElement>(`input[name="digit"][value="${s.digit}"]`).checked = true;
      range.value = String(tToSlider(s.t));
      if (document.activeElement !== text) text.value = String(s.t);
      $('[data-error="t"]').textContent = s.tError ?? '';
      if (s.tError) text.setAttribute('aria-invalid', 'true');
      else text.removeAttribute('aria-invalid');
    };
    const digit = (s: SoftmaxState, _r: SoftmaxResult, prev: SoftmaxState | undefined) => {
      if (prev?.digit === s.digit) return;
      const { pixels } = s.digits[s.digit];
      digitMap.update(pixels);
      // The flattened vector: 784 pixels in one row (stretched tall enough to see).
      drawInk($<HTMLCanvasElement>('canvas[data-strip]'), pixels, N, 1);
    };
    const numbers = (s: SoftmaxState, r: SoftmaxResult, prev: SoftmaxState | undefined) => {
      if (prev?.digit === s.digit && prev.t === s.t) return;
      const top = argmax(r.probs);
      $('tbody[data-rows]').replaceChildren(
        ...Array.from(r.logits, (z, k) => {
          const tr = document.createElement('tr');
          tr.dataset.class = String(k);
          if (k === top) tr.className = 'is-top';
          for (const v of [
            String(k),
            num(z, 2),
            num(r.scaled[k], 2),
            `${(r.probs[k] * 100).toFixed(1)}%`,
          ]) {
            const td = document.createElement('td');
            td.textContent = v;
            tr.append(td);
          }
          return tr;
        }),
      );
      root.dataset.logits = Array.from(r.logits, (z) => z.toFixed(5)).join(',');
      root.dataset.probs = Array.from(r.probs, (p) => p.toPrecision(7)).join(',');
      root.dataset.t = String(s.t);
      root.dataset.top = String(top);
      $('[data-out="top"]').textContent = `${top} (${(r.probs[top] * 100).toFixed(1)}%)`;
      $('[data-out="entropy"]').textContent =
        `${entropyBits(r.probs).toFixed(2)} bits (uniform: 3.32)`;
      void drawBars($('[data-chart="probs"]'), r.probs, s.digits[s.digit].label);
    };
    return [controls, digit, numbers];
  },
};
