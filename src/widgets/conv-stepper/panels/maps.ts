/**
 * The grids: the 14×14 input drawn with its ring of zero padding, the kernel as slid and the
 * 14×14 output of the stepper, and the full 28×28 image (with its ring) and its feature map, whose
 * cells read out their multiply-add when pointed at. The stepper's grids are dense, so they are
 * colour only: the multiply-add table is the magnified readout of the current window.
 */
import type { Panel, ViewContext } from '../../shared/define';
import { Heatmap } from '../../shared/heatmap';
import type { Scale } from '../../shared/heatmap';
import { ringIndices, withRing } from '../../shared/padding';
import { maxAbs } from '../../shared/palette';
import { computeKey, fmt, FULL, fullTrace, padFor, sideOf, SMALL, windowIndices } from '../state';
import type { ConvAction, ConvState } from '../state';

/** What the reference engine computed for a state (the kernel as slid, both maps). */
export interface ConvResult {
  readonly k: readonly number[];
  readonly small: Float32Array;
  readonly fullMap: Float32Array;
  readonly smallMap: Float32Array;
  readonly scale: Scale;
}

export interface Grids {
  /** The stepper's input, drawn with `pad` cells of zero padding around it (rebuilt per size). */
  input: Heatmap;
  readonly output: Heatmap;
  fullIn: Heatmap;
  readonly fullOut: Heatmap;
  pad: number;
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

/** An input drawn with its ring of `pad` zeros: a (side + 2·pad)² heatmap. */
const ringed = (side: number, pad: number, cell: string, what: string) =>
  new Heatmap({
    rows: side + 2 * pad,
    cols: side + 2 * pad,
    scale: { kind: 'ink' },
    cell,
    label: `${what}, values 0 to 1, with its ring of zero padding ${pad} pixel${pad > 1 ? 's' : ''} wide drawn hatched around it`,
  });
const SMALL_IN = 'Stepper input: the digit averaged down to 14 by 14 pixels';
const FULL_IN = 'The full 28 by 28 input image';

/** Draws an image with its ring: the ring's cells are 0 (paper) and hatched. */
function drawRinged(map: Heatmap, image: ArrayLike<number>, side: number, pad: number): void {
  map.update(withRing(image, side, side, pad));
  map.highlight('is-padding', ringIndices(side, side, pad));
}

/** Builds the grids into their places and returns them with the panels that draw them. */
export function mapsView({ root, $, dispatch }: ViewContext<ConvState, ConvAction>): {
  grids: Grids;
  panels: Panel<ConvState, ConvResult>[];
} {
  // Sizes from the figure's CSS (var(--step-cell), var(--full-cell)): they shrink to fit the screen.
  const small = (label: string, scale: Scale) =>
    new Heatmap({ rows: SMALL, cols: SMALL, scale, cell: 'var(--step-cell)', label });
  const full = (label: string, scale: Scale) =>
    new Heatmap({ rows: FULL, cols: FULL, scale, cell: 'var(--full-cell)', label });
  const grids: Grids = {
    input: ringed(SMALL, 1, 'var(--step-cell)', SMALL_IN),
    output: small('Stepper output: the feature map filled in up to the current step', {
      kind: 'diverging',
      maxAbs: 1,
    }),
    fullIn: ringed(FULL, 1, 'var(--full-cell)', FULL_IN),
    fullOut: full('The full 28 by 28 feature map', { kind: 'diverging', maxAbs: 1 }),
    pad: 1,
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
      const pad = padFor(size);
      const input = ringed(SMALL, pad, 'var(--step-cell)', SMALL_IN);
      const fullIn = ringed(FULL, pad, 'var(--full-cell)', FULL_IN);
      grids.input.el.replaceWith(input.el);
      grids.fullIn.el.replaceWith(fullIn.el);
      Object.assign(grids, { input, fullIn, pad });
    }
    root.dataset.pad = String(grids.pad);
    drawRinged(grids.input, r.small, SMALL, grids.pad);
    drawRinged(grids.fullIn, s.image, FULL, grids.pad);
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
    grids.fullIn.highlight('is-window', windowIndices(t, FULL, grids.pad));
    grids.fullOut.highlight('is-current', [s.inspect]);
    readout.textContent = `Feature map row ${t.row}, column ${t.col} = ${fmt(t.sum, 4)} (its ${size}×${size} window is outlined on the input, padding included).`;
  };

  return { grids, panels: [maps, reading] };
}
