import { describe, expect, it } from 'vitest';
import { kernelById } from '../../../src/widgets/photo-kernels/kernels';
import { filterById, PHOTO_FILTERS } from '../../../src/widgets/photo-filter/filters';
import {
  computeFilter,
  FIELDS,
  filterParams,
  initialFilter,
  pixelSum,
  reduceFilter,
} from '../../../src/widgets/photo-filter/state';
import type { FilterState } from '../../../src/widgets/photo-filter/state';
import type { Photo } from '../../../src/widgets/shared/photos';

/** A 3 × 3 photo from a function of (row, column) → [r, g, b] bytes. */
function photo(f: (r: number, c: number) => [number, number, number]): Photo {
  const rgb = new Uint8ClampedArray(27);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) rgb.set(f(r, c), 3 * (r * 3 + c));
  return { key: 'chelsea', width: 3, height: 3, rgb };
}

const start = (p: Photo, filter = 'red-not-green'): FilterState =>
  initialFilter(p, { filter, weights: [], bias: 0 });

describe('the photo filters', () => {
  it('have 27 weights each; Sobel is lesson 2’s on every channel it uses', () => {
    for (const f of PHOTO_FILTERS) expect(f.weights).toHaveLength(27);
    const sobel = kernelById('sobel-x').values;
    const all = filterById('sobel-all')!.weights;
    expect([all.slice(0, 9), all.slice(9, 18), all.slice(18)]).toEqual([sobel, sobel, sobel]);
    expect(filterById('sobel-blue')!.weights.slice(18)).toEqual(sobel);
  });
});

describe('computeFilter(state) / pixelSum(state, result)', () => {
  it('red but not green on solid red: 1 at the centre, 4/9 in a corner (padding), plus the bias', () => {
    let s = start(photo(() => [255, 0, 51]));
    s = reduceFilter(s, { kind: 'bias', raw: '0.5' });
    const r = computeFilter(s);
    const centre = pixelSum(s, r); // the centre pixel (row 1, column 1)
    expect(centre.row).toBe(1);
    expect(centre.parts[0]).toBeCloseTo(1, 6);
    expect(centre.parts[1]).toBe(0);
    expect(centre.parts[2]).toBe(0); // blue is weighted 0
    expect(centre.y).toBeCloseTo(1.5, 6);
    const corner = pixelSum(reduceFilter(s, { kind: 'point', index: 0 }), r);
    expect(corner.parts[0]).toBeCloseTo(4 / 9, 6);
    expect(corner.y).toBeCloseTo(4 / 9 + 0.5, 6);
  });
  it('Sobel x on blue only, a blue right column: 1 + 2 + 1 = 4 at the centre, from blue alone', () => {
    const s = start(
      photo((_r, c) => (c === 2 ? [255, 255, 255] : [255, 255, 0])),
      'sobel-blue',
    );
    const p = pixelSum(s, computeFilter(s));
    expect(p.parts.map((v) => Number(v.toFixed(6)))).toEqual([0, 0, 4]);
    expect(p.y).toBeCloseTo(4, 6);
  });
  it('every pixel of the feature map is the sum of the three partial maps plus the bias', () => {
    let s = start(
      photo((r, c) => [40 * r, 90 * c, 30 * (r + c)]),
      'sobel-all',
    );
    s = reduceFilter(s, { kind: 'bias', raw: '-0.25' });
    const r = computeFilter(s);
    for (let i = 0; i < 9; i++)
      expect(r.y.data[i]).toBeCloseTo(
        r.parts.data[i]! + r.parts.data[9 + i]! + r.parts.data[18 + i]! - 0.25,
        5,
      );
  });
});

describe('reduceFilter(state, action)', () => {
  it('editing a weight makes the filter custom and changes that channel’s share only', () => {
    const s0 = start(photo(() => [255, 255, 255]));
    const s = reduceFilter(s0, { kind: 'weight', index: 13, raw: '1' }); // green, row 1, column 1
    expect(s.filter).toBe('custom');
    const p = pixelSum(s, computeFilter(s));
    expect(p.parts[0]).toBeCloseTo(1, 6);
    expect(p.parts[1]).toBeCloseTo(1 - 8 / 9, 6); // 8 weights of −1/9 and one of 1
    expect(filterParams(s).w?.split(',')).toHaveLength(27);
    expect(filterParams(s).f).toBeUndefined();
  });
  it('a bad weight keeps the last good one with a message naming it; a preset clears it', () => {
    const s0 = start(photo(() => [0, 0, 0]));
    const bad = reduceFilter(s0, { kind: 'weight', index: 20, raw: '12' });
    expect(bad.weights).toBe(s0.weights);
    expect(bad.errors.w20).toMatch(/blue weight \(row 0, column 2\) must be between −?-?10 and 10/);
    const back = reduceFilter(bad, { kind: 'preset', id: 'mean' });
    expect(back.errors).toEqual({});
    expect(back.weights.every((w) => Math.abs(w - 1 / 27) < 1e-12)).toBe(true);
  });
  it('the link carries 27 weights back exactly; a wrong count is refused', () => {
    const s = reduceFilter(start(photo(() => [0, 0, 0])), {
      kind: 'weight',
      index: 0,
      raw: '-2.5',
    });
    const parsed = FIELDS.weights.parse(filterParams(s).w!);
    expect(parsed.ok && parsed.value[0]).toBe(-2.5);
    expect(FIELDS.weights.parse('1,2,3').ok).toBe(false);
  });
});
