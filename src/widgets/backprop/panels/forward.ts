/** The forward line and the loss step's table: logits, softmax, one-hot and ∂L/∂z. */
import { num } from '../../shared/format';
import { changed, data, sub } from './common';
import type { BackpropPanel, PanelParts } from './common';

export function forwardPanel({ root, $ }: PanelParts): BackpropPanel {
  return (s, r, prev) => {
    if (!changed(prev, s)) return;
    const { pass: d, digit, top } = r;
    $('[data-out="forward"]').textContent =
      `Forward pass: the digit is a ${digit.label}; the untrained network (seed ${s.seed}) gives it p = ${num(d.probs.data[digit.label], 4)} and prefers ${top} (p = ${num(d.probs.data[top], 4)}). Loss L = −log p${sub(digit.label)} = ${num(d.loss, 4)}.`;
    data(root, 'label', digit.label);
    data(root, 'loss', d.loss);
    data(root, 'probs', Array.from(d.probs.data).join(','));
    data(root, 'dlogits', Array.from(d.dLogits.data).join(','));
    const rows = Array.from({ length: d.probs.data.length }, (_, k) => {
      const tr = document.createElement('tr');
      tr.dataset.class = String(k);
      if (k === d.label) tr.className = 'is-true';
      const cells = [
        String(k),
        num(d.logits.data[k], 4),
        num(d.probs.data[k], 4),
        k === d.label ? '1' : '0',
        num(d.dLogits.data[k], 4),
      ];
      for (const [i, text] of cells.entries()) {
        const td = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) td.setAttribute('scope', 'row');
        td.textContent = text;
        if (i === 2) td.dataset.prob = String(k);
        if (i === 4) td.dataset.dlogit = String(k);
        tr.append(td);
      }
      return tr;
    });
    $('[data-out="loss-rows"]').replaceChildren(...rows);
  };
}
