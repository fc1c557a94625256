/**
 * dense-params' DOM. No engine runs here: the numbers are exact integer arithmetic on what the
 * reader typed (no tensors), so there is nothing for onnxruntime-web to cross-check and no badge.
 */
import { readParams, writeParams } from '../shared/url-state';
import { q, throttledAnnouncer } from '../shared/dom';
import {
  denseParams,
  FIELDS,
  formatBytes,
  formulaTex,
  parseDenseParams,
  parseField,
  type DenseInputs,
} from './state';

const NS = 'dense';

export async function startDenseParams(root: HTMLElement): Promise<void> {
  const { inputs: initial, notes } = parseDenseParams(readParams(NS));
  q(root, '[data-note]').textContent = notes.join(' ');
  const say = throttledAnnouncer(q(root, '[data-live]'), 1000);
  const katex = (await import('katex')).default;
  let current: DenseInputs = initial;

  const render = (): void => {
    const { params } = denseParams(current);
    const bytes = params * 4n;
    root.dataset.params = params.toString();
    root.dataset.bytes = bytes.toString();
    q(root, '[data-out="params"]').textContent = params.toLocaleString('en-US');
    q(root, '[data-out="bytes"]').textContent =
      `${bytes.toLocaleString('en-US')} bytes ≈ ${formatBytes(bytes)}`;
    katex.render(formulaTex(current), q(root, '[data-formula]'), {
      displayMode: true,
      throwOnError: false,
    });
    say(`${params.toLocaleString('en-US')} parameters, ${formatBytes(bytes)} as 32-bit floats.`);
    writeParams(NS, Object.fromEntries(FIELDS.map((f) => [f.key, String(current[f.key])])));
  };

  for (const f of FIELDS) {
    const input = q<HTMLInputElement>(root, `input[name="${f.key}"]`);
    const error = q(root, `[data-error="${f.key}"]`);
    input.value = String(current[f.key]);
    input.addEventListener('input', () => {
      const r = parseField(input.value, f.label, f.max);
      if ('error' in r) {
        input.setAttribute('aria-invalid', 'true');
        error.textContent = `${r.error} The numbers below are for the last valid value.`;
        return;
      }
      input.removeAttribute('aria-invalid');
      error.textContent = '';
      current = { ...current, [f.key]: r.value };
      render();
    });
  }
  render();
}
