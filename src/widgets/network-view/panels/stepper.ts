/**
 * The stepper on one feature map: StepperBar's controls and the one key model (grid-nav.ts) over
 * the map's cells, the layer's input with the window outlined, the map with its cell, and the
 * window's numbers — for a convolution the input patch and the kernel of one input channel at a
 * time (numbers ≥ 12 px), each channel's share and the sum with the bias; for pooling the window
 * and its max or mean; for a pointwise layer its formula. Every number is the reference engine's
 * trace (window.ts), whose sum is the activation the overview drew.
 */
import type { Tensor } from '../../../cnn/index.ts';
import type { Panel, ViewContext } from '../../shared/define';
import { Heatmap } from '../../shared/heatmap';
import { css, divergingRgb, maxAbs, textOn } from '../../shared/palette';
import { stepperParts, wireStepper } from '../../shared/stepper';
import type { Pass } from '../reference';
import { cellCount, placeText, stageOf } from '../state';
import type { NvAction, NvState } from '../state';
import { cellWindow, num } from '../window';
import type { CellWindow } from '../window';
import { cellAt, outlineCells, paintGrid, stageColour, zoomFor } from './paint';
import type { Colour } from './paint';

type P = Panel<NvState, Pass | undefined>;

/** A grid of numbers (≥ 12 px) coloured like the map it comes from. */
function grid(
  label: string,
  values: readonly number[],
  rows: number,
  cols: number,
  colour: Colour,
) {
  const fig = document.createElement('figure');
  fig.className = 'nv-fig';
  const cap = document.createElement('figcaption');
  cap.textContent = label;
  const h = new Heatmap({
    rows,
    cols,
    scale: { kind: 'ink' },
    decimals: 2,
    cell: '2.75rem',
    label,
  });
  h.el.classList.add('nv-numbers');
  h.update(values);
  values.forEach((v, k) => {
    const rgb = Number.isNaN(v) ? ([200, 200, 200] as const) : colour(v);
    h.cell(k)!.style.background = css(rgb);
    h.cell(k)!.style.color = textOn(rgb);
  });
  fig.append(cap, h.el);
  return { fig, h };
}

function windowNodes(w: CellWindow, inChannel: number, inColour: Colour): Node[] {
  if (w.kind === 'pointwise') return [];
  if (w.kind === 'pool') {
    const values = w.cells.map((c) => c.value);
    const g = grid(`The ${w.kh}×${w.kw} window`, values, w.kh, w.kw, inColour);
    w.cells.forEach((c, k) => c.inPadding && g.h.cell(k)?.classList.add('is-padding'));
    return [g.fig];
  }
  const ch = w.channels[inChannel] ?? w.channels[0]!;
  const patch = grid(`Input patch, channel ${ch.channel}`, ch.patch, w.kh, w.kw, inColour);
  ch.padding.forEach((p, k) => p && patch.h.cell(k)?.classList.add('is-padding'));
  const m = maxAbs(ch.kernel);
  const kernel = grid(`Kernel, channel ${ch.channel}`, ch.kernel, w.kh, w.kw, (v) =>
    divergingRgb(v, m),
  );
  return [patch.fig, kernel.fig];
}

function equation(w: CellWindow, inChannel: number, y: string): { eq: string; sums: string } {
  if (w.kind === 'pointwise') return { eq: w.formula, sums: '' };
  if (w.kind === 'pool') {
    const values = w.cells.filter((c) => !c.inPadding).map((c) => num(c.value));
    return { eq: `${y} = ${w.op}(${values.join(', ')}) = ${num(w.value, 4)}`, sums: '' };
  }
  const ch = w.channels[inChannel] ?? w.channels[0]!;
  const eq = `Channel ${ch.channel}: Σ patch × kernel = ${num(ch.subtotal, 4)}`;
  const shares = w.channels.map((c) => num(c.subtotal, 4)).join(' + ');
  const sums =
    w.channels.length > 1
      ? `${y} = ${shares} (one share per input channel) + bias ${num(w.bias, 4)} = ${num(w.value, 4)}`
      : `${y} = ${shares} + bias ${num(w.bias, 4)} = ${num(w.value, 4)}`;
  return { eq, sums };
}

export function stepperPanel(ctx: ViewContext<NvState, NvAction>): P {
  const { root, $, dispatch, state } = ctx;
  const panel = $('[data-stepper-panel]');
  const parts = stepperParts(panel);
  const place = $('[data-place]');
  const inMap = $<HTMLCanvasElement>('[data-in-map]');
  const outMap = $<HTMLCanvasElement>('[data-out-map]');
  const inCaption = $('[data-in-caption]');
  const outCaption = $('[data-out-caption]');
  const channelRow = $('[data-channels-row]');
  const channel = $<HTMLSelectElement>('[data-in-channel]');
  const grids = $('[data-grids]');
  const eq = $('[data-equation]');
  const sums = $('[data-sums]');
  const stepOut = panel.querySelector<HTMLElement>('[data-out="step"]');
  const width = () => {
    const s = state();
    return (s.open && stageOf(s, s.open.map)?.stage.width) || 1;
  };
  wireStepper(parts, {
    count: () => cellCount(state()),
    step: () => state().open?.cell ?? 0,
    show: (cell) => dispatch({ kind: 'go', cell }),
    finished: () => {},
    delayMs: () => 300,
    cols: width,
  });
  parts.keys.tabIndex = -1; // Enter on the overview moves the keys here
  parts.keys.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    dispatch({ kind: 'close' });
    $('[data-overview]').focus();
  });
  outMap.addEventListener('click', (e) => {
    const s = state();
    const st = s.open && stageOf(s, s.open.map);
    if (st) dispatch({ kind: 'go', cell: cellAt(e, outMap, st.stage.height, st.stage.width) });
  });
  channel.addEventListener('change', () =>
    dispatch({ kind: 'in-channel', channel: Number(channel.value) }),
  );
  $('[data-close]').addEventListener('click', () => {
    dispatch({ kind: 'close' });
    $('[data-overview]').focus();
  });

  let drawnPass: Pass | undefined;
  return (s, r, prev) => {
    const st = s.open && stageOf(s, s.open.map);
    panel.hidden = !st || !r;
    if (!st || !r || s.net.kind !== 'ready' || r.net.spec !== s.net.net.spec) {
      delete root.dataset.openLayer;
      return;
    }
    if (prev && prev.open === s.open && prev.net === s.net && r === drawnPass) return;
    drawnPass = r;
    const { ref, stage } = st;
    const open = s.open!;
    const row = Math.floor(open.cell / stage.width);
    const col = open.cell % stage.width;
    const out = (k: number): Tensor => (k < 0 ? r.image : r.activations[k]!);
    const input = out(ref.layer - 1);
    const w = cellWindow({
      spec: r.net.spec,
      params: r.net.params,
      input,
      output: out,
      layer: ref.layer,
      channel: ref.channel,
      row,
      col,
    })!;
    const inStage = s.net.stages[ref.stage - 1]!;
    const inColour = stageColour(inStage, input.data, ref.layer === 0);
    const inC = w.kind === 'conv' ? (w.channels[open.inChannel]?.channel ?? 0) : ref.channel;
    const [, , ih, iw] = input.shape as [number, number, number, number];

    place.textContent = `Stepper on ${placeText(s)}`;
    const count = stage.height * stage.width;
    parts.scrub.max = String(count - 1);
    parts.scrub.value = String(open.cell);
    parts.scrub.setAttribute('aria-valuetext', `row ${row}, column ${col}`);
    if (stepOut)
      stepOut.textContent = `cell ${open.cell + 1} of ${count}: row ${row}, column ${col}`;

    const zin = zoomFor(iw, 168);
    paintGrid(inMap, input.data, inC * ih * iw, ih, iw, inColour, zin);
    outlineCells(inMap, w.inputCells, iw, zin, '#7b2cbf', Math.max(2, zin / 3));
    inCaption.textContent =
      ref.layer === 0 ? 'The input image' : `Its input: layer ${ref.layer - 1}, map ${inC}`;
    const outT = out(ref.layer);
    const zout = zoomFor(stage.width, 168);
    paintGrid(
      outMap,
      outT.data,
      ref.channel * count,
      stage.height,
      stage.width,
      stageColour(stage, outT.data),
      zout,
    );
    outlineCells(outMap, [open.cell], stage.width, zout, '#e3a008', Math.max(2, zout / 3));
    outCaption.textContent = `Layer ${ref.layer}, map ${ref.channel} (click a cell)`;
    inMap.setAttribute('aria-label', `${inCaption.textContent}, the window outlined`);
    outMap.setAttribute(
      'aria-label',
      `Layer ${ref.layer}, map ${ref.channel}, row ${row}, column ${col} outlined`,
    );

    channelRow.hidden = !(w.kind === 'conv' && w.channels.length > 1);
    if (w.kind === 'conv' && channel.options.length !== w.channels.length)
      channel.replaceChildren(
        ...w.channels.map((c, k) => new Option(`${c.channel} of ${w.channels.length}`, String(k))),
      );
    channel.value = String(open.inChannel);
    grids.replaceChildren(...windowNodes(w, open.inChannel, inColour));
    const y = `y(${row}, ${col})`;
    const text = equation(w, open.inChannel, y);
    eq.textContent = text.eq;
    sums.textContent = text.sums;
    sums.hidden = !text.sums;

    const activation = outT.data[ref.channel * count + open.cell]!;
    root.dataset.openLayer = String(ref.layer);
    root.dataset.openMap = String(ref.channel);
    root.dataset.openCell = String(open.cell);
    root.dataset.windowValue = String(w.value);
    root.dataset.cellValue = String(activation);
  };
}
