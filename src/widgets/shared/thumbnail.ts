/**
 * A small digit drawn on a canvas, in the ink colour map: for rows of thumbnails, where a Heatmap
 * (one element per pixel) would add thousands of elements that the browser restyles on every
 * update elsewhere on the page (lesson 11's 32 top digits were 25,000 cells).
 */
import { paintValues } from './paint';
import { inkRgb } from './palette';

export function inkThumbnail(
  pixels: ArrayLike<number>,
  side: number,
  label: string,
  size = '4.5rem',
): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.className = 'cbw-thumb';
  canvas.style.width = size;
  canvas.style.height = size;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  paintValues(canvas, pixels, side, side, inkRgb);
  return canvas;
}
