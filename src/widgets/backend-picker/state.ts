/**
 * backend-picker (the Engines page): which engine every widget uses, remembered in this browser
 * (shared/backend-pref.ts reads it). Pure: the setting and the reducer; the view saves it.
 */
import { choice } from '../shared/fields';

export const CHOICES = ['auto', 'webgpu', 'wasm', 'reference'] as const;
export type BackendChoice = (typeof CHOICES)[number];

/** The setting, declared once; its key is the radios' name. Stored, not in the link. */
export const FIELD = choice<BackendChoice>('backend', 'engine', CHOICES, 'auto');

export interface PickerState {
  readonly choice: BackendChoice;
  /** After a choice: whether this browser let it be saved. */
  readonly saved?: boolean;
}

export type PickerAction = {
  readonly kind: 'choose';
  readonly choice: BackendChoice;
  readonly saved: boolean;
};

/** The stored value (anything unknown, or nothing, is automatic). */
export function initialPicker(stored: string | null): PickerState {
  const r = FIELD.parse(stored ?? '');
  return { choice: r.ok ? r.value : FIELD.initial };
}

export function reducePicker(_s: PickerState, a: PickerAction): PickerState {
  return { choice: a.choice, saved: a.saved };
}

export function pickerStatus(s: PickerState): string {
  if (s.saved === undefined) return '';
  return s.saved
    ? 'Saved. Widgets use it from their next computation.'
    : 'This browser blocks local storage, so the choice cannot be saved.';
}
