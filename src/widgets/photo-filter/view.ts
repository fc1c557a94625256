/**
 * photo-filter, declared on the widget kernel: pick a photo and a preset, edit any of the 27
 * weights or the bias, point at a pixel. The reference engine computes each channel's partial map
 * (a depthwise conv2d) and the feature map (the full conv2d); ORT runs the same two Conv nodes.
 */
import { tensorFeeds } from '../shared/net-feeds';
import type { Panel, WidgetSpec } from '../shared/define';
import { CURSOR_KEYS } from '../shared/grid-nav';
import { css, divergingRgb, signedScale, textOn } from '../shared/palette';
import { paint } from '../shared/paint';
import { loadPhoto, photoInfo, pixelAt, placeBox, wirePhotoMenu } from '../shared/photos';
import * as photoState from '../shared/photo-state';
import { readFields } from '../shared/fields';
import { upTo as fmt } from '../shared/format';
import { readParams } from '../shared/url-state';
import { filterById } from './filters';
import { filterGraph } from './model';
import { filterReference } from './reference';
import {
  CHANNEL_NAMES,
  FIELDS,
  filterParams,
  initialFilter,
  pixelSum,
  reduceFilter,
} from './state';
import type { FilterAction, FilterResult, FilterState } from './state';

const NAV = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'];
const MAPS = ['red', 'green', 'blue', 'output'] as const;

/** Numbers as the readout writes them: up to 3 decimals, − for minus. */
export { upTo as fmt } from '../shared/format';

/** "y(40, 64) = red 0.412 + green −0.301 + blue 0 + bias 0 = 0.111" */
export function sumLine(p: ReturnType<typeof pixelSum>): string {
  const parts = p.parts.map((v, c) => `${CHANNEL_NAMES[c]} ${fmt(v)}`).join(' + ');
  return `y(${p.row}, ${p.col}) = ${parts} + bias ${fmt(p.bias)} = ${fmt(p.y)}`;
}

export const photoFilterWidget: WidgetSpec<FilterState, FilterAction, FilterResult> = {
  name: 'photo-filter',
  ns: 'filt',
  async init() {
    const { values, notes } = readFields(FIELDS, readParams('filt'));
    const state = initialFilter(await loadPhoto(values.photo), values);
    return { state, notes };
  },
  reduce: reduceFilter,
  compute: {
    key: (s) => `${s.photo.key}|${s.weights.join(',')}|${s.bias}`,
    run: filterReference,
    check: (s, r) => ({
      ...filterGraph(s.photo),
      feeds: tensorFeeds(r, 'x', 'perChannel', 'kernel', 'bias'),
      expected: { parts: r.parts.data, y: r.y.data },
    }),
  },
  params: filterParams,
  announce(prev, s, r) {
    const same =
      prev &&
      prev.cursor === s.cursor &&
      prev.photo === s.photo &&
      prev.weights === s.weights &&
      prev.bias === s.bias;
    if (same) return undefined;
    return sumLine(pixelSum(s, r));
  },
  view({ root, $, dispatch, state }) {
    wirePhotoMenu($<HTMLSelectElement>('select[name="p"]'), state().want, dispatch);
    const preset = $<HTMLSelectElement>('select[name="f"]');
    preset.addEventListener('change', () => dispatch({ kind: 'preset', id: preset.value }));
    const bias = $<HTMLInputElement>('input[name="b"]');
    bias.value = String(state().bias);
    bias.addEventListener('input', () => dispatch({ kind: 'bias', raw: bias.value }));
    const cells = Array.from({ length: 27 }, (_, i) => {
      const input = $<HTMLInputElement>(`input[name="w${i}"]`);
      input.addEventListener('input', () =>
        dispatch({ kind: 'weight', index: i, raw: input.value }),
      );
      return input;
    });

    const canvases = ['rgb', ...MAPS].map((n) => $<HTMLCanvasElement>(`[data-canvas="${n}"]`));
    const boxes = ['rgb', ...MAPS].map((n) => $(`[data-pic="${n}"] .cbw-pic-box`));
    for (const canvas of canvases) {
      const point = (e: MouseEvent) => {
        const { width, height } = state().photo;
        dispatch({ kind: 'point', index: pixelAt(e, canvas, width, height) });
      };
      canvas.addEventListener('click', point);
      if (canvas !== canvases[0]) canvas.addEventListener('pointermove', point);
    }
    $('[data-keys]').addEventListener('keydown', (e) => {
      if (!NAV.includes(e.key)) return;
      e.preventDefault();
      dispatch({ kind: 'key', key: e.key });
    });
    $('[data-keys-said]').textContent = `Keys: ${CURSOR_KEYS}`;

    const controls: Panel<FilterState, FilterResult> = (s, _r, prev) => {
      preset.value = s.filter;
      cells.forEach((input, i) => {
        const bad = s.errors[`w${i}`];
        input.toggleAttribute('aria-invalid', !!bad);
        // write a weight only where it changed from elsewhere (a preset), never under the typing
        if (!bad && (!prev || prev.weights[i] !== s.weights[i]) && document.activeElement !== input)
          input.value = fmt(s.weights[i]!, 3).replace('−', '-');
        const bg = divergingRgb(s.weights[i]!, 2);
        input.style.background = css(bg);
        input.style.color = textOn(bg);
      });
      CHANNEL_NAMES.forEach((name, c) => {
        const first = Object.keys(s.errors)
          .filter((k) => /^w\d+$/.test(k) && Math.floor(Number(k.slice(1)) / 9) === c)
          .map((k) => s.errors[k]);
        $(`[data-error="w-${name}"]`).textContent = first[0] ?? '';
      });
      $('[data-error="b"]').textContent = s.errors.b ?? '';
      bias.toggleAttribute('aria-invalid', !!s.errors.b);
      photoState.showMessage($('[data-load-msg]'), s.message);
      $('[data-out="says"]').textContent =
        filterById(s.filter)?.says ?? 'Your own weights: the maps below are what they compute.';
    };

    // The photo and each of the four maps are panels of their own: a render that no handler
    // waits for (the first, a worker's result) can then draw them in separate frames.
    const photo = (s: FilterState, _r: FilterResult, prev?: FilterState) => {
      if (prev?.photo === s.photo) return;
      const { width: w, height: h, rgb } = s.photo;
      paint(canvases[0]!, w, h, (i, out, at) => out.set(rgb.subarray(3 * i, 3 * i + 3), at));
      const info = photoInfo(s.photo.key);
      canvases[0]!.setAttribute('aria-label', `${info?.alt ?? 'The photo'}, ${w} × ${h} pixels`);
      $('[data-out="credit"]').textContent = info ? `Photo: ${info.credit}.` : '';
      root.dataset.photo = s.photo.key;
    };
    // one colour scale for all four maps, so the channels' shares compare with the sum
    const scales = new WeakMap<FilterResult, { planes: Float32Array[]; m: number }>();
    const scaled = (s: FilterState, r: FilterResult) => {
      let got = scales.get(r);
      if (!got) {
        const { width: w, height: h } = s.photo;
        const n = w * h;
        const planes = [0, 1, 2].map((c) => r.parts.data.subarray(c * n, (c + 1) * n));
        planes.push(r.y.data);
        got = { planes, m: Math.max(...planes.map((p) => signedScale(p, w, h))) };
        scales.set(r, got);
      }
      return got;
    };
    const map = (k: number) => (s: FilterState, r: FilterResult, prev?: FilterState) => {
      if (prev?.photo === s.photo && prev.weights === s.weights && prev.bias === s.bias) return;
      const { width: w, height: h } = s.photo;
      const { planes, m } = scaled(s, r);
      const plane = planes[k]!;
      paint(canvases[k + 1]!, w, h, (i, out, at) => out.set(divergingRgb(plane[i]!, m), at));
      if (k < MAPS.length - 1) return;
      $('[data-out="range"]').textContent = `±${fmt(m)}`;
      root.dataset.filter = s.filter;
    };

    const pointer = (s: FilterState, r: FilterResult, prev?: FilterState) => {
      const same = prev?.photo === s.photo && prev.cursor === s.cursor;
      if (same && prev.weights === s.weights && prev.bias === s.bias) return;
      const { width: w, height: h } = s.photo;
      const p = pixelSum(s, r);
      placeBox(boxes[0]!, w, h, p.row - 1, p.col - 1, p.row + 1, p.col + 1);
      for (const box of boxes.slice(1)) placeBox(box, w, h, p.row, p.col, p.row, p.col);
      $('[data-out="sum"]').textContent = sumLine(p);
      root.dataset.row = String(p.row);
      root.dataset.col = String(p.col);
      p.parts.forEach((v, c) => (root.dataset[`part${c}`] = String(v)));
      root.dataset.bias = String(p.bias);
      root.dataset.y = String(p.y);
    };
    return [controls, photo, ...MAPS.map((_, k) => map(k)), pointer];
  },
};
