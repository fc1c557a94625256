/**
 * The convolution step: the input with the block one kernel cell meets, δ, the kernel gradient
 * with that cell's sum written out, and the input gradient with one pixel's sum written out.
 */
import { conv2dInputGradTrace, conv2dKernelGradTrace } from '../../../cnn/index.ts';
import { num } from '../../shared/format';
import { CONV, FILTERS, kernelCellBorder, plane, SIDE } from '../backward';
import { changed, data, sub } from './common';
import type { BackpropPanel, PanelParts } from './common';
import { paint } from './grids';

export function convPanel({ root, $, grids: { maps } }: PanelParts): BackpropPanel {
  return (s, r, prev) => {
    if (!changed(prev, s, 'channel', 'weight', 'pixel')) return;
    const { pass: d } = r;
    const w = s.weight;
    const [f, p, q] = w.kind === 'kernel' ? [w.filter, w.row, w.col] : [s.channel, 1, 1];
    maps['conv-x'].update(d.x.data);
    maps['conv-x'].highlight('is-window', kernelCellBorder(p, q));
    $('[data-caption="conv-x"]').textContent =
      `Input x: kernel cell (${p}, ${q}) meets the 26 × 26 block outlined (rows ${p}–${p + CONV - 1}, columns ${q}–${q + CONV - 1})`;
    paint(maps, 'conv-ds', plane(d.dConv, f));
    const dk = d.grads['0.kernel'].data.subarray(f * 9, f * 9 + 9);
    paint(maps, 'conv-dk', dk);
    maps['conv-dk'].highlight('is-current', [p * 3 + q]);
    const t = conv2dKernelGradTrace(d.x, [FILTERS, 1, 3, 3], d.dConv, {
      filter: f,
      channel: 0,
      kernelRow: p,
      kernelCol: q,
    });
    const nz = t.terms.filter((term) => term.product !== 0);
    const shown = nz
      .slice(0, 6)
      .map(
        (term) =>
          `δ[${term.outRow},${term.outCol}]·x[${term.inputRow},${term.inputCol}] = ${num(term.outputGrad, 4)}·${num(term.input, 3)}`,
      );
    $('[data-out="kernel-trace"]').textContent =
      `∂L/∂k${sub(f)}[${p},${q}] = Σ over ${t.terms.length} output cells of δ[i,j]·x[i+${p}, j+${q}]; ${nz.length} products are non-zero (δ is 0 at closed gates and non-winners, x is 0 on the background): ${shown.join(' + ')}${nz.length > 6 ? ` + … (${nz.length - 6} more)` : ''} = ${num(t.sum, 6)}. Backprop’s whole kernel gradient has ${num(dk[p * 3 + q], 6)} here.`;
    data(root, 'kernelTrace', t.sum);

    const pixel = s.pixel ?? r.strongestPixel;
    paint(maps, 'conv-dx', d.dInput.data);
    maps['conv-dx'].highlight('is-current', [pixel]);
    const row = Math.floor(pixel / SIDE);
    const col = pixel % SIDE;
    const it = conv2dInputGradTrace([1, 1, SIDE, SIDE], r.params['0.kernel'], d.dConv, {
      n: 0,
      channel: 0,
      row,
      col,
    });
    const itNz = it.terms.filter((term) => term.product !== 0);
    const terms = itNz
      .slice(0, 8)
      .map(
        (term) =>
          `δ${sub(term.filter)}[${term.outRow},${term.outCol}]·k${sub(term.filter)}[${term.kernelRow},${term.kernelCol}] = ${num(term.outputGrad, 4)}·${num(term.kernel, 3)}`,
      );
    $('[data-out="input-trace"]').textContent =
      `∂L/∂x[${row},${col}] = Σ over filters m and kernel cells (p, q) of δₘ[${row}−p, ${col}−q]·kₘ[p,q] — ${it.terms.length} terms (fewer at the border, where the flipped kernel hangs over the edge of δ), ${itNz.length} non-zero: ${terms.join(' + ')}${itNz.length > 8 ? ` + … (${itNz.length - 8} more)` : ''} = ${num(it.sum, 6)}. Nobody trains the image, but this gradient is what saliency maps (lesson 11) show.`;
  };
}
