import { describe, expect, it } from 'vitest';
import { paddedIndex, ringIndices, unpadded, withRing } from '../../../src/widgets/shared/padding';

describe('padding: an image drawn with its ring', () => {
  it('paddedIndex(row, col, cols, pad) shifts by the ring, and reaches into it', () => {
    expect(paddedIndex(0, 0, 2, 1)).toBe(5); // 4 columns: row 1, column 1
    expect(paddedIndex(-1, -1, 2, 1)).toBe(0);
    expect(paddedIndex(2, 2, 2, 1)).toBe(15);
    expect(paddedIndex(3, 4, 5, 0)).toBe(19);
  });
  it('ringIndices(rows, cols, pad) lists every ring cell and no image cell', () => {
    // 2 × 2 with a ring of 1: a 4 × 4 drawing whose inner cells are 5, 6, 9, 10.
    expect(ringIndices(2, 2, 1)).toEqual([0, 1, 2, 3, 4, 7, 8, 11, 12, 13, 14, 15]);
    expect(ringIndices(3, 3, 0)).toEqual([]);
    expect(ringIndices(14, 14, 2)).toHaveLength(18 * 18 - 14 * 14);
  });
  it('withRing(data, rows, cols, pad, fill) puts the image inside and the fill around it', () => {
    expect(Array.from(withRing([1, 2, 3, 4], 2, 2, 1))).toEqual([
      0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0,
    ]);
    expect(Array.from(withRing([5], 1, 1, 1, -1))).toEqual([-1, -1, -1, -1, 5, -1, -1, -1, -1]);
    expect(() => withRing([1, 2], 2, 2, 1)).toThrow(/need 4 values for 2×2, got 2/);
  });
  it('unpadded(index, rows, cols, pad) gives the image cell, a ring cell its nearest', () => {
    expect(unpadded(5, 2, 2, 1)).toEqual({ row: 0, col: 0 });
    expect(unpadded(0, 2, 2, 1)).toEqual({ row: 0, col: 0 });
    expect(unpadded(15, 2, 2, 1)).toEqual({ row: 1, col: 1 });
    expect(unpadded(7, 2, 2, 1)).toEqual({ row: 0, col: 1 });
  });
});
