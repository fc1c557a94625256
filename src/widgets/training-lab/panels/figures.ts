/**
 * What the network holds, drawn at each snapshot (epoch ends): the first layer's filters, and a
 * test digit with its first-layer feature maps. A new run puts the placeholders back.
 */
import type { TensorMsg } from '../../../runtime/protocol';
import type { Panel } from '../../shared/define';
import { PixelMap } from '../../shared/pixel-map';
import { inkRgb, maxAbs } from '../../shared/palette';
import type { LabCtx, LabWidgetState } from '../widget';

export const LATER = 'Drawn at the end of each epoch.';

export function muted(text = '—'): HTMLElement {
  const s = document.createElement('span');
  s.className = 'lab-muted';
  s.textContent = text;
  return s;
}

/** A 28×28 digit (bytes, or values in [0, 1] with `scale255` false) as ink on a canvas. */
export function drawDigit(
  canvas: HTMLCanvasElement,
  pixels: ArrayLike<number>,
  scale255 = true,
): void {
  canvas.width = 28;
  canvas.height = 28;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const [r, g, b] = inkRgb(scale255 ? pixels[i] / 255 : pixels[i]);
    img.data.set([r, g, b, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * A row of small maps, one per channel of a [.., C, H, W] tensor: canvases (as elements, the
 * eight 26 × 26 feature maps were 5,408 cells that the page restyled at every snapshot).
 */
class MapRow {
  readonly el = document.createElement('div');
  private maps: PixelMap[] = [];
  private key = '';

  constructor(private readonly what: string) {
    this.el.className = 'lab-maprow';
  }

  update(t: TensorMsg, cell: string): void {
    const [h, w] = t.dims.slice(-2);
    const count = t.data.length / (h * w);
    const key = `${count}:${h}:${w}`;
    if (key !== this.key) {
      this.key = key;
      this.maps = Array.from(
        { length: count },
        (_, i) =>
          new PixelMap({
            rows: h,
            cols: w,
            scale: { kind: 'diverging', maxAbs: 1 },
            cell,
            label: `${this.what} ${i + 1} of ${count} (${h}×${w})`,
          }),
      );
      this.el.replaceChildren(...this.maps.map((m) => m.el));
    }
    const data = t.data as Float32Array;
    this.maps.forEach((m, i) => {
      const part = data.subarray(i * h * w, (i + 1) * h * w);
      m.update(part, { kind: 'diverging', maxAbs: maxAbs(part) || 1 });
    });
  }
}

export function figuresPanel({ $ }: LabCtx): Panel<LabWidgetState, undefined> {
  const filtersAt = $('[data-grid="filters"]');
  const mapsAt = $('[data-grid="maps"]');
  const caption = $('[data-sample-caption]');
  const filters = new MapRow('Filter');
  const maps = new MapRow('Feature map');
  const sample = document.createElement('canvas');
  sample.className = 'lab-digit';
  sample.setAttribute('role', 'img');
  return (s, _r, prev) => {
    if (prev && s.figuresRev !== prev.figuresRev) {
      filtersAt.replaceChildren(muted(LATER));
      mapsAt.replaceChildren(muted(LATER));
    }
    const snap = s.ui.snapshot;
    if (!snap || snap === prev?.ui.snapshot) return;
    const [f] = snap.filters.dims;
    filters.update(snap.filters, f > 8 ? '0.55rem' : '0.8rem');
    if (!filtersAt.contains(filters.el)) filtersAt.replaceChildren(filters.el);
    const [, , h] = snap.featureMaps.dims;
    maps.update(snap.featureMaps, h > 24 ? '0.18rem' : '0.22rem');
    drawDigit(sample, snap.sample.pixels);
    sample.setAttribute('aria-label', `The test digit, a ${snap.sample.label}`);
    if (!mapsAt.contains(maps.el)) mapsAt.replaceChildren(sample, maps.el);
    caption.textContent = `A test digit (a ${snap.sample.label}) and its ${snap.featureMaps.dims[1]} first-layer feature maps`;
  };
}
