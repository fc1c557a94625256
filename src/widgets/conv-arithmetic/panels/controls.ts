/**
 * The controls of the convolution-arithmetic widget: each text field and the mode and padding
 * choices dispatch what the reader did; the panel shows each control's message, marks it
 * invalid, says why the last valid picture stays, and shows the padding fields the mode uses.
 */
import type { Panel, ViewContext } from '../../shared/define';
import { FIELDS } from '../settings';
import type { Control, Mode, PadMode, Slot } from '../settings';
import type { ArithAction, ArithState } from '../state';

const SLOTS: readonly Slot[] = ['h', 'w', 'k', 'sh', 'sw', 'd', 'pad', 'pads', 'padMode'];

export function controlsPanel({
  root,
  $,
  dispatch,
  state,
}: ViewContext<ArithState, ArithAction>): Panel<ArithState, unknown> {
  const first = state();
  const inputs = (Object.keys(FIELDS) as Control[]).map((control) => {
    const input = $<HTMLInputElement>(`input[data-field="${control}"]`);
    input.value = first.text[control];
    input.addEventListener('input', () => dispatch({ kind: 'edit', control, raw: input.value }));
    return input;
  });
  const padMode = $<HTMLSelectElement>('[data-pad-mode]');
  padMode.value = first.padMode;
  padMode.addEventListener('change', () =>
    dispatch({ kind: 'padMode', padMode: padMode.value as PadMode }),
  );
  const radios = [...root.querySelectorAll<HTMLInputElement>('input[data-mode]')];
  for (const radio of radios) {
    radio.checked = radio.value === first.mode;
    radio.addEventListener('change', () => {
      if (radio.checked) dispatch({ kind: 'mode', mode: radio.value as Mode });
    });
  }
  const message = $('[data-message]');
  const sym = $('[data-pad-sym]');
  const asym = $('[data-pad-asym]');
  /** The controls whose look a slot's message changes. */
  const marked = (slot: Slot): HTMLElement[] =>
    slot === 'padMode'
      ? [padMode]
      : inputs.filter((i) => (slot === 'pads' ? i.name.startsWith('pads-') : i.name === slot));

  return (s, _r, prev) => {
    if (prev?.errors !== s.errors) {
      for (const slot of SLOTS) {
        const text = s.errors[slot] ?? '';
        $(`[data-error-for="${slot}"]`).textContent = text;
        for (const el of marked(slot))
          if (text) el.setAttribute('aria-invalid', 'true');
          else el.removeAttribute('aria-invalid');
      }
    }
    message.textContent = s.message;
    root.dataset.valid = String(!s.message);
    sym.hidden = s.padMode !== 'symmetric';
    asym.hidden = s.padMode !== 'asymmetric';
  };
}
