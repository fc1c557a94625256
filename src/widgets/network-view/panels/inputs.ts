/**
 * The figure's input: ten test digits (one of each class, never trained on) as thumbnail buttons
 * — ←/→ and Home/End move between them, as everywhere — and a drawing pad (shared/ink-pad.ts).
 * Draws from the state alone, so a pick shows at once while the worker computes.
 */
import type { Panel, ViewContext } from '../../shared/define';
import { navigate } from '../../shared/grid-nav';
import { padToInput, PAD, paintInk, wireInkPad } from '../../shared/ink-pad';
import { inkThumbnail } from '../../shared/thumbnail';
import type { Pass } from '../reference';
import type { NvAction, NvState } from '../state';

let drawings = 0;

export function inputsPanel({ $, dispatch, state }: ViewContext<NvState, NvAction>) {
  const group = $('[data-digits]');
  const buttons = state().digits.map((d, k) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'nv-pick';
    b.dataset.digit = String(k);
    b.setAttribute('aria-label', `Test digit ${k}: a ${d.label}`);
    const thumb = inkThumbnail(d.pixels, 28, '', '2.25rem');
    thumb.removeAttribute('role');
    thumb.removeAttribute('aria-label');
    b.append(thumb);
    b.addEventListener('click', () => dispatch({ kind: 'digit', index: k }));
    return b;
  });
  group.replaceChildren(...buttons);
  group.addEventListener('keydown', (e) => {
    const s = state();
    const at = s.input.kind === 'digit' ? s.input.index : 0;
    const to = navigate(e.key, at, s.digits.length);
    if (typeof to !== 'number') return;
    e.preventDefault();
    dispatch({ kind: 'digit', index: to });
    buttons[to]?.focus();
  });

  const canvas = $<HTMLCanvasElement>('[data-pad]');
  const pad = wireInkPad(canvas, (p) => {
    const r = padToInput(p.ink);
    dispatch({ kind: 'drawn', id: ++drawings, pixels: r.empty ? null : r.image });
  });
  $('[data-action="clear"]').addEventListener('click', () => {
    pad.set(new Float32Array(PAD * PAD));
    paintInk(canvas, pad.ink, PAD);
  });
  const msg = $('[data-draw-msg]');

  const panel: Panel<NvState, Pass | undefined> = (s) => {
    buttons.forEach((b, k) =>
      b.setAttribute('aria-pressed', String(s.input.kind === 'digit' && s.input.index === k)),
    );
    msg.textContent = s.drawMsg;
  };
  return panel;
}
