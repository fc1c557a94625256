/**
 * The drawing pad, declared on the widget kernel. The canvas is the drawing surface: pointer
 * strokes paint its ink at once (no state change per pointer move); when a stroke ends (or the pad
 * is cleared, or a sample loaded) the 28×28 image goes into the state and to the page's lab,
 * which answers with the class probabilities the panels draw; each answer is checked on the
 * reference engine with the lab's own weights (check.ts), and the badge says how they agree.
 */
import type { LabEvent } from '../../runtime/lab/protocol';
import type { Panel, WidgetSpec } from '../shared/define';
import { embedded } from '../shared/dom';
import { getSharedLab, labFacts, requestId } from '../shared/lab';
import { paintInk, wireInkPad } from '../shared/ink-pad';
import { wireLoadNet } from '../shared/load-net';
import { checkPrediction } from './check';
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
} from './state';
import type { PadAction, PadState } from './state';

type P = Panel<PadState, undefined>;

const currentFacts = () => ({ hasNet: labFacts.hasNet, trained: labFacts.trained });

/** The 28×28 preview of what the network reads. */
function previewPanel(preview: HTMLCanvasElement): P {
  return (s, _r, prev) => {
    if (prev && s.input === prev.input) return;
    if (s.input) {
      paintInk(preview, s.input, 28);
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
    const canvas = $<HTMLCanvasElement>('canvas[data-pad]');

    const lab = await getSharedLab();
    const badge = $('[data-pad-badge]');
    lab.on((e: LabEvent) => {
      if (e.kind === 'prediction') {
        const pixels = state().input;
        dispatch({ kind: 'prediction', id: e.id, probabilities: e.probabilities });
        const backend = labFacts.backend; // the engine that answered
        if (pixels && backend && state().probabilities === e.probabilities)
          checkPrediction(
            lab,
            root,
            badge,
            backend,
            pixels,
            e.probabilities,
            () => state().input === pixels,
          ).catch((error: unknown) => {
            badge.textContent = `Not checked: ${error instanceof Error ? error.message : String(error)}.`;
          });
      } else
        dispatch({
          kind: 'lab',
          facts: currentFacts(),
          idle: e.kind === 'status' && e.state === 'idle',
        });
    });
    // The drawing is done: the state gets its 28×28 image, and the lab is asked if it has a net.
    const commit = () => {
      const r = padToInput(pad.ink);
      const id = requestId();
      dispatch({ kind: 'drawn', input: r.empty ? undefined : r.image, id, facts: currentFacts() });
      if (state().pending === id && !r.empty) lab.send({ kind: 'predict', id, pixels: r.image });
    };
    const pad = wireInkPad(canvas, commit);
    // A network loaded back from its .onnx reads what is on the pad at once.
    wireLoadNet(root, lab, () => {
      if (state().input) commit();
    });

    $('[data-action="clear"]').addEventListener('click', () => {
      pad.set(new Float32Array(PAD * PAD));
      commit();
    });
    $('[data-action="sample"]').addEventListener('click', () => {
      pad.set(digitToInk(samples[state().sample % samples.length].pixels));
      dispatch({ kind: 'sampled' });
      commit();
    });
    // Strokes count from here: a stroke drawn before the pad woke up (it starts when on screen) is lost.
    root.dataset.ready = 'true';
    return [
      previewPanel($<HTMLCanvasElement>('canvas[data-preview]')),
      answerPanel(root, $('[data-bars]'), $('[data-pad-status]')),
    ];
  },
};
