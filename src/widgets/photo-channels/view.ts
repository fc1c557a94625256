/**
 * photo-channels, declared on the widget kernel: pick a photo, point at a pixel (pointer, tap or
 * the grid keys), read its numbers in the zoom and the parameter counts for its size. The three
 * channel grids are drawn from the NCHW tensor the reference layout produced, and ORT lays the
 * same bytes out again (Transpose, ÷ 255) to check it.
 */
import { float32 } from '../../runtime/client';
import type { WidgetSpec } from '../shared/define';
import { fieldParams } from '../shared/fields';
import { thousands } from '../shared/format';
import { CURSOR_KEYS, onCellPick } from '../shared/grid-nav';
import { css, textOn } from '../shared/palette';
import {
  loadPhoto,
  wirePhotoMenu,
  photoInfo,
  photoPlanes,
  pixelAt,
  placeBox,
} from '../shared/photos';
import * as photoState from '../shared/photo-state';
import { paint } from '../shared/paint';
import { readParams } from '../shared/url-state';
import { channelsGraph } from './model';
import {
  describePixel,
  FIELDS,
  initialState,
  paramCounts,
  parseChannelsParams,
  reduceChannels,
  rowCol,
  zoomWindow,
  ZOOM,
} from './state';
import type { ChannelsAction, ChannelsState } from './state';

const CHANNELS = ['red', 'green', 'blue'] as const;
/** Channel c of value v (0–255) in its own colour: red v is rgb(v, 0, 0). */
const tint = (c: number, v: number): [number, number, number] =>
  [0, 1, 2].map((k) => (k === c ? v : 0)) as [number, number, number];

export const channelsWidget: WidgetSpec<ChannelsState, ChannelsAction, Float32Array> = {
  name: 'photo-channels',
  ns: 'photo',
  async init() {
    const { values, notes } = parseChannelsParams(readParams('photo'));
    const photo = await loadPhoto(values.photo);
    return { state: initialState(photo, values.units), notes };
  },
  reduce: reduceChannels,
  compute: {
    key: (s) => s.photo.key,
    run: (s) => photoPlanes(s.photo),
    check: (s, planes) => ({
      ...channelsGraph(s.photo),
      feeds: {
        hwc: float32([1, s.photo.height, s.photo.width, 3], Float32Array.from(s.photo.rgb)),
      },
      expected: { x: planes },
    }),
  },
  params: (s) => fieldParams(FIELDS, { photo: s.photo.key, units: s.units }),
  announce: (prev, s) =>
    prev && prev.cursor === s.cursor && prev.photo === s.photo ? undefined : describePixel(s),
  view({ root, $, dispatch, state }) {
    wirePhotoMenu($<HTMLSelectElement>('select[name="p"]'), state().want, dispatch);
    const units = $<HTMLInputElement>('input[name="u"]');
    units.value = String(state().units);
    units.addEventListener('input', () => dispatch({ kind: 'units', raw: units.value }));

    const names = ['rgb', ...CHANNELS] as const;
    const canvases = names.map((n) => $<HTMLCanvasElement>(`[data-canvas="${n}"]`));
    const boxes = names.map((n) => $(`[data-pic="${n}"] .cbw-pic-box`));
    for (const canvas of canvases) {
      canvas.addEventListener('click', (e) => {
        const { width, height } = state().photo;
        dispatch({ kind: 'point', index: pixelAt(e, canvas, width, height) });
      });
    }
    const keys = $('[data-keys]');
    keys.addEventListener('keydown', (e) => {
      if (
        e.key === ' ' ||
        !['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(e.key)
      )
        return;
      e.preventDefault();
      dispatch({ kind: 'key', key: e.key });
    });
    $('[data-keys-said]').textContent = `Keys: ${CURSOR_KEYS}`;

    // The zoom: one ZOOM × ZOOM grid of numbers per channel.
    const zoom = CHANNELS.map((name) => {
      const grid = $(`[data-zoom="${name}"]`);
      grid.style.setProperty('--cols', String(ZOOM));
      const cells = Array.from({ length: ZOOM * ZOOM }, () =>
        grid.appendChild(document.createElement('span')),
      );
      onCellPick(grid, (index) => dispatch({ kind: 'point', index }));
      return { grid, cells };
    });

    const pictures = (s: ChannelsState, planes: Float32Array, prev?: ChannelsState) => {
      if (prev?.photo === s.photo) return;
      const { width: w, height: h, rgb } = s.photo;
      const n = w * h;
      paint(canvases[0], w, h, (i, out, at) => {
        out[at] = rgb[3 * i];
        out[at + 1] = rgb[3 * i + 1];
        out[at + 2] = rgb[3 * i + 2];
      });
      CHANNELS.forEach((_, c) =>
        paint(canvases[c + 1], w, h, (i, out, at) => {
          out[at] = out[at + 1] = out[at + 2] = 0;
          out[at + c] = Math.round(255 * planes[c * n + i]);
        }),
      );
      const info = photoInfo(s.photo.key);
      canvases[0].setAttribute('aria-label', `${info?.alt ?? 'The photo'}, ${w} × ${h} pixels`);
      $('[data-out="credit"]').textContent = info ? `Photo: ${info.credit}.` : '';
      root.dataset.photo = s.photo.key;
      root.dataset.size = `${h}x${w}`;
    };

    const pointer = (s: ChannelsState, planes: Float32Array, prev?: ChannelsState) => {
      if (prev?.photo === s.photo && prev.cursor === s.cursor) return;
      const { width: w, height: h } = s.photo;
      const { row, col } = rowCol(s.cursor, w);
      const z = zoomWindow(s);
      for (const box of boxes)
        placeBox(box, w, h, z.row0, z.col0, z.row0 + z.rows - 1, z.col0 + z.cols - 1);
      const n = w * h;
      zoom.forEach(({ grid, cells }, c) => {
        grid.style.setProperty('--cols', String(z.cols));
        cells.forEach((cell, k) => {
          const r = z.row0 + Math.floor(k / ZOOM);
          const q = z.col0 + (k % ZOOM);
          cell.hidden = k % ZOOM >= z.cols || Math.floor(k / ZOOM) >= z.rows;
          if (cell.hidden) return;
          const v = Math.round(255 * planes[c * n + r * w + q]);
          const bg = tint(c, v);
          cell.textContent = String(v);
          cell.style.background = css(bg);
          cell.style.color = textOn(bg);
          cell.dataset.index = String(r * w + q);
          cell.classList.toggle('is-current', r === row && q === col);
        });
        grid.setAttribute(
          'aria-label',
          `${CHANNELS[c]} values of rows ${z.row0}–${z.row0 + z.rows - 1}, columns ${z.col0}–${z.col0 + z.cols - 1}`,
        );
      });
      $('[data-out="pixel"]').textContent = describePixel(s);
      $('[data-out="window"]').textContent =
        `rows ${z.row0}–${z.row0 + z.rows - 1}, columns ${z.col0}–${z.col0 + z.cols - 1}`;
      root.dataset.row = String(row);
      root.dataset.col = String(col);
    };

    const counts = (s: ChannelsState, _p: Float32Array, prev?: ChannelsState) => {
      const error = $('[data-error="u"]');
      error.textContent = s.unitsError ?? '';
      if (s.unitsError) units.setAttribute('aria-invalid', 'true');
      else units.removeAttribute('aria-invalid');
      photoState.showMessage($('[data-load-msg]'), s.message);
      if (prev?.photo === s.photo && prev.units === s.units) return;
      const { width: w, height: h } = s.photo;
      const p = paramCounts(h, w, s.units);
      const u = thousands(s.units);
      $('[data-out="numbers"]').textContent = `${h} × ${w} × 3 = ${thousands(p.inputs)}`;
      $('[data-out="dense"]').textContent =
        `${thousands(p.inputs)} · ${u} + ${u} = ${thousands(p.dense)}`;
      $('[data-out="conv"]').textContent = `3 · 3 · 3 · ${u} + ${u} = ${thousands(p.conv)}`;
      $('[data-out="ratio"]').textContent =
        `${thousands(Math.round(p.dense / p.conv))} times as many`;
      root.dataset.dense = String(p.dense);
      root.dataset.conv = String(p.conv);
    };
    return [pictures, pointer, counts];
  },
};
