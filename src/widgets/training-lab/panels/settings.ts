/**
 * The settings form: the controls show the state's values when the state set them (a link, a
 * restored run, recovery's lr ÷ 10), each field's message and aria-invalid, the fieldsets locked
 * while a run is busy, and the backends with their reasons.
 */
import { BACKEND_LABEL } from '../../../runtime/backends';
import type { Panel } from '../../shared/define';
import { SETTING_NAMES } from '../config';
import type { LabForm } from '../config';
import { isBusy } from '../state';
import type { LabCtx, LabWidgetState } from '../widget';

/**
 * The form's values, read from the controls themselves. Not `FormData`: it skips controls inside a
 * disabled fieldset, and the settings are locked (disabled) while a run is busy or being restored,
 * so a reload mid-run used to read every field as "" and refuse the next start.
 */
export function readForm(form: HTMLFormElement): LabForm {
  const out = {} as LabForm;
  for (const f of SETTING_NAMES) {
    const item = form.elements.namedItem(f);
    // a select or input has .value; a radio group is a RadioNodeList whose .value is the checked one
    out[f] = item && 'value' in item ? String(item.value) : '';
  }
  return out;
}

function writeForm(form: HTMLFormElement, values: LabForm): void {
  for (const f of SETTING_NAMES) {
    for (const el of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>(`[name="${f}"]`)) {
      if (el instanceof HTMLInputElement && el.type === 'radio')
        el.checked = el.value === values[f];
      else el.value = values[f];
    }
  }
}

export function settingsPanel({ root, $ }: LabCtx): Panel<LabWidgetState, undefined> {
  const form = $<HTMLFormElement>('form[data-settings]');
  const list = $('[data-backends]');
  return (s, _r, prev) => {
    if (s.formRev !== prev?.formRev) writeForm(form, s.form);
    if (s.errors !== prev?.errors)
      for (const f of SETTING_NAMES) {
        const msg = s.errors[f] ?? '';
        const p = root.querySelector<HTMLElement>(`[data-error="${f}"]`);
        if (p) p.textContent = msg;
        for (const el of form.querySelectorAll<HTMLElement>(`[name="${f}"]`))
          if (msg) el.setAttribute('aria-invalid', 'true');
          else el.removeAttribute('aria-invalid');
      }
    // Settings apply to the next run: locked while one is busy so what is shown is what trains.
    for (const fs of form.querySelectorAll('fieldset')) fs.disabled = isBusy(s.ui.state);

    const backends = s.ui.backends;
    if (!backends.length || backends === prev?.ui.backends) return;
    list.replaceChildren(
      ...backends.map((b) => {
        const li = document.createElement('li');
        li.dataset.backendStatus = b.name;
        li.textContent = `${BACKEND_LABEL[b.name]}: ${b.available ? (b.recommended ? 'available' : 'available, not recommended') : 'unavailable'}${b.reason ? ` — ${b.reason}` : ''}`;
        return li;
      }),
    );
    for (const opt of form.querySelectorAll<HTMLOptionElement>('select[name="backend"] option')) {
      const b = backends.find((x) => x.name === opt.value);
      if (b) opt.disabled = !b.available && b.name !== 'reference';
    }
  };
}
