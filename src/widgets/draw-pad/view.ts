/**
 * The drawing pad, declared on the widget kernel. The canvas is the drawing surface: pointer
 * strokes paint its ink at once (no state change per pointer move); when a stroke ends (or the pad
 * is cleared, or a sample loaded) the 28×28 image goes into the state and to the page's lab,
 * which answers with the class probabilities the panels draw.
 */
import type { LabEvent } from '../../runtime/lab/protocol';
import type { Panel, WidgetSpec } from '../shared/define';
import { embedded } from '../shared/dom';
import { getSharedLab, labFacts, requestId } from '../shared/lab';
import { inkRgb } from '../shared/palette';
import {
  INITIAL_PAD,
  PAD,
  announceTop,
  digitToInk,
  padPhase,
  padStatus,
  padToInput,
  probabilityBars,
  reducePad,
  stampSegment,
  type PadAction,
  type PadState,
  type Point,
} from './state';

type P = Panel<PadState, undefined>;

const currentFacts = () => ({ hasNet: labFacts.hasNet, trained: labFacts.trained });

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

/** The 28×28 preview of what the network reads. */
function previewPanel(preview: HTMLCanvasElement): P {
  return (s, _r, prev) => {
    if (prev && s.input === prev.input) return;
    if (s.input) {
      paint(preview, s.input, 28);
      preview.setAttribute('aria-label', 'Your digit as the 28 by 28 image the network reads');
    } else {
      preview.getContext('2d')?.clearRect(0, 0, 28, 28);
      preview.setAttribute('aria-label', 'Empty');
    }
  };
}

/** Ten bars of class probabilities, the top one marked; the status line; the root's answer. */
function answerPanel(root: HTMLElement, bars: HTMLElement, status: HTMLElement): P {
  return (s, _r, prev) => {
    status.textContent = padStatus(s);
    if (prev && s.probabilities === prev.probabilities) return;
    if (!s.probabilities) {
      bars.replaceChildren();
      return;
    }
    const rows = probabilityBars(s.probabilities);
    bars.replaceChildren(
      ...rows.map((b) => {
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
    root.dataset.top = String(rows.find((b) => b.top)!.digit);
    root.dataset.sum = String(s.probabilities.reduce((a, b) => a + b, 0));
  };
}

export const drawPadWidget: WidgetSpec<PadState, PadAction> = {
  name: 'draw-pad',
  failure: { where: '[data-pad-status]', prefix: '' },
  announceMs: 0,
  // What the lab knows when the pad wakes up (it may be scrolled to after training ended).
  init: async () => {
    await getSharedLab();
    return { state: { ...INITIAL_PAD, facts: currentFacts() } };
  },
  reduce: reducePad,
  status: padPhase,
  announce(prev, s) {
    if (!s.probabilities || s.probabilities === prev?.probabilities) return undefined;
    return announceTop(probabilityBars(s.probabilities), s.facts.trained);
  },
  async view({ root, $, dispatch, state }) {
    const samples = embedded<{ label: number; pixels: number[] }[]>(root, 'samples');
    const pad = $<HTMLCanvasElement>('canvas[data-pad]');
    let ink: Float32Array = new Float32Array(PAD * PAD);

    const lab = await getSharedLab();
    lab.on((e: LabEvent) => {
      if (e.kind === 'prediction')
        dispatch({ kind: 'prediction', id: e.id, probabilities: e.probabilities });
      else
        dispatch({
          kind: 'lab',
          facts: currentFacts(),
          idle: e.kind === 'status' && e.state === 'idle',
        });
    });
    // The drawing is done: the state gets its 28×28 image, and the lab is asked if it has a net.
    const commit = () => {
      paint(pad, ink, PAD);
      const r = padToInput(ink);
      const id = requestId();
      dispatch({ kind: 'drawn', input: r.empty ? undefined : r.image, id, facts: currentFacts() });
      if (state().pending === id && !r.empty) lab.send({ kind: 'predict', id, pixels: r.image });
    };

    // Pointer drawing: mouse, touch and pen alike.
    const at = (e: PointerEvent): Point => {
      const rect = pad.getBoundingClientRect();
      return {
        x: ((e.clientX - rect.left) / rect.width) * PAD,
        y: ((e.clientY - rect.top) / rect.height) * PAD,
      };
    };
    // A stroke starts inking when the pointer moves: a click or a tap alone draws nothing, so it
    // is never read as a digit.
    let drawing: Point[] | undefined;
    pad.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      pad.setPointerCapture(e.pointerId);
      drawing = [at(e)];
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
      const moved = drawing.length > 1;
      drawing = undefined;
      if (moved) commit();
    };
    pad.addEventListener('pointerup', end);
    pad.addEventListener('pointercancel', end);

    $('[data-action="clear"]').addEventListener('click', () => {
      ink = new Float32Array(PAD * PAD);
      commit();
    });
    $('[data-action="sample"]').addEventListener('click', () => {
      ink = digitToInk(samples[state().sample % samples.length].pixels);
      dispatch({ kind: 'sampled' });
      commit();
    });
    paint(pad, ink, PAD);
    // Strokes count from here: a stroke drawn before the pad woke up (it starts when on screen) is lost.
    root.dataset.ready = 'true';
    return [
      previewPanel($<HTMLCanvasElement>('canvas[data-preview]')),
      answerPanel(root, $('[data-bars]'), $('[data-pad-status]')),
    ];
  },
};
