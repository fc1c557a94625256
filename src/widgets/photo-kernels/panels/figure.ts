/**
 * The photo-kernels figure: the gray photo with the pointed window, the kernel's weights, the
 * feature map with the pointed pixel, and the window's numbers with the written-out multiply-add.
 */
import type { Panel, ViewContext } from '../../shared/define';
import { css, divergingRgb, inkRgb, textOn } from '../../shared/palette';
import { paint } from '../../shared/paint';
import * as photoState from '../../shared/photo-state';
import { photoInfo, placeBox } from '../../shared/photos';
import { kernelById } from '../kernels';
import { fmt, pixelTrace, signedScale, traceLine } from '../state';
import type { KernelsAction, KernelsResult, KernelsState } from '../state';

const gray = (v: number) => Math.round(255 * Math.max(0, Math.min(1, v)));

/** Nine spans in a 3 × 3 number grid. */
function cellsOf(grid: HTMLElement): HTMLSpanElement[] {
  grid.style.setProperty('--cols', '3');
  return Array.from({ length: 9 }, () => grid.appendChild(document.createElement('span')));
}

export function figurePanels(
  ctx: ViewContext<KernelsState, KernelsAction>,
): Panel<KernelsState, KernelsResult>[] {
  const { root, $ } = ctx;
  const input = $<HTMLCanvasElement>('[data-canvas="input"]');
  const output = $<HTMLCanvasElement>('[data-canvas="output"]');
  const windowBox = $('[data-pic="input"] .cbw-pic-box');
  const cellBox = $('[data-pic="output"] .cbw-pic-box');
  const weights = cellsOf($('[data-grid="kernel"]'));
  const taps = cellsOf($('[data-grid="window"]'));

  const pictures: Panel<KernelsState, KernelsResult> = (s, r, prev) => {
    const { width: w, height: h } = s.photo;
    if (prev?.photo !== s.photo) {
      paint(
        input,
        w,
        h,
        (i, out, at) => (out[at] = out[at + 1] = out[at + 2] = gray(r.gray.data[i])),
      );
      const info = photoInfo(s.photo.key);
      input.setAttribute(
        'aria-label',
        `${info?.alt ?? 'Your picture'} in gray, ${w} × ${h} pixels`,
      );
      $('[data-out="credit"]').textContent = info ? `Photo: ${info.credit}.` : '';
      root.dataset.photo = s.photo.key;
      root.dataset.size = `${h}x${w}`;
    }
    if (prev?.photo === s.photo && prev.kernel === s.kernel) return;
    const k = kernelById(s.kernel);
    const y = r.y.data;
    const m = signedScale(y, w, h);
    paint(output, w, h, (i, out, at) => {
      const c = k.scale === 'signed' ? divergingRgb(y[i], m) : inkRgb(1 - y[i]);
      out[at] = c[0];
      out[at + 1] = c[1];
      out[at + 2] = c[2];
    });
    output.setAttribute('aria-label', `The feature map of ${k.label}, ${w} × ${h} pixels`);
    weights.forEach((cell, i) => {
      const v = k.values[i];
      const bg = divergingRgb(v, Math.max(...k.values.map(Math.abs)));
      cell.textContent = fmt(v, 4);
      cell.style.background = css(bg);
      cell.style.color = textOn(bg);
    });
    $('[data-out="says"]').textContent = k.says;
    $('[data-legend="signed"]').hidden = k.scale !== 'signed';
    $('[data-legend="gray"]').hidden = k.scale === 'signed';
    $('[data-out="range"]').textContent = `±${fmt(m, 3)}`;
    root.dataset.kernel = s.kernel;
  };

  const pointer: Panel<KernelsState, KernelsResult> = (s, r, prev) => {
    if (prev?.photo === s.photo && prev.kernel === s.kernel && prev.cursor === s.cursor) return;
    const { width: w, height: h } = s.photo;
    const t = pixelTrace(s, r);
    placeBox(windowBox, w, h, t.row - 1, t.col - 1, t.row + 1, t.col + 1);
    placeBox(cellBox, w, h, t.row, t.col, t.row, t.col);
    t.terms.forEach((term, i) => {
      const bg = [gray(term.input), gray(term.input), gray(term.input)];
      taps[i].textContent = term.inPadding ? '0*' : fmt(term.input);
      taps[i].style.background = css(bg);
      taps[i].style.color = textOn(bg);
      taps[i].classList.toggle('is-padding', term.inPadding);
    });
    $('[data-grid="window"]').setAttribute(
      'aria-label',
      `Gray values of input rows ${t.row - 1}–${t.row + 1}, columns ${t.col - 1}–${t.col + 1}`,
    );
    $('[data-out="place"]').textContent = `output row ${t.row}, column ${t.col}`;
    $('[data-out="sum"]').textContent = traceLine(t);
    root.dataset.row = String(t.row);
    root.dataset.col = String(t.col);
    root.dataset.traceSum = String(t.sum);
  };

  const message: Panel<KernelsState, KernelsResult> = (s) => {
    photoState.showMessage($('[data-upload-msg]'), s.message);
    root.dataset.upload = s.message ? (s.message.bad ? 'refused' : 'ok') : '';
  };
  return [pictures, pointer, message];
}
