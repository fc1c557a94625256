import { describe, expect, it } from 'vitest';
import {
  initialPicker,
  pickerStatus,
  reducePicker,
} from '../../../src/widgets/backend-picker/state';

describe('backend picker state', () => {
  it('reads the stored choice; nothing or garbage is automatic', () => {
    expect(initialPicker('wasm')).toEqual({ choice: 'wasm' });
    expect(initialPicker(null)).toEqual({ choice: 'auto' });
    expect(initialPicker('cuda')).toEqual({ choice: 'auto' });
  });
  it('a choice says whether it was saved', () => {
    const saved = reducePicker(
      { choice: 'auto' },
      { kind: 'choose', choice: 'webgpu', saved: true },
    );
    expect(saved).toEqual({ choice: 'webgpu', saved: true });
    expect(pickerStatus(saved)).toBe('Saved. Widgets use it from their next computation.');
    expect(pickerStatus({ choice: 'wasm', saved: false })).toContain('blocks local storage');
    expect(pickerStatus({ choice: 'auto' })).toBe('');
  });
});
