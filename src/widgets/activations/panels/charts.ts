/** activations' two charts: the histogram of the cell values before/after, and the four curves. */
import { loadPlot, mountPlot } from '../../shared/dom';
import { activationCurve, FUNCTION_LABEL, FUNCTIONS } from '../state';
import type { ActivationName, ActResult, ActSettings } from '../state';

const STYLE = { background: 'transparent', color: 'currentColor', fontSize: '12px' };

export async function drawHistogram(
  container: HTMLElement,
  s: ActSettings,
  r: ActResult,
): Promise<void> {
  const Plot = await loadPlot();
  const after = `after ${FUNCTION_LABEL[s.fn]}`;
  const values = [
    ...Array.from(r.pre.data, (v) => ({ value: v, stage: 'before' })),
    ...Array.from(r.post.data, (v) => ({ value: v, stage: after })),
  ];
  const hist = Plot.plot({
    height: 260,
    marginLeft: 50,
    marginRight: 90,
    style: STYLE,
    x: { label: 'value of a cell' },
    y: { type: 'sqrt', label: 'cells (square-root scale)', grid: true },
    fy: { label: null, domain: ['before', after] },
    marks: [
      Plot.rectY(values, {
        ...Plot.binX({ y: 'count' }, { x: 'value', thresholds: 40 }),
        fy: 'stage',
        fill: 'currentColor',
        fillOpacity: 0.7,
      }),
      Plot.ruleY([0]),
      Plot.ruleX([0], { strokeDasharray: '3,3' }),
    ],
  });
  mountPlot(
    container,
    hist,
    `Histogram of the ${r.pre.data.length} cell values before and after ${FUNCTION_LABEL[s.fn]}`,
  );
}

export async function drawCurves(container: HTMLElement, s: ActSettings): Promise<void> {
  const Plot = await loadPlot();
  const xs = Array.from({ length: 161 }, (_, i) => -4 + i * 0.05);
  const curves = FUNCTIONS.flatMap((fn: ActivationName) =>
    activationCurve(fn, s.alpha, xs).map((y, i) => ({
      x: xs[i],
      y,
      fn: fn === 'leakyRelu' ? `leaky ReLU (α = ${s.alpha})` : FUNCTION_LABEL[fn],
      name: fn,
    })),
  );
  const curve = Plot.plot({
    height: 260,
    style: STYLE,
    x: { label: 'input z', grid: true },
    y: { label: 'output f(z)', grid: true, domain: [-2, 4] },
    color: { legend: true, scheme: 'observable10' },
    marks: [
      Plot.ruleY([0]),
      Plot.ruleX([0]),
      ...FUNCTIONS.map((fn: ActivationName, i) =>
        Plot.line(
          curves.filter((d) => d.name === fn),
          {
            x: 'x',
            y: 'y',
            stroke: 'fn',
            strokeWidth: fn === s.fn ? 4 : 2,
            strokeDasharray: [undefined, '6,3', '9,3,2,3', '2,2'][i],
            clip: true,
          },
        ),
      ),
    ],
  });
  mountPlot(
    container,
    curve,
    `The curves of ReLU, leaky ReLU, sigmoid and tanh between −4 and 4; ${FUNCTION_LABEL[s.fn]} is drawn thicker`,
  );
}
