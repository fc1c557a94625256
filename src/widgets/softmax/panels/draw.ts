/** softmax's drawings: the class templates and the flattened strip (canvas), the probability bars. */
import { loadPlot, mountPlot } from '../../shared/dom';
import { paintValues } from '../../shared/paint';
import { inkRgb } from '../../shared/palette';
import { argmax } from '../state';

/** `values` as a `width` × `height` ink image on `canvas`, scaled so the largest is black. */
export function drawInk(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  width: number,
  height: number,
  normalise = false,
): void {
  let max = 1;
  if (normalise) {
    max = 0;
    for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]);
  }
  paintValues(canvas, values, width, height, (v) => inkRgb(max > 0 ? v / max : 0));
}

/** The probabilities as bars, the most likely class solid. */
export async function drawBars(
  container: HTMLElement,
  probs: Float32Array,
  label: number,
): Promise<void> {
  const Plot = await loadPlot();
  const top = argmax(probs);
  const data = Array.from(probs, (p, k) => ({ k: String(k), p, top: k === top }));
  const chart = Plot.plot({
    height: 220,
    marginTop: 24,
    style: { background: 'transparent', color: 'currentColor', fontSize: '12px' },
    x: { label: 'class', domain: data.map((d) => d.k) },
    y: { label: 'probability', domain: [0, 1], grid: true },
    marks: [
      Plot.barY(data, {
        x: 'k',
        y: 'p',
        fill: 'currentColor',
        fillOpacity: (d: { top: boolean }) => (d.top ? 1 : 0.45),
      }),
      Plot.text(data, {
        x: 'k',
        y: 'p',
        text: (d: { p: number }) => d.p.toFixed(2),
        dy: -8,
        fill: 'currentColor',
      }),
      Plot.ruleY([0]),
    ],
  });
  mountPlot(
    container,
    chart,
    `Softmax probabilities for a handwritten ${label}: ${data.map((d) => `${d.k}: ${(d.p * 100).toFixed(1)}%`).join(', ')}`,
  );
}
