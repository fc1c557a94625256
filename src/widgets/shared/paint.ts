/**
 * Pixels onto a canvas: `paint` for any colour rule (the photo widgets' RGB), `paintValues` for a
 * grid of numbers through a colour map (ink, diverging): a pad's ink, digit thumbnails, maps and
 * filters, softmax's templates.
 */

/** Draws width × height pixels, `rgbAt(i)` giving pixel i's colour, on `canvas` (sized to fit). */
export function paint(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  rgbAt: (i: number, out: Uint8ClampedArray, at: number) => void,
): void {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    rgbAt(i, img.data, 4 * i);
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** Paints width × height `values` on `canvas` (sized to fit), `colour(v)` giving a value's RGB. */
export function paintValues(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  width: number,
  height: number,
  colour: (v: number) => readonly number[],
): void {
  paint(canvas, width, height, (i, out, at) => out.set(colour(values[i] ?? 0), at));
}
