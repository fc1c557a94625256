/**
 * dense-params, declared on the widget kernel. No engine runs here: the numbers are exact integer
 * arithmetic on what the reader typed (no tensors), so there is nothing for onnxruntime-web to
 * cross-check and no badge.
 */
import type { WidgetSpec } from '../shared/define';
import { fieldParams } from '../shared/fields';
import { thousands } from '../shared/format';
import { readParams } from '../shared/url-state';
import {
  denseParams,
  FIELDS,
  formatBytes,
  formulaTex,
  parseDenseParams,
  reduceDense,
} from './state';
import type { DenseAction, DenseField, DenseState } from './state';

const NAMES = Object.keys(FIELDS) as DenseField[];

export const denseWidget: WidgetSpec<DenseState, DenseAction> = {
  name: 'dense-params',
  ns: 'dense',
  failure: { where: '[data-note]', prefix: 'This calculator failed: ' },
  announceMs: 1000,
  init() {
    const { inputs, notes } = parseDenseParams(readParams('dense'));
    return { state: { inputs, errors: {} }, notes };
  },
  reduce: reduceDense,
  params: (s) => fieldParams(FIELDS, s.inputs),
  announce(prev, s) {
    if (prev?.inputs === s.inputs) return undefined;
    const { params } = denseParams(s.inputs);
    return `${thousands(params)} parameters, ${formatBytes(params * 4n)} as 32-bit floats.`;
  },
  async view({ root, $, dispatch, state }) {
    const katex = (await import('katex')).default;
    for (const field of NAMES) {
      const input = $<HTMLInputElement>(`input[name="${FIELDS[field].key}"]`);
      input.value = String(state().inputs[field]);
      input.addEventListener('input', () => dispatch({ kind: 'edit', field, raw: input.value }));
    }
    const errors = (s: DenseState) => {
      for (const field of NAMES) {
        const msg = s.errors[field] ?? '';
        $(`[data-error="${FIELDS[field].key}"]`).textContent = msg;
        const input = $(`input[name="${FIELDS[field].key}"]`);
        if (msg) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
      }
    };
    const numbers = (s: DenseState, _r: undefined, prev: DenseState | undefined) => {
      if (prev?.inputs === s.inputs) return;
      const { params } = denseParams(s.inputs);
      const bytes = params * 4n;
      root.dataset.params = params.toString();
      root.dataset.bytes = bytes.toString();
      $('[data-out="params"]').textContent = thousands(params);
      $('[data-out="bytes"]').textContent = `${thousands(bytes)} bytes ≈ ${formatBytes(bytes)}`;
      katex.render(formulaTex(s.inputs), $('[data-formula]'), {
        displayMode: true,
        throwOnError: false,
      });
    };
    return [errors, numbers];
  },
};
