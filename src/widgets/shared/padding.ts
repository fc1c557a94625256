/**
 * A grid drawn with its ring of padding around it: where an image cell (or a tap that falls in
 * the padding) lands in the padded drawing, which cells are the ring, and the padded values.
 * Pure; the conv stepper and the pooling figure draw their rings with it.
 */

/** The padded drawing's flat index of image cell (row, col); row and col may lie in the ring. */
export function paddedIndex(row: number, col: number, cols: number, pad: number): number {
  return (row + pad) * (cols + 2 * pad) + col + pad;
}

/** Flat indices of the ring's cells in the padded drawing of a rows × cols image. */
export function ringIndices(rows: number, cols: number, pad: number): number[] {
  const out: number[] = [];
  const w = cols + 2 * pad;
  for (let r = 0; r < rows + 2 * pad; r++)
    for (let c = 0; c < w; c++)
      if (r < pad || r >= rows + pad || c < pad || c >= cols + pad) out.push(r * w + c);
  return out;
}

/** The image with `pad` cells of `fill` on every side, row by row. */
export function withRing(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  pad: number,
  fill = 0,
): Float32Array {
  if (data.length !== rows * cols)
    throw new RangeError(
      `withRing: need ${rows * cols} values for ${rows}×${cols}, got ${data.length}`,
    );
  const out = new Float32Array((rows + 2 * pad) * (cols + 2 * pad)).fill(fill);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[paddedIndex(r, c, cols, pad)] = data[r * cols + c];
  return out;
}

/** The image cell under a padded drawing's cell; a ring cell gives the nearest image cell. */
export function unpadded(
  index: number,
  rows: number,
  cols: number,
  pad: number,
): { row: number; col: number } {
  const w = cols + 2 * pad;
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  return { row: clamp(Math.floor(index / w) - pad, rows), col: clamp((index % w) - pad, cols) };
}
