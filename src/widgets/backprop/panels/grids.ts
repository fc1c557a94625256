/** The heatmaps every step draws into, made once and put in their `[data-grid]` boxes. */
import { Heatmap } from '../../shared/heatmap';
import type { Scale } from '../../shared/heatmap';
import { maxAbs } from '../../shared/palette';
import { CONV, FILTERS, POOLED, SIDE } from '../backward';

/** A diverging scale that fits `values` (never 0 wide). */
export const fit = (values: ArrayLike<number>): Scale => ({
  kind: 'diverging',
  maxAbs: Math.max(maxAbs(values), 1e-9),
});

const SMALL = '1.05rem'; // a 13 × 13 map
const TINY = '0.62rem'; // a 26 × 26 map
const PIXEL = '0.6rem'; // the 28 × 28 image

/** grid name → [rows, cols, cell size, label, decimals shown]. */
const GRIDS = {
  'dense-x': [POOLED, POOLED, SMALL, 'Dense layer input, one channel'],
  'dense-dw': [POOLED, POOLED, SMALL, 'Weight gradient, one row of W'],
  'dense-dx': [POOLED, POOLED, SMALL, 'Dense input gradient'],
  'pool-a': [CONV, CONV, TINY, 'ReLU output with window winners'],
  'pool-dy': [POOLED, POOLED, SMALL, 'Gradient at the pooled map'],
  'pool-da': [CONV, CONV, TINY, 'Gradient routed to the winners'],
  'relu-s': [CONV, CONV, TINY, 'Convolution output; closed gates hatched'],
  'relu-da': [CONV, CONV, TINY, 'Gradient from the pool'],
  'relu-ds': [CONV, CONV, TINY, 'Gradient after the ReLU gate'],
  'conv-ds': [CONV, CONV, TINY, 'Gradient at the convolution output'],
  'conv-dk': [3, 3, '3.6rem', 'Kernel gradient of this filter', 4],
  'conv-dx': [SIDE, SIDE, PIXEL, 'Gradient on the input image'],
} as const satisfies Record<string, readonly [number, number, string, string, number?]>;
export type GridName = keyof typeof GRIDS | 'conv-x';

export interface Grids {
  readonly maps: Readonly<Record<GridName, Heatmap>>;
  /** Filter f's kernel before and after the SGD step. */
  readonly kernels: readonly { readonly before: Heatmap; readonly after: Heatmap }[];
}

/** Draws `values` on map `name` with a scale that fits them. */
export function paint(maps: Grids['maps'], name: GridName, values: ArrayLike<number>): void {
  maps[name].update(values, fit(values));
}

export function makeGrids($: (selector: string) => HTMLElement): Grids {
  const put = (name: string, h: Heatmap) => {
    $(`[data-grid="${name}"]`).replaceChildren(h.el);
    return h;
  };
  const maps = {} as Record<GridName, Heatmap>;
  for (const [name, [rows, cols, cell, label, decimals]] of Object.entries(GRIDS) as [
    keyof typeof GRIDS,
    readonly [number, number, string, string, number?],
  ][])
    maps[name] = put(
      name,
      new Heatmap({ rows, cols, scale: { kind: 'diverging', maxAbs: 1 }, cell, label, decimals }),
    );
  maps['conv-x'] = put(
    'conv-x',
    new Heatmap({
      rows: SIDE,
      cols: SIDE,
      scale: { kind: 'ink' },
      cell: PIXEL,
      label: 'Input digit',
    }),
  );
  const kernel = (f: number, when: 'before' | 'after') =>
    put(
      `kernel-${when}-${f}`,
      new Heatmap({
        rows: 3,
        cols: 3,
        scale: { kind: 'diverging', maxAbs: 1 },
        cell: '2.5rem',
        label: `Filter ${f} ${when} the step`,
        decimals: 2,
      }),
    );
  const kernels = Array.from({ length: FILTERS }, (_, f) => ({
    before: kernel(f, 'before'),
    after: kernel(f, 'after'),
  }));
  return { maps, kernels };
}
