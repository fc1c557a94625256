/**
 * The numerical gradient check: the picker (kind and three boxes, counted from 0), its error
 * line, and the readouts — the nudged losses, the slope, both engines' gradient, the errors.
 */
import { num } from '../../shared/format';
import {
  boxLabels,
  gradientCheck,
  parseWeightFields,
  relativeError,
  sameWeight,
  weightBoxes,
  weightLabel,
  weightParam,
} from '../check';
import type { WeightBox } from '../check';
import type { BackpropState } from '../state';
import { changed, data, sci } from './common';
import type { BackpropPanel, PanelParts } from './common';

export const BOX_NAMES: readonly WeightBox[] = ['a', 'b', 'c'];

export interface Picker {
  readonly kind: HTMLSelectElement;
  readonly boxes: Readonly<Record<WeightBox, HTMLInputElement>>;
}

export function pickerOf($: <T extends HTMLElement>(s: string) => T): Picker {
  const box = (b: WeightBox) => $<HTMLInputElement>(`input[name="w${b}"]`);
  return {
    kind: $<HTMLSelectElement>('select[name="wkind"]'),
    boxes: { a: box('a'), b: box('b'), c: box('c') },
  };
}

/** The boxes follow the weight unless they already say it (the reader typing it). */
export function pickerPanel($: (s: string) => HTMLElement, picker: Picker) {
  return (s: BackpropState, _r: unknown, prev: BackpropState | undefined): void => {
    const error = s.errors.weight;
    if (prev && prev.weight === s.weight && prev.errors.weight === error) return;
    const { kind, boxes } = picker;
    const typed = parseWeightFields(kind.value, boxes.a.value, boxes.b.value, boxes.c.value);
    if (!('weight' in typed && sameWeight(typed.weight, s.weight)) && !error) {
      kind.value = s.weight.kind;
      const text = weightBoxes(s.weight);
      for (const b of BOX_NAMES) boxes[b].value = text[b];
    }
    const labels = boxLabels(kind.value === 'dense' ? 'dense' : 'kernel');
    for (const b of BOX_NAMES) {
      $(`[data-label="${b}"]`).textContent = labels[b];
      if (error?.box === b) boxes[b].setAttribute('aria-invalid', 'true');
      else boxes[b].removeAttribute('aria-invalid');
    }
    $('[data-field="c"]').hidden = kind.value === 'dense';
    $('[data-error="weight"]').textContent = error?.message ?? '';
  };
}

export function checkPanel({ root, $ }: PanelParts): BackpropPanel {
  const out = (name: string, text: string) => ($(`[data-out="${name}"]`).textContent = text);
  return (s, r, prev) => {
    if (!changed(prev, s, 'weight', 'ort')) return;
    const w = s.weight;
    const c = gradientCheck(r.params, r.pass, w);
    const { name, index } = weightParam(w);
    out(
      'check-weight',
      `${weightLabel(w)} = ${num(c.value, 6)}; L(w + ε) = ${c.lossPlus.toFixed(10)}, L(w − ε) = ${c.lossMinus.toFixed(10)}`,
    );
    out('check-num', `(L(w + ε) − L(w − ε)) / 2ε = ${sci(c.numerical)}`);
    out('check-ref', sci(c.reference));
    out('check-rel', `${c.relError.toExponential(2)} ${c.relError < 1e-2 ? '✓' : '✗'}`);
    data(root, 'checkWeight', `${w.kind}:${index}`);
    data(root, 'checkNum', c.numerical);
    data(root, 'checkRef', c.reference);
    data(root, 'checkRel', c.relError);
    const ort = s.ort?.result;
    const v = ort && ort.backend !== 'reference' ? ort.outputs[`grad.${name}`]?.[index] : undefined;
    if (ort && v !== undefined) {
      const rel = relativeError(v, c.reference);
      out('check-ort', `${sci(v)} (${ort.backend})`);
      out(
        'check-rel-ort',
        `${rel.toExponential(2)} (absolute ${Math.abs(v - c.reference).toExponential(1)})`,
      );
    } else {
      out(
        'check-ort',
        ort?.backend === 'reference'
          ? 'not run (reference engine chosen)'
          : 'waiting for onnxruntime-web…',
      );
      out('check-rel-ort', '—');
    }
    data(root, 'checkOrt', v);
    data(root, 'checkRelOrt', v === undefined ? undefined : relativeError(v, c.reference));
  };
}
