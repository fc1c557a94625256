/** (a) the digit and its saliency maps, and (c) the first layer's filters with their top digits. */
import type { Panel } from '../../shared/define';
import { num } from '../../shared/format';
import { Heatmap } from '../../shared/heatmap';
import { PixelMap } from '../../shared/pixel-map';
import { inkThumbnail } from '../../shared/thumbnail';
import { maxAbs } from '../../shared/palette';
import { absolute, argmax, SIDE, TOP_K, topImages } from '../analysis';
import type { SalState } from '../state';
import type { SalCtx, SalResult } from '../state';

type P = Panel<SalState, SalResult | undefined>;

/** A dense map on a canvas (each digit step redrew 3,136 heatmap cells: 100–800 ms of restyling). */
export const ink = (rows: number, cols: number, cell: string, label: string): PixelMap =>
  new PixelMap({ rows, cols, cell, label, scale: { kind: 'ink' } });

export function saliencyPanel({ root, $ }: SalCtx): P {
  const digitMap = ink(SIDE, SIDE, '0.55rem', 'The test digit');
  const salMap = ink(SIDE, SIDE, '0.55rem', 'Saliency: absolute gradient of the class score');
  const signedMap = new PixelMap({
    rows: SIDE,
    cols: SIDE,
    cell: '0.55rem',
    label: 'Signed gradient of the class score',
    scale: { kind: 'diverging', maxAbs: 1 },
  });
  $('[data-grid="digit"]').replaceChildren(digitMap.el);
  $('[data-grid="saliency"]').replaceChildren(salMap.el);
  $('[data-grid="signed"]').replaceChildren(signedMap.el);
  let drawn: SalResult | undefined;
  return (s, r) => {
    if (!r || r === drawn) return;
    drawn = r;
    const d = s.digits[s.settings.digit]!;
    const c = r.cls;
    digitMap.update(d.pixels);
    const abs = absolute(r.gradient);
    const m = Math.max(maxAbs(abs), 1e-12);
    salMap.update(abs.map((v) => v / m));
    signedMap.update(r.gradient, { kind: 'diverging', maxAbs: m });
    const top = argmax(r.probs);
    const says = top < 0 ? 'gives no number (NaN)' : `says ${top} (p = ${num(r.probs[top]!, 3)})`;
    $('[data-out="prediction"]').textContent =
      `Test digit ${s.settings.digit} is a ${d.label}; the network ${says}; explaining class ${c} (p = ${num(r.probs[c]!, 3)}).`;
    $('[data-caption="saliency"]').textContent =
      `|∂ z${c} / ∂ pixel| (largest = ${m.toExponential(2)})`;
    // The digit these figures are for: the reference result comes from a worker, a moment after
    // the digit was chosen.
    root.dataset.shownDigit = String(s.settings.digit);
    root.dataset.predicted = String(top);
    root.dataset.label = String(d.label);
    root.dataset.saliencyPeak = String(abs.indexOf(m));
  };
}

export function filtersPanel({ root, $ }: SalCtx): P {
  const box = $('[data-grid="filters"]');
  let drawn: SalResult['first'] | undefined;
  return (s, r) => {
    if (!r || r.first === drawn) return;
    drawn = r.first;
    if (!r.first) {
      box.textContent = 'This network does not start with a convolution.';
      delete root.dataset.filterTop;
      return;
    }
    const { maxima, filters, where } = r.first;
    const kernel = r.net.params['0.kernel']!;
    const [, cin, kh, kw] = kernel.shape as [number, number, number, number];
    box.replaceChildren();
    for (let f = 0; f < filters; f++) {
      const fig = document.createElement('figure');
      const cap = document.createElement('figcaption');
      const top = topImages(maxima, filters, f);
      cap.textContent = `Filter ${f} and its ${TOP_K} strongest test digits (responses ${top.map((i) => num(maxima[i * filters + f]!, 2)).join(', ')})`;
      const row = document.createElement('div');
      row.className = 'sal-row';
      const k = kernel.data.subarray(f * cin * kh * kw, f * cin * kh * kw + kh * kw);
      const km = new Heatmap({
        rows: kh,
        cols: kw,
        cell: '0.85rem',
        label: `Filter ${f}`,
        scale: { kind: 'diverging', maxAbs: Math.max(maxAbs(k), 1e-9) },
      });
      km.update(k);
      row.append(km.el);
      for (const i of top) {
        const d = s.digits[i]!;
        const w = where[i * filters + f]!;
        const at = `rows ${w.row}–${w.row + w.rows - 1}, columns ${w.col}–${w.col + w.cols - 1}`;
        const thumb = inkThumbnail(
          d.pixels,
          SIDE,
          `Test digit ${i}, a ${d.label}; fired most at ${at}`,
        );
        thumb.title = `test digit ${i}, a ${d.label}: fired most at ${at}`;
        // The window where the filter fired most, outlined on the digit (in % of its side).
        const mark = document.createElement('span');
        mark.className = 'sal-fired';
        mark.dataset.fired = `${w.row},${w.col}`;
        const pc = (v: number) => `${((100 * v) / SIDE).toFixed(2)}%`;
        Object.assign(mark.style, {
          top: pc(w.row),
          left: pc(w.col),
          height: pc(w.rows),
          width: pc(w.cols),
        });
        const holder = document.createElement('span');
        holder.className = 'sal-thumb';
        holder.append(thumb, mark);
        row.append(holder);
      }
      fig.append(cap, row);
      box.append(fig);
    }
    root.dataset.filterTop = Array.from(
      { length: filters },
      (_, f) => topImages(maxima, filters, f)[0],
    ).join(',');
  };
}
