import { describe, expect, it } from 'vitest';
import { photoPlanes, rgbFromRgba } from '../../../src/widgets/shared/photos';
import type { Photo } from '../../../src/widgets/shared/photos';
import {
  describePixel,
  initialState,
  paramCounts,
  parseChannelsParams,
  reduceChannels,
  zoomWindow,
} from '../../../src/widgets/photo-channels/state';
import type { ChannelsState } from '../../../src/widgets/photo-channels/state';

/** A width × height photo whose pixel i is (i, 2i, 3i). */
const photo = (key: string, width: number, height: number): Photo => ({
  key,
  width,
  height,
  rgb: Uint8ClampedArray.from(
    { length: 3 * width * height },
    (_, k) => Math.floor(k / 3) * ((k % 3) + 1),
  ),
});

describe('paramCounts(height, width, units)', () => {
  it('the cat photo, 85 × 128, 100 units: 32,640 inputs; 3,264,100 dense; 2,800 conv', () => {
    // 85·128·3 = 32,640; 32,640·100 + 100 = 3,264,100; 3·3·3·100 + 100 = 2,800
    expect(paramCounts(85, 128, 100)).toEqual({ inputs: 32640, dense: 3264100, conv: 2800 });
  });
  it('the astronaut, 128 × 128, 100 units: 4,915,300 dense; the conv count does not change', () => {
    // 128·128·3 = 49,152; ·100 + 100 = 4,915,300
    expect(paramCounts(128, 128, 100)).toEqual({ inputs: 49152, dense: 4915300, conv: 2800 });
  });
  it('one pixel, one unit: 3·1 + 1 = 4 dense, 27 + 1 = 28 conv', () => {
    expect(paramCounts(1, 1, 1)).toEqual({ inputs: 3, dense: 4, conv: 28 });
  });
});

describe('photoPlanes(photo) and rgbFromRgba(rgba, w, h)', () => {
  it('lays HWC bytes out as NCHW planes in [0, 1]', () => {
    const p = photo('t', 2, 1); // pixels (0,0,0), (1,2,3)
    expect(Array.from(photoPlanes(p))).toEqual(
      [0, 1 / 255, 0, 2 / 255, 0, 3 / 255].map(Math.fround),
    );
  });
  it('drops alpha, and refuses a wrong length', () => {
    expect(Array.from(rgbFromRgba([1, 2, 3, 255, 4, 5, 6, 0], 2, 1))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => rgbFromRgba([1, 2, 3], 1, 1)).toThrow(/needs 4 bytes, got 3/);
  });
});

describe('reduceChannels(state, action)', () => {
  const s0 = (): ChannelsState => initialState(photo('chelsea', 4, 3), 100);

  it('starts on the centre pixel: row 1, column 2 of a 4 × 3 photo', () => {
    expect(s0().cursor).toBe(6);
    expect(describePixel(s0())).toBe('Pixel row 1, column 2: red 6, green 12, blue 18');
  });
  it('moves with the grid keys: ←/→ one pixel, ↑/↓ one row, Home/End, clamped', () => {
    let s = s0();
    s = reduceChannels(s, { kind: 'key', key: 'ArrowRight' });
    expect(s.cursor).toBe(7);
    s = reduceChannels(s, { kind: 'key', key: 'ArrowDown' });
    expect(s.cursor).toBe(11);
    expect(reduceChannels(s, { kind: 'key', key: 'ArrowDown' })).toBe(s); // last row: nothing
    s = reduceChannels(s, { kind: 'key', key: 'ArrowUp' });
    expect(s.cursor).toBe(7);
    expect(reduceChannels(s, { kind: 'key', key: 'Home' }).cursor).toBe(0);
    expect(reduceChannels(s, { kind: 'key', key: 'End' }).cursor).toBe(11);
    expect(reduceChannels(s, { kind: 'key', key: ' ' })).toBe(s);
    expect(reduceChannels(s, { kind: 'point', index: 99 }).cursor).toBe(11);
  });
  it('keeps the pointed row and column when a new photo loads, and ignores a late one', () => {
    let s = reduceChannels(s0(), { kind: 'point', index: 7 }); // row 1, column 3
    s = reduceChannels(s, { kind: 'pick', id: 'coffee' });
    expect(s.want).toBe('coffee');
    expect(reduceChannels(s, { kind: 'loaded', photo: photo('astronaut', 5, 5) })).toBe(s);
    s = reduceChannels(s, { kind: 'loaded', photo: photo('coffee', 2, 2) });
    expect(s.cursor).toBe(3); // row 1, column min(3, 1)
    expect(reduceChannels(s, { kind: 'pick', id: 'no-such-photo' })).toBe(s);
  });
  it('a failed load goes back to the photo on screen, with the message', () => {
    const s = reduceChannels(reduceChannels(s0(), { kind: 'pick', id: 'coffee' }), {
      kind: 'failed',
      message: 'HTTP 404',
    });
    expect(s.want).toBe('chelsea');
    expect(s.message).toEqual({ text: 'HTTP 404', bad: true });
  });
  it('units: a valid number replaces U; garbage keeps the last valid U with a message', () => {
    const s = reduceChannels(s0(), { kind: 'units', raw: '1000' });
    expect(s.units).toBe(1000);
    const bad = reduceChannels(s, { kind: 'units', raw: 'abc' });
    expect(bad.units).toBe(1000);
    expect(bad.unitsError).toMatch(/The numbers below are for U = 1000\.$/);
    expect(reduceChannels(bad, { kind: 'units', raw: '5' }).unitsError).toBeUndefined();
  });
});

describe('zoomWindow(state)', () => {
  it('is 5 × 5 around the pixel, moved inside the photo at its borders', () => {
    const s = initialState(photo('chelsea', 10, 8), 100);
    expect(zoomWindow({ ...s, cursor: 4 * 10 + 5 })).toEqual({
      row0: 2,
      col0: 3,
      rows: 5,
      cols: 5,
    });
    expect(zoomWindow({ ...s, cursor: 0 })).toEqual({ row0: 0, col0: 0, rows: 5, cols: 5 });
    expect(zoomWindow({ ...s, cursor: 79 })).toEqual({ row0: 3, col0: 5, rows: 5, cols: 5 });
  });
});

describe('parseChannelsParams(params)', () => {
  it('reads photo.p and photo.u; a bad value falls back with a note', () => {
    const ok = parseChannelsParams(
      new Map([
        ['p', 'coffee'],
        ['u', '7'],
      ]),
    );
    expect(ok.values).toEqual({ photo: 'coffee', units: 7 });
    const bad = parseChannelsParams(new Map([['p', 'dog']]));
    expect(bad.values.photo).toBe('chelsea');
    expect(bad.notes[0]).toMatch(/"dog" is not one of chelsea, coffee, astronaut/);
  });
});
