/**
 * The results on the test digits, at each epoch end: the confusion matrix (blue diagonal, orange
 * mistakes), its most frequent mistake, and the gallery of misclassified digits — drawn in a
 * task of its own, after the epoch's other figures, so that no one redraw blocks the page.
 */
import type { Panel } from '../../shared/define';
import { nextTask } from '../../shared/dom';
import { css, divergingRgb, textOn } from '../../shared/palette';
import { confusionRows, worstConfusion } from '../series';
import type { ConfusionRow } from '../series';
import { percent } from '../state';
import type { LabUi } from '../state';
import type { LabCtx, LabWidgetState } from '../widget';
import { drawDigit, LATER, muted } from './figures';

function confusionTable(rows: readonly ConfusionRow[]): HTMLTableElement {
  const maxErr = Math.max(
    1,
    ...rows.flatMap((r) => r.cells.filter((c) => !c.correct).map((c) => c.count)),
  );
  const table = document.createElement('table');
  table.className = 'lab-confusion';
  table.innerHTML =
    '<caption class="cbw-sr">Confusion matrix: rows are true labels, columns are predictions; each cell counts test digits</caption>';
  const th = (scope: 'col' | 'row', text: string) => {
    const el = document.createElement('th');
    el.scope = scope;
    el.textContent = text;
    return el;
  };
  const head = table.createTHead().insertRow();
  head.append(th('col', 'true \\ pred.'));
  for (let k = 0; k < 10; k++) head.append(th('col', String(k)));
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    tr.append(th('row', String(r.label)));
    for (const c of r.cells) {
      const td = tr.insertCell();
      td.textContent = String(c.count);
      const rgb = c.correct
        ? divergingRgb(-c.share, 1)
        : c.count > 0
          ? divergingRgb(0.15 + (0.85 * c.count) / maxErr, 1)
          : divergingRgb(0, 1);
      td.style.background = css(rgb);
      td.style.color = textOn(rgb);
      if (c.correct) td.classList.add('is-diag');
    }
  }
  return table;
}

function galleryItems(misclassified: LabUi['misclassified']): HTMLElement[] {
  return misclassified.slice(0, 16).map((m) => {
    const fig = document.createElement('figure');
    const canvas = document.createElement('canvas');
    canvas.className = 'lab-digit';
    drawDigit(canvas, m.pixels);
    canvas.setAttribute('role', 'img');
    canvas.setAttribute(
      'aria-label',
      `Test digit ${m.index}: a ${m.label}, predicted ${m.predicted}`,
    );
    const cap = document.createElement('figcaption');
    cap.textContent = `${m.label} → ${m.predicted} (${percent(m.confidence, 0)})`;
    fig.append(canvas, cap);
    return fig;
  });
}

export function resultsPanel({ $ }: LabCtx): Panel<LabWidgetState, undefined> {
  const confusion = $('[data-confusion]');
  const worstOut = $('[data-out="worst"]');
  const gallery = $('[data-gallery]');
  let seq = 0;
  return (s, _r, prev) => {
    if (prev && s.figuresRev !== prev.figuresRev) {
      seq++;
      confusion.replaceChildren(muted(LATER));
      gallery.replaceChildren(muted(LATER));
      worstOut.textContent = '';
    }
    const counts = s.ui.confusion;
    if (!counts || counts === prev?.ui.confusion) return;
    const rows = confusionRows(counts);
    confusion.replaceChildren(confusionTable(rows));
    const worst = worstConfusion(rows);
    worstOut.textContent = worst
      ? `Most frequent mistake: a ${worst.label} taken for a ${worst.predicted} (${worst.count} times). Blue: correct (the diagonal); orange: mistakes.`
      : 'No mistakes at all.';
    const mine = ++seq;
    const misclassified = s.ui.misclassified;
    void nextTask().then(() => {
      if (mine !== seq) return;
      const items = galleryItems(misclassified);
      if (items.length) gallery.replaceChildren(...items);
      else gallery.replaceChildren('None among the digits the lab sent.');
    });
  };
}
