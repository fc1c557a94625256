/** backend-picker, declared on the widget kernel: a radio saves the choice, the status line says so. */
import { BACKEND_KEY } from '../shared/backend-pref';
import type { WidgetSpec } from '../shared/define';
import { FIELD, initialPicker, pickerStatus, reducePicker } from './state';
import type { BackendChoice, PickerAction, PickerState } from './state';

function stored(): string | null {
  try {
    return localStorage.getItem(BACKEND_KEY);
  } catch {
    return null; // storage disabled
  }
}

/** Saves the choice ('auto' forgets it); false when the browser blocks storage. */
function save(choice: BackendChoice): boolean {
  try {
    if (choice === 'auto') localStorage.removeItem(BACKEND_KEY);
    else localStorage.setItem(BACKEND_KEY, choice);
    return true;
  } catch {
    return false;
  }
}

export const pickerWidget: WidgetSpec<PickerState, PickerAction> = {
  name: 'backend-picker',
  failure: { where: '[data-picker-status]', prefix: 'The engine choice failed: ' },
  init: () => ({ state: initialPicker(stored()) }),
  reduce: reducePicker,
  status: (s) => (s.saved === undefined ? 'ready' : 'done'),
  view({ root, $, dispatch }) {
    const radios = [...root.querySelectorAll<HTMLInputElement>(`input[name="${FIELD.key}"]`)];
    for (const input of radios)
      input.addEventListener('change', () => {
        const r = FIELD.parse(input.value);
        if (r.ok) dispatch({ kind: 'choose', choice: r.value, saved: save(r.value) });
      });
    const draw = (s: PickerState) => {
      for (const input of radios) input.checked = input.value === s.choice;
      $('[data-picker-status]').textContent = pickerStatus(s);
    };
    return [draw];
  },
};
