/**
 * The kernel editor: size, preset, the size×size boxes (text that is not a number is kept in its
 * box and named in the message, while the last valid kernel stays in use), the bias and the flip
 * for true convolution.
 */
import type { Panel, ViewContext } from '../../shared/define';
import { matchPreset, presetsFor, sideOf } from '../state';
import type { ConvAction, ConvState, Size } from '../state';
import type { ConvResult } from './maps';

const invalid = (input: HTMLElement, bad: boolean) => {
  if (bad) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
};

export function editorView({
  root,
  $,
  dispatch,
}: ViewContext<ConvState, ConvAction>): Panel<ConvState, ConvResult> {
  const cells = [...root.querySelectorAll<HTMLInputElement>('[data-kcell]')];
  const presetSel = $<HTMLSelectElement>('[data-preset]');
  const sizeSel = $<HTMLSelectElement>('[data-size]');
  const kgrid = $('[data-kgrid]');
  const bias = $<HTMLInputElement>('[data-bias]');
  const flip = $<HTMLInputElement>('[data-flip]');
  const kernelError = $('[data-kernel-error]');
  const biasError = $('[data-bias-error]');

  cells.forEach((input, index) =>
    input.addEventListener('input', () => dispatch({ kind: 'cell', index, raw: input.value })),
  );
  sizeSel.addEventListener('change', () =>
    dispatch({ kind: 'size', size: (Number(sizeSel.value) === 5 ? 5 : 3) as Size }),
  );
  presetSel.addEventListener('change', () => dispatch({ kind: 'preset', id: presetSel.value }));
  bias.addEventListener('input', () => dispatch({ kind: 'bias', raw: bias.value }));
  flip.addEventListener('change', () => dispatch({ kind: 'flip', on: flip.checked }));

  return (s, _r, prev) => {
    if (prev?.cells !== s.cells || prev.invalid !== s.invalid) {
      const size = sideOf(s.kernel);
      cells.forEach((input, i) => {
        const shown = i < size * size;
        input.hidden = !shown;
        const text = shown ? s.cells[i] : '';
        if (input.value !== text) input.value = text; // never under the reader's cursor
        invalid(input, s.invalid.includes(i));
        input.setAttribute('aria-label', `Kernel row ${Math.floor(i / size)}, column ${i % size}`);
      });
      kgrid.style.setProperty('--k', String(size));
      kgrid.setAttribute('aria-label', `Kernel values, ${size} by ${size}, row by row`);
      const offered = new Set(presetsFor(size).map((p) => p.id));
      for (const o of presetSel.options) o.hidden = o.value !== 'custom' && !offered.has(o.value);
      sizeSel.value = String(size);
      presetSel.value = matchPreset(s.kernel)?.id ?? 'custom';
      kernelError.textContent = s.kernelError;
    }
    if (prev?.biasText !== s.biasText || prev.biasError !== s.biasError) {
      if (bias.value !== s.biasText) bias.value = s.biasText;
      invalid(bias, s.biasError !== '');
      biasError.textContent = s.biasError;
    }
    flip.checked = s.mode === 'conv';
    root.dataset.mode = s.mode;
  };
}
