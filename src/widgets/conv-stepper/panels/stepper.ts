/**
 * The stepper: StepperBar's controls and the one key model of grid-nav.ts on the whole stepper
 * (←/→ a cell, ↑/↓ a row, Home/End, Space), a click on any output cell or input pixel goes to the
 * output cell centred there, hovering an output cell previews it; playback is a timer the state
 * drives; and the current cell's multiply-add, written out tap by tap.
 */
import type { ConvForwardTrace } from '../../../cnn/index.ts';
import type { Panel, ViewContext } from '../../shared/define';
import { onCellPick } from '../../shared/grid-nav';
import { stepperParts } from '../../shared/stepper';
import {
  cellTrace,
  computeKey,
  fmt,
  sideOf,
  stepForKey,
  stepPlace,
  SMALL,
  STEPS,
  stepForInputCell,
  sumLine,
  windowIndices,
} from '../state';
import type { ConvAction, ConvState } from '../state';
import type { ConvResult, Grids } from './maps';

/** The multiply-add of one cell as a table of taps, the sum line and the padding note. */
function traceNodes(trace: ConvForwardTrace, size: number, flipped: boolean): Node[] {
  const table = document.createElement('table');
  table.className = 'terms';
  const cap = document.createElement('caption');
  cap.textContent = `Input × kernel, tap by tap${flipped ? ' (kernel flipped)' : ''}`;
  const body = document.createElement('tbody');
  for (let p = 0; p < size; p++) {
    const tr = document.createElement('tr');
    for (let q = 0; q < size; q++) {
      const t = trace.terms[p * size + q];
      const td = document.createElement('td');
      if (t.inPadding) td.className = 'is-padding';
      // Three parts, so a narrow screen can put each on its own line.
      const x = document.createElement('span');
      x.textContent = `${fmt(t.input, 4)}${t.inPadding ? '*' : ''}`;
      const k = document.createElement('span');
      k.textContent = ` · ${fmt(t.kernel, 4)}`;
      const b = document.createElement('strong');
      b.textContent = `= ${fmt(t.product, 4)}`;
      td.append(x, k, b);
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(cap, body);
  const eq = document.createElement('p');
  eq.className = 'equation';
  eq.dataset.traceSum = String(trace.sum);
  eq.textContent = sumLine(trace);
  const padded = trace.terms.filter((t) => t.inPadding).length;
  const foot = document.createElement('p');
  foot.className = 'foot';
  foot.textContent = padded
    ? `* ${padded} of the ${size * size} taps fall in the ring of zero padding around the image.`
    : 'Every tap lies inside the image.';
  return [table, eq, foot];
}

export function stepperView(
  { root, $, dispatch, state }: ViewContext<ConvState, ConvAction>,
  grids: Grids,
): Panel<ConvState, ConvResult>[] {
  const parts = stepperParts(root);
  const go = (step: number) => dispatch({ kind: 'go', step });
  parts.scrub.max = String(STEPS - 1);
  parts.play.addEventListener('click', () => dispatch({ kind: 'toggle' }));
  parts.prev.addEventListener('click', () => go(state().step - 1));
  parts.next.addEventListener('click', () => go(state().step + 1));
  parts.scrub.addEventListener('input', () => go(Number(parts.scrub.value)));
  $('[data-steps]').addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    // The range and the speed menu handle their own arrows; buttons take Space and Enter.
    if (target.matches('select, textarea, input:not([type="range"])')) return;
    if (target === parts.scrub && e.key !== ' ') return;
    if (target.matches('button, summary') && (e.key === ' ' || e.key === 'Enter')) return;
    const to = stepForKey(e.key, state().step);
    if (to === null) return;
    e.preventDefault();
    dispatch(to === 'toggle' ? { kind: 'toggle' } : { kind: 'go', step: to });
  });
  // Output cell i is step i; an input pixel goes to the output cell centred on it (a cell of the
  // ring to the nearest border pixel's). The input is rebuilt per kernel size: listen on its place.
  onCellPick(grids.output.el, go);
  onCellPick($('[data-grid="input"]'), (i) => go(stepForInputCell(i, grids.pad)));
  grids.output.el.addEventListener('mouseover', (e) => {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (cell) dispatch({ kind: 'preview', step: Number(cell.dataset.index) });
  });
  grids.output.el.addEventListener('mouseleave', () => dispatch({ kind: 'preview', step: null }));
  const speed = $<HTMLSelectElement>('[data-speed]');
  speed.value = String(state().speed);
  speed.addEventListener('change', () => {
    const v = Number(speed.value);
    if (v > 0) dispatch({ kind: 'speed', speed: v });
  });

  const label = $('[data-step-label]');
  const traceEl = $('[data-trace]');
  const steps: Panel<ConvState, ConvResult> = (s, r, prev) => {
    if (
      prev &&
      prev.step === s.step &&
      prev.preview === s.preview &&
      prev.playing === s.playing &&
      computeKey(prev) === computeKey(s)
    )
      return;
    const shown = s.preview ?? s.step;
    const trace = cellTrace(r.small, r.k, s.bias, shown);
    const out = grids.output;
    out.update(r.smallMap, r.scale);
    // Cells not yet computed show the grid's own grey, in both themes (no dark mesh).
    for (let i = s.step + 1; i < STEPS; i++) out.cell(i)!.style.background = 'transparent';
    grids.input.highlight('is-window', windowIndices(trace, SMALL, grids.pad));
    out.highlight('is-current', [shown]);
    parts.scrub.value = String(s.step);
    parts.scrub.setAttribute('aria-valuetext', stepPlace(s.step, 'cell'));
    label.textContent =
      s.preview === null ? stepPlace(s.step) : `Previewing ${stepPlace(shown, 'cell')}`;
    parts.play.textContent = s.playing ? 'Pause' : 'Play';
    parts.play.setAttribute('aria-pressed', String(s.playing));
    root.dataset.step = String(s.step);
    root.dataset.playing = String(s.playing);
    traceEl.replaceChildren(...traceNodes(trace, sideOf(r.k), s.mode === 'conv'));
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const playback: Panel<ConvState, ConvResult> = (s, _r, prev) => {
    if (prev && prev.playing === s.playing && prev.step === s.step) return;
    clearTimeout(timer);
    if (s.playing) timer = setTimeout(() => dispatch({ kind: 'tick' }), 1000 / s.speed);
  };
  return [steps, playback];
}
