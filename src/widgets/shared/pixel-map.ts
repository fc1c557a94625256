/**
 * A heatmap drawn on one canvas: for dense maps that show no numbers and take no focus — a
 * feature map, a saliency map, a digit. A `Heatmap` is one element per cell, so updating a
 * 28 × 28 map restyles, lays out and repaints 784 elements; the lab's eight 26 × 26 feature maps
 * were 5,408, and every epoch's snapshot blocked the page for longer than a frame. Here an update
 * is one putImageData. Cells are scaled up by CSS (`image-rendering: pixelated`) to `cell` each;
 * highlighted cells are outlines on an overlay (elements, so their classes style them as the
 * heatmap's do).
 */
import { cellColour } from './heatmap';
import type { Scale } from './heatmap';

export interface PixelMapOptions {
  readonly rows: number;
  readonly cols: number;
  readonly scale: Scale;
  /** Cell size in CSS (e.g. '0.55rem'). */
  readonly cell?: string;
  readonly label: string;
}

export class PixelMap {
  readonly el: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly marks = new Map<string, HTMLElement[]>();
  private scale: Scale;

  constructor(private readonly options: PixelMapOptions) {
    const { rows, cols, cell = '0.55rem', label } = options;
    this.scale = options.scale;
    this.el = document.createElement('div');
    this.el.className = 'cb-pixelmap';
    this.el.setAttribute('role', 'img');
    this.el.setAttribute('aria-label', label);
    this.el.style.setProperty('--cols', String(cols));
    this.el.style.setProperty('--rows', String(rows));
    this.el.style.setProperty('--cell', cell);
    this.canvas = document.createElement('canvas');
    this.canvas.width = cols;
    this.canvas.height = rows;
    this.el.append(this.canvas);
  }

  /** Redraws every cell (NaN grey, as in a heatmap). */
  update(values: ArrayLike<number>, scale: Scale = this.scale): void {
    this.scale = scale;
    const { rows, cols } = this.options;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(cols, rows);
    for (let i = 0; i < rows * cols; i++) {
      const [r, g, b] = cellColour(i < values.length ? values[i]! : Number.NaN, scale);
      img.data[4 * i] = r;
      img.data[4 * i + 1] = g;
      img.data[4 * i + 2] = b;
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  /** Outlines cells (by flat index) with a class (`is-current`, `is-window`), clearing its others. */
  highlight(className: string, indices: Iterable<number>): void {
    for (const m of this.marks.get(className) ?? []) m.remove();
    const { cols } = this.options;
    const made = [...new Set(indices)].map((i) => {
      const m = document.createElement('span');
      m.className = className;
      m.dataset.index = String(i);
      m.style.setProperty('--row', String(Math.floor(i / cols)));
      m.style.setProperty('--col', String(i % cols));
      return m;
    });
    this.marks.set(className, made);
    this.el.append(...made);
  }
}
