/**
 * The grids: the 14×14 input, the kernel as slid and the 14×14 output of the stepper, and the
 * full 28×28 image with its feature map, whose cells read out their multiply-add when pointed at.
 */
import type { Panel, ViewContext } from '../../shared/define';
import { Heatmap, type Scale } from '../../shared/heatmap';
import { maxAbs } from '../../shared/palette';
import {
  computeKey,
  fmt,
  FULL,
  fullTrace,
  sideOf,
  SMALL,
  windowIndices,
  type ConvAction,
  type ConvState,
} from '../state';

/** What the reference engine computed for a state (the kernel as slid, both maps). */
export interface ConvResult {
  readonly k: readonly number[];
  readonly small: Float32Array;
  readonly fullMap: Float32Array;
  readonly smallMap: Float32Array;
  readonly scale: Scale;
}

export interface Grids {
  readonly input: Heatmap;
  readonly output: Heatmap;
  readonly fullIn: Heatmap;
  readonly fullOut: Heatmap;
}

/** Exact zeros (blank paper) read "0" rather than "0.0", so the eye finds the ink; no "−0.0". */
export function quietZeros(map: Heatmap, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const cell = map.cell(i)!;
    if (values[i] === 0) cell.textContent = '0';
    else if (/^−0\.0+$/.test(cell.textContent ?? '')) cell.textContent = cell.textContent!.slice(1);
  }
}

const kernelMap = (size: number) =>
  new Heatmap({
    rows: size,
    cols: size,
    scale: { kind: 'diverging', maxAbs: 1 },
    decimals: size === 5 ? 1 : 2, // exact values are in the editor and in the multiply-add
    cell: size === 5 ? '2.3rem' : '3.4rem',
    label: `The ${size} by ${size} kernel as it is slid over the image`,
  });

/** Builds the grids into their places and returns them with the panels that draw them. */
export function mapsView({ root, $, dispatch }: ViewContext<ConvState, ConvAction>): {
  grids: Grids;
  panels: Panel<ConvState, ConvResult>[];
} {
  const small = (label: string, scale: Scale, decimals = 1) =>
    new Heatmap({ rows: SMALL, cols: SMALL, scale, decimals, cell: '1.55rem', label });
  const full = (label: string, scale: Scale) =>
    new Heatmap({ rows: FULL, cols: FULL, scale, cell: '0.62rem', label });
  const grids: Grids = {
    input: small('Stepper input: the digit averaged down to 14 by 14 pixels, values 0 to 1', {
      kind: 'ink',
    }),
    output: small('Stepper output: the feature map filled in up to the current step', {
      kind: 'diverging',
      maxAbs: 1,
    }),
    fullIn: full('The full 28 by 28 input image', { kind: 'ink' }),
    fullOut: full('The full 28 by 28 feature map', { kind: 'diverging', maxAbs: 1 }),
  };
  let kernel = kernelMap(3);
  let kernelSide = 3;
  $('[data-grid="input"]').append(grids.input.el);
  $('[data-grid="kernel"]').append(kernel.el);
  $('[data-grid="output"]').append(grids.output.el);
  $('[data-grid="full-input"]').append(grids.fullIn.el);
  $('[data-grid="full-output"]').append(grids.fullOut.el);
  grids.output.el.dataset.output = '';

  // Pointing at (or tapping) the full feature map reads that cell out below it.
  const pointed = (e: Event) => (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
  const inspect = (e: Event) => {
    const cell = pointed(e);
    if (cell) dispatch({ kind: 'inspect', index: Number(cell.dataset.index) });
  };
  grids.fullOut.el.addEventListener('mouseover', inspect);
  grids.fullOut.el.addEventListener('click', inspect);
  grids.fullOut.el.addEventListener('mouseleave', () => dispatch({ kind: 'inspect', index: null }));

  const scaleNote = $('[data-scale]');
  const readout = $('[data-full-readout]');
  const hint = readout.textContent ?? '';

  const maps: Panel<ConvState, ConvResult> = (s, r, prev) => {
    if (prev && computeKey(prev) === computeKey(s)) return;
    const size = sideOf(r.k);
    if (size !== kernelSide) {
      const fresh = kernelMap(size);
      kernel.el.replaceWith(fresh.el);
      kernel = fresh;
      kernelSide = size;
    }
    grids.input.update(r.small);
    quietZeros(grids.input, r.small);
    grids.fullIn.update(s.image);
    grids.fullOut.update(r.fullMap, r.scale);
    kernel.update(r.k, { kind: 'diverging', maxAbs: Math.max(maxAbs(r.k), 1e-6) });
    const m = r.scale.kind === 'diverging' ? r.scale.maxAbs : 1;
    scaleNote.textContent = `Colour scale of both feature maps: −${fmt(m, 2)} (blue) to ${fmt(m, 2)} (orange).`;
    root.dataset.kernel = r.k.join(',');
  };

  const reading: Panel<ConvState, ConvResult> = (s, r, prev) => {
    if (prev && prev.inspect === s.inspect && computeKey(prev) === computeKey(s)) return;
    if (s.inspect === null) {
      grids.fullIn.highlight('is-window', []);
      grids.fullOut.highlight('is-current', []);
      readout.textContent = hint;
      return;
    }
    const t = fullTrace(s.image, r.k, s.bias, s.inspect);
    const size = sideOf(r.k);
    grids.fullIn.highlight('is-window', windowIndices(t, FULL));
    grids.fullOut.highlight('is-current', [s.inspect]);
    readout.textContent = `Feature map row ${t.row}, column ${t.col} = ${fmt(t.sum, 4)} (its ${size}×${size} window is outlined on the input).`;
  };

  return { grids, panels: [maps, reading] };
}
