/**
 * The figure of the convolution-arithmetic widget: the padded input (hatched padding) and the
 * output as numbered grids, their captions, the output-size formulas with the reader's numbers,
 * and the current step (the kernel's footprint and the current cell).
 */
import katex from 'katex';
import type { Panel, ViewContext } from '../../shared/define';
import { Heatmap } from '../../shared/heatmap';
import { maxAbs } from '../../shared/palette';
import { footprint, formulaTex, padValues, paddingCells, stepCell } from '../arith';
import type { ArithOk } from '../arith';
import type { ArithAction, ArithState } from '../state';

const HATCH = 'repeating-linear-gradient(45deg, transparent 0 3px, rgb(90 90 90 / 0.45) 3px 5px)';

/** Hatches padding cells (inline, since the heatmap paints each cell's background inline). */
function hatch(map: Heatmap, cells: readonly number[], text: string): void {
  map.highlight('is-padding', cells);
  for (const i of cells) {
    const c = map.cell(i)!;
    c.style.backgroundImage = HATCH;
    c.textContent = text;
  }
}

/** Font size that fits the longest number of a grid inside its cells, never under 12 px. */
function fitText(map: Heatmap, values: ArrayLike<number>): void {
  let digits = 1;
  for (let i = 0; i < values.length; i++)
    digits = Math.max(digits, String(Math.round(values[i])).length);
  map.el.style.fontSize = `${Math.max(0.75, Math.min(0.8, 1.55 / (digits * 0.62))).toFixed(2)}rem`;
}

/** A numbered grid of `rows` × `cols` showing `values`. */
function grid(rows: number, cols: number, values: ArrayLike<number>, label: string): Heatmap {
  const map = new Heatmap({
    rows,
    cols,
    scale: { kind: 'diverging', maxAbs: maxAbs(values) },
    decimals: 0,
    cell: '1.9rem',
    label,
  });
  map.update(values);
  fitText(map, values);
  return map;
}

/** The two grids of `r`: in conv mode the padded input and the output, in transpose mode the
 * input and the output drawn inside the border its padding crops. */
function grids(r: ArithOk): { inMap: Heatmap; outMap: Heatmap; inText: string; outText: string } {
  const { g } = r;
  const padded = [g.inHeight + g.pads[0] + g.pads[2], g.inWidth + g.pads[1] + g.pads[3]];
  const pad = paddingCells(g);
  const pads = `[${g.pads.join(', ')}]`;
  if (r.settings.mode === 'conv') {
    const inValues = padValues(g, r.x.data);
    const inMap = grid(
      padded[0],
      padded[1],
      inValues,
      `Input ${g.inHeight}×${g.inWidth}, cells numbered 1 to ${g.inHeight * g.inWidth}, padded to ${padded[0]}×${padded[1]}`,
    );
    hatch(inMap, pad, '0');
    const outMap = grid(
      g.outHeight,
      g.outWidth,
      r.y.data,
      `Output ${g.outHeight}×${g.outWidth}: each cell is the sum of the input numbers under the kernel`,
    );
    return {
      inMap,
      outMap,
      inText: `Input ${g.inHeight}×${g.inWidth}, padding ${pads} hatched → ${padded[0]}×${padded[1]}`,
      outText: `Output ${g.outHeight}×${g.outWidth}`,
    };
  }
  const inMap = grid(
    g.outHeight,
    g.outWidth,
    r.x.data,
    `Input ${g.outHeight}×${g.outWidth}, cells numbered 1 to ${g.outHeight * g.outWidth}`,
  );
  const outMap = grid(
    padded[0],
    padded[1],
    padValues(g, r.y.data),
    `Output ${g.inHeight}×${g.inWidth}${pad.length ? `, drawn inside the ${padded[0]}×${padded[1]} grid before the padding crops it` : ''}`,
  );
  hatch(outMap, pad, '');
  return {
    inMap,
    outMap,
    inText: `Input ${g.outHeight}×${g.outWidth}`,
    outText: pad.length
      ? `Output ${g.inHeight}×${g.inWidth} (hatched: ${padded[0]}×${padded[1]} border cropped by pads ${pads})`
      : `Output ${g.inHeight}×${g.inWidth}`,
  };
}

/** What the figure panels draw with, and what the stepper reads back (for its sentence). */
export interface Drawn {
  result?: ArithOk;
  inMap?: Heatmap;
  outMap?: Heatmap;
}

/**
 * The panels: `settings` redraws the grids, captions and formulas when the settings change (and
 * calls `walked` so the stepper learns the new walk); `step` shows the current step.
 */
export function figurePanels(
  { root, $ }: ViewContext<ArithState, ArithAction>,
  drawn: Drawn,
  walked: (s: ArithState) => void,
): Panel<ArithState, ArithOk>[] {
  const inGrid = $('[data-grid="in"]');
  const outGrid = $('[data-grid="out"]');
  const inCaption = $('[data-caption="in"]');
  const outCaption = $('[data-caption="out"]');
  const formula = { h: $('[data-formula="h"]'), w: $('[data-formula="w"]') };

  const settings: Panel<ArithState, ArithOk> = (s, r, prev) => {
    if (prev?.settings === s.settings) return;
    const { g, settings: set } = r;
    const conv = set.mode === 'conv';
    root.dataset.agree = 'pending'; // a new check starts with this render
    root.dataset.mode = set.mode;
    root.dataset.outH = String(conv ? g.outHeight : g.inHeight);
    root.dataset.outW = String(conv ? g.outWidth : g.inWidth);
    root.dataset.pads = g.pads.join(',');
    const { inMap, outMap, inText, outText } = grids(r);
    Object.assign(drawn, { result: r, inMap, outMap });
    inGrid.replaceChildren(inMap.el);
    outGrid.replaceChildren(outMap.el);
    inCaption.textContent = inText;
    outCaption.textContent = outText;
    // The grid whose cells are the steps takes clicks.
    outGrid.style.cursor = conv ? 'pointer' : '';
    inGrid.style.cursor = conv ? '' : 'pointer';
    const opts = { displayMode: true, throwOnError: false, output: 'htmlAndMathml' as const };
    for (const axis of ['h', 'w'] as const)
      formula[axis].innerHTML = katex.renderToString(formulaTex(r, axis), opts);
    walked(s);
  };

  const step: Panel<ArithState, ArithOk> = (s, r, prev) => {
    if (prev?.step === s.step && prev.settings === s.settings) return;
    const { inMap, outMap } = drawn;
    if (!inMap || !outMap) return;
    const { g } = r;
    const { row, col } = stepCell(g, s.step);
    const window = footprint(g, row, col);
    const cell = row * g.outWidth + col;
    root.dataset.step = String(s.step);
    const conv = r.settings.mode === 'conv';
    (conv ? inMap : outMap).highlight('is-window', window);
    (conv ? outMap : inMap).highlight('is-current', [cell]);
    root.dataset.current = String((conv ? r.y : r.x).data[cell]);
  };

  return [settings, step];
}
