/**
 * pool-shift, declared on the widget kernel: pick one of ten test digits and one of the trained
 * net's eight first-layer maps; see the map and its max-pooled version before and after a 1-px
 * shift of the digit, each strong response marked kept or lost, and the shares over all digits
 * and maps. The reference engine computes the layer for all 20 inputs at once; ORT runs the same
 * Conv, Relu and MaxPool to check every map drawn.
 */
import { tensorFeeds } from '../../shared/net-feeds';
import type { WidgetSpec } from '../../shared/define';
import { embedded } from '../../shared/dom';
import { fieldParams, integer, readFields } from '../../shared/fields';
import { readParams } from '../../shared/url-state';
import { homeParams } from '../../shared/home-net';
import type { HomeAsset } from '../../shared/home-net';
import { css, inkRgb } from '../../shared/palette';
import { shiftModel, shiftModelKey } from './model';
import { computeShift, firstLayer, KEEP, mapPair, share, STRONG, survival } from './state';
import type { FirstLayer, ShiftResult, Survival } from './state';

interface PsState {
  readonly digit: number;
  readonly map: number;
}
type PsAction = { readonly kind: 'digit' | 'map'; readonly value: number };
type Digit = { label: number; pixels: number[] };

/** The link's settings: which of the ten digits (0–9, the digit itself) and which map. */
const FIELDS = {
  digit: integer('digit', 'test digit', { min: 0, max: 9, initial: 7 }),
  map: integer('map', 'feature map', { min: 0, max: 7, initial: 0 }),
} as const;

const pct = (s: Survival) => `${(100 * share(s)).toFixed(1)}%`;
const said = (s: Survival) =>
  s.strong
    ? `${s.kept} of ${s.strong} (${pct(s)})`
    : 'none: this map is 0 everywhere on this digit';

/** Draws an h × w map, `px` pixels a cell, with the marked cells outlined in their colours. */
function drawMap(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  w: number,
  max: number,
  marks: ReadonlyMap<number, string> = new Map(),
): void {
  const h = values.length / w;
  const px = Math.max(2, Math.round(192 / w));
  canvas.width = w * px;
  canvas.height = h * px;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  for (let i = 0; i < values.length; i++) {
    ctx.fillStyle = css(inkRgb(max > 0 ? values[i]! / max : 0));
    ctx.fillRect((i % w) * px, Math.floor(i / w) * px, px, px);
  }
  ctx.lineWidth = Math.max(1.5, px / 5);
  for (const [i, colour] of marks) {
    ctx.strokeStyle = colour;
    const o = ctx.lineWidth / 2;
    ctx.strokeRect((i % w) * px + o, Math.floor(i / w) * px + o, px - 2 * o, px - 2 * o);
  }
}

/** The strong cells of `before`, marked kept or lost in `after`. */
function marksOf(before: Float32Array, after: Float32Array, kept: string, lost: string) {
  let m = 0;
  for (const v of before) m = Math.max(m, v);
  const strong = new Map<number, string>();
  const judged = new Map<number, string>();
  before.forEach((v, i) => {
    if (m <= 0 || v < STRONG * m) return;
    strong.set(i, kept);
    judged.set(i, Math.abs(v - after[i]!) <= KEEP * m ? kept : lost);
  });
  return { m, strong, judged };
}

export function poolShiftWidget(): WidgetSpec<PsState, PsAction, ShiftResult> {
  let layer: FirstLayer | undefined;
  let digits: Digit[] = [];
  return {
    name: 'pool-shift',
    ns: 'pshift',
    init(root) {
      const asset = embedded<HomeAsset>(root, 'home-net');
      layer = firstLayer(asset.spec, homeParams(asset));
      digits = embedded<Digit[]>(root, 'digits');
      const { values, notes } = readFields(FIELDS, readParams('pshift'));
      return { state: values, notes };
    },
    reduce: (s, a) => (a.kind === 'digit' ? { ...s, digit: a.value } : { ...s, map: a.value }),
    compute: {
      key: () => 'home',
      run: () =>
        computeShift(
          layer!,
          digits.map((d) => d.pixels),
        ),
      check: (_s, r) => ({
        key: shiftModelKey(r, layer!.pool.kernelShape),
        model: () => shiftModel(r, layer!.kernel.shape, layer!.pool),
        feeds: { ...tensorFeeds(r, 'x'), ...tensorFeeds(layer!, 'kernel', 'bias') },
        expected: { maps: r.maps.data, pooled: r.pooled.data },
      }),
    },
    params: (s) => fieldParams(FIELDS, s),
    announce(prev, s, r) {
      if (prev?.digit === s.digit && prev.map === s.map) return undefined;
      const u = mapPair(r.maps, s.digit, s.map);
      const p = mapPair(r.pooled, s.digit, s.map);
      return `Digit ${digits[s.digit]?.label}, map ${s.map}: strong responses kept ${said(survival(u.before, u.after, u.before.length))} without pooling, ${said(survival(p.before, p.after, p.before.length))} after pooling.`;
    },
    view({ root, $, dispatch, state }) {
      const digitSel = $<HTMLSelectElement>('select[name="digit"]');
      const mapSel = $<HTMLSelectElement>('select[name="map"]');
      digitSel.value = String(state().digit);
      mapSel.value = String(state().map);
      digitSel.addEventListener('change', () =>
        dispatch({ kind: 'digit', value: Number(digitSel.value) }),
      );
      mapSel.addEventListener('change', () =>
        dispatch({ kind: 'map', value: Number(mapSel.value) }),
      );
      const canvas = (name: string) => $<HTMLCanvasElement>(`canvas[data-map="${name}"]`);
      const theme = () => {
        const c = getComputedStyle(root);
        return {
          kept: c.getPropertyValue('--accent').trim() || '#1d5fbf',
          lost: c.getPropertyValue('--focus').trim() || '#c2410c',
        };
      };
      const totals = (_s: PsState, r: ShiftResult, prev?: PsState) => {
        if (prev) return;
        $('[data-out="all-unpooled"]').textContent = said(r.all.unpooled);
        $('[data-out="all-pooled"]').textContent = said(r.all.pooled);
        root.dataset.unpooledShare = String(share(r.all.unpooled));
        root.dataset.pooledShare = String(share(r.all.pooled));
      };
      const figure = (s: PsState, r: ShiftResult, prev?: PsState) => {
        if (prev && prev.digit === s.digit && prev.map === s.map) return;
        const { kept, lost } = theme();
        const x = mapPair(r.x, s.digit, 0);
        drawMap(canvas('input'), x.before, 28, 1);
        drawMap(canvas('shifted'), x.after, 28, 1);
        for (const [name, t] of [
          ['maps', r.maps],
          ['pooled', r.pooled],
        ] as const) {
          const pair = mapPair(t, s.digit, s.map);
          const w = t.shape[3]!;
          const { m, strong, judged } = marksOf(pair.before, pair.after, kept, lost);
          drawMap(canvas(`${name}-before`), pair.before, w, m, strong);
          drawMap(canvas(`${name}-after`), pair.after, w, m, judged);
          const sv = survival(pair.before, pair.after, pair.before.length);
          $(`[data-out="${name}"]`).textContent = said(sv);
          root.dataset[name === 'maps' ? 'digitUnpooled' : 'digitPooled'] =
            `${sv.kept}/${sv.strong}`;
        }
        root.dataset.digit = String(s.digit);
        root.dataset.map = String(s.map);
      };
      return [totals, figure];
    },
  };
}
