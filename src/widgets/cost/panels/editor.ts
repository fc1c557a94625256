/**
 * The conv-layer editor: one row per conv layer of the chosen preset (built again when the preset
 * changes), three validated fields each, and their error lines.
 */
import { CONV_SETTINGS, convField, convLayers, PRESETS } from '../nets';
import type { ConvSetting } from '../nets';
import type { CostAction, CostState } from '../state';

const LABEL: Readonly<Record<ConvSetting, string>> = { k: 'Kernel k', f: 'Filters', s: 'Stride' };

export function buildEditor(
  container: HTMLElement,
  s: CostState,
  dispatch: (a: CostAction) => void,
): void {
  const rows = convLayers(PRESETS[s.preset]).map((i) => {
    const row = document.createElement('div');
    row.className = 'cbw-controls cost-edit-row';
    row.dataset.editLayer = String(i);
    const name = document.createElement('span');
    name.textContent = `Layer ${i} conv2d`;
    row.append(name);
    const error = document.createElement('p');
    error.className = 'cbw-error';
    error.id = `cost-error-${i}`;
    error.setAttribute('aria-live', 'polite');
    for (const setting of CONV_SETTINGS) {
      const field = convField(setting, i);
      const wrap = document.createElement('div');
      wrap.className = 'cbw-field';
      const label = document.createElement('label');
      label.htmlFor = `cost-${field.key}`;
      label.textContent = LABEL[setting];
      const input = document.createElement('input');
      Object.assign(input, {
        id: `cost-${field.key}`,
        name: field.key,
        type: 'text',
        inputMode: 'numeric',
        autocomplete: 'off',
        value: String(s.edits[i]![setting]),
      });
      input.dataset.field = field.key;
      input.setAttribute('aria-describedby', error.id);
      input.addEventListener('input', () =>
        dispatch({ kind: 'edit', layer: i, setting, raw: input.value }),
      );
      wrap.append(label, input);
      row.append(wrap);
    }
    row.append(error);
    return row;
  });
  container.replaceChildren(...rows);
}

/** Marks the fields whose text could not be used and writes each row's messages. */
export function drawErrors(container: HTMLElement, s: CostState): void {
  for (const row of container.querySelectorAll<HTMLElement>('[data-edit-layer]')) {
    const i = Number(row.dataset.editLayer);
    const messages: string[] = [];
    for (const setting of CONV_SETTINGS) {
      const key = convField(setting, i).key;
      const input = row.querySelector<HTMLInputElement>(`input[name="${key}"]`)!;
      const e = s.errors[key];
      if (e) {
        messages.push(e.message);
        input.setAttribute('aria-invalid', 'true');
      } else input.removeAttribute('aria-invalid');
    }
    const line = row.querySelector<HTMLElement>('.cbw-error')!;
    line.textContent = messages.join(' ');
    line.dataset.error = messages.length ? 'true' : '';
  }
}
