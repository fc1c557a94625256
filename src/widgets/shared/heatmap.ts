/**
 * A grid of cells (an image, a kernel, a feature map) as accessible HTML: a CSS grid of
 * <span>s, coloured by value, optionally labelled with numbers, with highlightable cells.
 * Small enough for the lessons' grids (≤ 32×32); every cell is a real element so a stepper can
 * highlight, focus and describe it.
 */
import { channelRgb, css, divergingRgb, inkRgb, textOn } from './palette';

/** Ink (0 paper … 1 ink), diverging around 0, or one colour channel in its own colour. */
export type Scale =
  { kind: 'ink' } | { kind: 'diverging'; maxAbs: number } | { kind: 'channel'; channel: number };

export interface HeatmapOptions {
  readonly rows: number;
  readonly cols: number;
  readonly scale: Scale;
  /** Show the value in each cell (with this many decimals). */
  readonly decimals?: number;
  /** Cell size in CSS (e.g. '1.6rem'). */
  readonly cell?: string;
  readonly label: string;
}

export function cellColour(v: number, scale: Scale): [number, number, number] {
  if (scale.kind === 'ink') return inkRgb(v);
  if (scale.kind === 'channel') return channelRgb(v, scale.channel);
  return divergingRgb(v, scale.maxAbs);
}

export function formatCell(v: number, decimals: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const s = v.toFixed(decimals);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

export class Heatmap {
  readonly el: HTMLElement;
  private readonly cells: HTMLSpanElement[] = [];

  constructor(private options: HeatmapOptions) {
    this.el = document.createElement('div');
    this.el.className = 'cb-heatmap';
    this.el.setAttribute('role', 'img');
    this.el.setAttribute('aria-label', options.label);
    this.el.style.setProperty('--cols', String(options.cols));
    this.el.style.setProperty('--cell', options.cell ?? '1.6rem');
    for (let i = 0; i < options.rows * options.cols; i++) {
      const span = document.createElement('span');
      span.dataset.index = String(i);
      this.cells.push(span);
      this.el.append(span);
    }
  }

  /** Redraws every cell; NaN shows as grey with "NaN". */
  update(values: ArrayLike<number>, scale: Scale = this.options.scale): void {
    this.options = { ...this.options, scale };
    const decimals = this.options.decimals;
    for (let i = 0; i < this.cells.length; i++) {
      const v = i < values.length ? values[i] : Number.NaN;
      const rgb = cellColour(v, scale);
      const cell = this.cells[i];
      cell.style.background = css(rgb);
      cell.style.color = textOn(rgb);
      cell.textContent = decimals === undefined ? '' : formatCell(v, decimals);
    }
  }

  /** Marks cells (by flat index) with a CSS class, clearing it elsewhere. */
  highlight(className: string, indices: Iterable<number>): void {
    const set = new Set(indices);
    this.cells.forEach((c, i) => c.classList.toggle(className, set.has(i)));
  }

  cell(index: number): HTMLSpanElement | undefined {
    return this.cells[index];
  }
}
