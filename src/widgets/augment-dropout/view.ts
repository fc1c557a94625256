/**
 * augment-dropout on the widget kernel. Nothing here is a computation ORT could check: the
 * augmented digits and the dropout mask are what the lab *feeds* both engines (the training graph
 * takes the mask as an input), drawn by the same functions the lab calls. So: no badge.
 */
import type { WidgetSpec } from '../shared/define';
import { embedded } from '../shared/dom';
import { fieldParams, readFields } from '../shared/fields';
import { thousands } from '../shared/format';
import { inkThumbnail } from '../shared/thumbnail';
import { readParams } from '../shared/url-state';
import { augmentStrip, describeDraw, FIELDS, maskOfStep, reduceAug } from './state';
import type { AugAction, AugField, AugState } from './state';

const NAMES = Object.keys(FIELDS) as AugField[];
type Digit = { label: number; pixels: number[] };

/** The mask as C tiles of H × W cells, `per` tiles a row: filled = kept, hollow = dropped. */
function drawMask(canvas: HTMLCanvasElement, kept: Uint8Array, shape: readonly number[]): void {
  const [c, h, w] = shape.length === 3 ? shape : [1, 1, shape[0]!];
  const per = Math.min(c, 8);
  const cell = 5;
  const gap = 4;
  const tileW = w * cell;
  const tileH = h * cell;
  canvas.width = per * tileW + (per - 1) * gap;
  canvas.height = Math.ceil(c / per) * (tileH + gap) - gap;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const css = getComputedStyle(canvas);
  const on = css.getPropertyValue('--accent').trim() || '#1d5fbf';
  const off = css.getPropertyValue('--border').trim() || '#d6d9df';
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  for (let k = 0; k < kept.length; k++) {
    const ch = Math.floor(k / (h * w));
    const y = Math.floor((k % (h * w)) / w);
    const x = k % w;
    const x0 = (ch % per) * (tileW + gap) + x * cell;
    const y0 = Math.floor(ch / per) * (tileH + gap) + y * cell;
    ctx.fillStyle = kept[k] ? on : off;
    ctx.fillRect(x0, y0, cell - 1, cell - 1);
  }
}

export const augmentDropoutWidget: WidgetSpec<AugState, AugAction> = {
  name: 'augment-dropout',
  ns: 'aug',
  failure: { where: '[data-note]', prefix: 'This figure failed: ' },
  init() {
    const { values, notes } = readFields(FIELDS, readParams('aug'));
    return { state: { values, errors: {} }, notes };
  },
  reduce: reduceAug,
  params: (s) => fieldParams(FIELDS, s.values),
  announce(prev, s) {
    if (prev?.values === s.values) return undefined;
    const m = maskOfStep(s.values.step, s.values.rate);
    return `Step ${s.values.step}: the digits redrawn; ${thousands(m.dropped)} of ${thousands(m.kept.length)} units dropped.`;
  },
  view({ root, $, dispatch, state }) {
    const digits: Digit[] = embedded(root, 'digits');
    const flat = new Float32Array(digits.length * 784);
    digits.forEach((d, k) => flat.set(d.pixels, k * 784));
    for (const field of NAMES) {
      const input = $<HTMLInputElement>(`input[name="${FIELDS[field].key}"]`);
      input.value = FIELDS[field].format(state().values[field]);
      input.addEventListener('input', () => dispatch({ kind: 'edit', field, raw: input.value }));
    }
    $('[data-action="next"]').addEventListener('click', () => dispatch({ kind: 'next' }));
    const strip = $('[data-strip]');
    const canvas = $<HTMLCanvasElement>('canvas[data-mask]');

    const inputs = (s: AugState, _r: undefined, prev: AugState | undefined) => {
      for (const field of NAMES) {
        const msg = s.errors[field] ?? '';
        $(`[data-error="${FIELDS[field].key}"]`).textContent = msg;
        const input = $<HTMLInputElement>(`input[name="${FIELDS[field].key}"]`);
        if (msg) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
        // "Next step" changes the step without a keystroke: show it in its field
        if (field === 'step' && prev && !msg && Number(input.value) !== s.values.step)
          input.value = String(s.values.step);
      }
    };
    const samples = (s: AugState, _r: undefined, prev: AugState | undefined) => {
      const v = s.values;
      const p = prev?.values;
      if (
        p &&
        p.shift === v.shift &&
        p.rotate === v.rotate &&
        p.scale === v.scale &&
        p.step === v.step
      )
        return;
      const { images, draws } = augmentStrip(flat, v);
      strip.replaceChildren(
        ...digits.map((d, k) => {
          const fig = document.createElement('figure');
          fig.className = 'aug-pair';
          const augmented = images.subarray(k * 784, (k + 1) * 784);
          const said = describeDraw(draws[k]!);
          fig.append(
            inkThumbnail(d.pixels, 28, `training digit ${d.label} as stored`, '3.5rem'),
            inkThumbnail(augmented, 28, `the same ${d.label} augmented: ${said}`, '3.5rem'),
          );
          const cap = document.createElement('figcaption');
          cap.textContent = said;
          fig.append(cap);
          return fig;
        }),
      );
      root.dataset.augmented = String(draws.filter((d) => d.kind !== 'none').length);
    };
    const mask = (s: AugState, _r: undefined, prev: AugState | undefined) => {
      const v = s.values;
      if (prev && prev.values.step === v.step && prev.values.rate === v.rate) return;
      const m = maskOfStep(v.step, v.rate);
      drawMask(canvas, m.kept, m.shape);
      canvas.setAttribute(
        'aria-label',
        `Dropout mask of step ${v.step}: ${m.dropped} of ${m.kept.length} units dropped`,
      );
      root.dataset.dropped = String(m.dropped);
      root.dataset.units = String(m.kept.length);
      $('[data-out="dropped"]').textContent =
        `${thousands(m.dropped)} of ${thousands(m.kept.length)} (${((100 * m.dropped) / m.kept.length).toFixed(1)}%; p = ${v.rate} expects ${(100 * v.rate).toFixed(0)}%)`;
      $('[data-out="scale"]').textContent =
        `× ${Number(m.scaleKept.toPrecision(4))} = 1 / (1 − ${v.rate})`;
      $('[data-out="step"]').textContent = String(v.step);
    };
    return [inputs, samples, mask];
  },
};
