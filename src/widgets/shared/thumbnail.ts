/**
 * A small digit drawn on a canvas, in the ink colour map: for rows of thumbnails, where a Heatmap
 * (one element per pixel) would add thousands of elements that the browser restyles on every
 * update elsewhere on the page (lesson 11's 32 top digits were 25,000 cells).
 */
import { inkRgb } from './palette';

export function inkThumbnail(
  pixels: ArrayLike<number>,
  side: number,
  label: string,
  size = '4.5rem',
): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = side;
  canvas.height = side;
  canvas.className = 'cbw-thumb';
  canvas.style.width = size;
  canvas.style.height = size;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const img = ctx.createImageData(side, side);
    for (let k = 0; k < side * side; k++) {
      const [r, g, b] = inkRgb(pixels[k] ?? 0);
      img.data.set([r, g, b, 255], 4 * k);
    }
    ctx.putImageData(img, 0, 0);
  }
  return canvas;
}
