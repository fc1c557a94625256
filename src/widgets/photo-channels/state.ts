/**
 * photo-channels (lesson 1): a real photo as three grids of numbers, a zoom into its pixels, and
 * what a dense layer on that very photo would cost next to a 3×3 convolution. Pure: the settings,
 * the reducer, the zoom window and the parameter counts.
 */
import { choice, integer, readFields } from '../shared/fields';
import * as photoState from '../shared/photo-state';
import { PHOTO_IDS } from '../shared/photos';
import type { Photo } from '../shared/photos';

/** Side of the zoomed window of pixels whose numbers are written out. */
export const ZOOM = 5;

/** The settings, declared once: link keys `photo.p`, `photo.u`. */
export const FIELDS = {
  photo: choice('p', 'photo', PHOTO_IDS, 'chelsea'),
  units: integer('u', 'units U', { min: 1, max: 10_000, initial: 100 }),
} as const;

/** The photo, the pixel at the centre of the zoom (`cursor`), and U. */
export interface ChannelsState extends photoState.Slice {
  readonly units: number;
  /** The text typed for U that is not valid, with its message. */
  readonly unitsError?: string;
}

export type ChannelsAction = photoState.Action | { readonly kind: 'units'; readonly raw: string };

/** The first state: the centre pixel of the photo. */
export function initialState(photo: Photo, units: number): ChannelsState {
  return { ...photoState.initial(photo), units };
}

export function reduceChannels(s: ChannelsState, a: ChannelsAction): ChannelsState {
  if (photoState.isAction(a)) return photoState.reduce(s, a);
  switch (a.kind) {
    case 'units': {
      const r = FIELDS.units.parse(a.raw);
      if (r.ok) return { ...s, units: r.value, unitsError: undefined };
      return { ...s, unitsError: `${r.error} The numbers below are for U = ${s.units}.` };
    }
  }
}

/** Settings from the link (`photo.*`); anything unusable falls back with a note. */
export function parseChannelsParams(params: ReadonlyMap<string, string>) {
  return readFields(FIELDS, params);
}

/** Row and column (0-based) of a flat pixel index. */
export const rowCol = (index: number, width: number) => ({
  row: Math.floor(index / width),
  col: index % width,
});

/** The ZOOM × ZOOM window around the cursor, moved inside the photo at its borders. */
export function zoomWindow(s: ChannelsState): {
  row0: number;
  col0: number;
  rows: number;
  cols: number;
} {
  const { width, height } = s.photo;
  const { row, col } = rowCol(s.cursor, width);
  const rows = Math.min(ZOOM, height);
  const cols = Math.min(ZOOM, width);
  const half = Math.floor(ZOOM / 2);
  return {
    row0: Math.max(0, Math.min(height - rows, row - half)),
    col0: Math.max(0, Math.min(width - cols, col - half)),
    rows,
    cols,
  };
}

export interface ParamCounts {
  /** H·W·3: the numbers of the photo, every one an input of the dense layer. */
  readonly inputs: number;
  /** H·W·3·U + U */
  readonly dense: number;
  /** 3·3·3·U + U: U filters of 3×3 over 3 channels, one bias each. */
  readonly conv: number;
}

/** Parameter counts for a `height` × `width` RGB photo and U units (or filters). */
export function paramCounts(height: number, width: number, units: number): ParamCounts {
  const inputs = height * width * 3;
  return { inputs, dense: inputs * units + units, conv: 3 * 3 * 3 * units + units };
}

export function describePixel(s: ChannelsState): string {
  const { row, col } = rowCol(s.cursor, s.photo.width);
  const i = 3 * s.cursor;
  const [r, g, b] = [s.photo.rgb[i], s.photo.rgb[i + 1], s.photo.rgb[i + 2]];
  return `Pixel row ${row}, column ${col}: red ${r}, green ${g}, blue ${b}`;
}
