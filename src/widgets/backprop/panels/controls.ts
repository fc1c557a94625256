/** The settings' controls: selects follow the state (a pick can change the channel and the row of
 * W), and the typed fields show their message. */
import { FIELDS, UNIT_FIELD } from '../state';
import type { BackpropState } from '../state';

export function controlsPanel($: <T extends HTMLElement>(s: string) => T) {
  const select = (name: string) => $<HTMLSelectElement>(`select[name="${name}"]`);
  const selects = [
    [select(FIELDS.digit.key), (s: BackpropState) => s.digit],
    [select(FIELDS.channel.key), (s: BackpropState) => s.channel],
    [select(UNIT_FIELD.key), (s: BackpropState) => s.unit],
  ] as const;
  const typed = [FIELDS.seed, FIELDS.lr].map((field) => ({
    field,
    input: $<HTMLInputElement>(`input[name="${field.key}"]`),
    error: $(`[data-error="${field.key}"]`),
  }));
  return (s: BackpropState, _r: unknown, prev: BackpropState | undefined): void => {
    for (const [el, value] of selects)
      if (el.value !== String(value(s))) el.value = String(value(s));
    if (prev?.errors === s.errors) return;
    for (const { field, input, error } of typed) {
      const message = s.errors[field.key as 'seed' | 'lr'] ?? '';
      error.textContent = message;
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  };
}
