/** The drawing pad's DOM: pointer strokes on a canvas, the 28×28 preview, predict on the lab. */
import type { LabEvent } from '../../runtime/lab/protocol';
import { embedded, q } from '../shared/dom';
import { inkRgb } from '../shared/palette';
import { getSharedLab, labFacts, requestId } from '../shared/lab';
import {
  PAD,
  announceTop,
  digitToInk,
  padToInput,
  probabilityBars,
  stampSegment,
  type Point,
} from './state';

function paint(canvas: HTMLCanvasElement, values: Float32Array, side: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const [r, g, b] = inkRgb(values[i]);
    img.data.set([r, g, b, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
}

export async function startDrawPad(root: HTMLElement): Promise<void> {
  const samples = embedded<{ label: number; pixels: number[] }[]>(root, 'samples');
  const pad = q<HTMLCanvasElement>(root, 'canvas[data-pad]');
  const preview = q<HTMLCanvasElement>(root, 'canvas[data-preview]');
  const status = q(root, '[data-pad-status]');
  const live = q(root, '[data-live]');
  const barsEl = q(root, '[data-bars]');

  let strokes: Point[][] = [];
  let ink: Float32Array = new Float32Array(PAD * PAD);
  let input: Float32Array | undefined;
  let sampleIndex = 0;
  let pending = 0;
  root.dataset.state = 'empty';

  const lab = await getSharedLab();
  lab.on((e: LabEvent) => {
    if (e.kind === 'prediction' && e.id === pending) showPrediction(e.probabilities);
    else if (e.kind === 'status' && e.state === 'idle') {
      barsEl.replaceChildren();
      if (input) status.textContent = hint();
    }
    if (!input) status.textContent = hint();
  });

  const hint = () =>
    !labFacts.hasNet
      ? 'Train the network above first, then draw here.'
      : labFacts.trained
        ? 'Draw a digit (or load a sample); the trained network will read it.'
        : 'The network above has not trained yet: its guesses will be random.';

  function showPrediction(probabilities: readonly number[]): void {
    const bars = probabilityBars(probabilities);
    barsEl.replaceChildren(
      ...bars.map((b) => {
        const li = document.createElement('li');
        li.classList.toggle('is-top', b.top);
        li.dataset.digit = String(b.digit);
        li.dataset.p = String(b.p);
        const label = document.createElement('span');
        label.textContent = String(b.digit);
        const bar = document.createElement('span');
        bar.className = 'bar';
        bar.style.width = `${Math.max(0.2, b.p * 100)}%`;
        bar.setAttribute('aria-hidden', 'true');
        const value = document.createElement('span');
        value.textContent = `${(b.p * 100).toFixed(1)}%`;
        li.setAttribute('aria-label', `${b.digit}: ${(b.p * 100).toFixed(1)}%`);
        li.append(label, bar, value);
        return li;
      }),
    );
    const top = bars.find((b) => b.top)!;
    root.dataset.state = 'predicted';
    root.dataset.top = String(top.digit);
    root.dataset.sum = String(probabilities.reduce((a, b) => a + b, 0));
    const sentence = announceTop(bars, labFacts.trained);
    status.textContent = sentence;
    live.textContent = sentence;
  }

  function update(): void {
    paint(pad, ink, PAD);
    const r = padToInput(ink);
    if (r.empty) {
      input = undefined;
      preview.getContext('2d')?.clearRect(0, 0, 28, 28);
      preview.setAttribute('aria-label', 'Empty');
      barsEl.replaceChildren();
      root.dataset.state = 'empty';
      status.textContent = hint();
      return;
    }
    input = r.image;
    paint(preview, r.image, 28);
    preview.setAttribute('aria-label', 'Your digit as the 28 by 28 image the network reads');
    if (!labFacts.hasNet) {
      status.textContent =
        'Train the network above first: there is no network to read your digit yet.';
      return;
    }
    pending = requestId();
    root.dataset.state = 'predicting';
    lab.send({ kind: 'predict', id: pending, pixels: r.image });
  }

  // Pointer drawing: mouse, touch and pen alike.
  const at = (e: PointerEvent): Point => {
    const rect = pad.getBoundingClientRect();
    return {
      x: ((e.clientX - rect.left) / rect.width) * PAD,
      y: ((e.clientY - rect.top) / rect.height) * PAD,
    };
  };
  let drawing: Point[] | undefined;
  pad.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    pad.setPointerCapture(e.pointerId);
    drawing = [at(e)];
    strokes.push(drawing);
    stampSegment(ink, PAD, drawing[0], drawing[0]);
    paint(pad, ink, PAD);
  });
  pad.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const p = at(e);
    stampSegment(ink, PAD, drawing.at(-1)!, p);
    drawing.push(p);
    paint(pad, ink, PAD);
  });
  const end = () => {
    if (!drawing) return;
    drawing = undefined;
    update();
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);

  q(root, '[data-action="clear"]').addEventListener('click', () => {
    strokes = [];
    ink = new Float32Array(PAD * PAD);
    update();
  });
  q(root, '[data-action="sample"]').addEventListener('click', () => {
    const s = samples[sampleIndex++ % samples.length];
    strokes = [];
    ink = digitToInk(s.pixels);
    update();
  });
  paint(pad, ink, PAD);
  status.textContent = hint();
  // Strokes count from here: a stroke drawn before the pad woke up (it starts when on screen) is lost.
  root.dataset.ready = 'true';
}
