/**
 * own-data's explaining panels, drawn from the batch both engines computed: the drawing's class
 * probabilities (named), where the drawing matters (|gradient| and the occlusion drop map), the
 * confusion matrix of the run's held-out examples, and the first layer's filters.
 */
import type { Panel, ViewContext } from '../../shared/define';
import { argmax, occlusionGrid, probabilityDrops } from '../../shared/explain';
import { paintValues } from '../../shared/paint';
import { divergingRgb, inkRgb, maxAbs } from '../../shared/palette';
import type { OwnResult } from '../reference';
import { accuracyOf, confusionOf, OCCLUSION, PIXELS } from '../state';
import type { OwnAction, OwnState } from '../state';

type P = Panel<OwnState, OwnResult | undefined>;
type Ctx = ViewContext<OwnState, OwnAction>;
const pc = (p: number) => `${(p * 100).toFixed(1)}%`;

/** The drawing's probabilities of each of the reader's classes, the top one marked. */
export function predictionPanel({ root, $ }: Ctx): P {
  const bars = $('[data-bars]');
  const caption = $('[data-prediction]');
  return (s, r) => {
    const row = r?.layout.drawing ?? -1;
    if (!r || row < 0 || !s.drawing) {
      bars.replaceChildren();
      root.dataset.top = '';
      caption.textContent = s.net
        ? 'Draw on the pad: the network’s answer appears here.'
        : 'Train the network first; then a new drawing is read here.';
      return;
    }
    const K = r.net.classes.length;
    const probs = r.probs.subarray(row * K, (row + 1) * K);
    bars.replaceChildren(
      ...r.net.classes.map((name, k) => {
        const li = document.createElement('li');
        li.classList.toggle('is-top', k === r.cls);
        li.dataset.p = String(probs[k]);
        const label = document.createElement('span');
        label.textContent = name;
        const bar = document.createElement('span');
        bar.className = 'bar';
        bar.style.width = `${Math.max(0.2, probs[k]! * 100)}%`;
        bar.setAttribute('aria-hidden', 'true');
        const value = document.createElement('span');
        value.textContent = pc(probs[k]!);
        li.setAttribute('aria-label', `${name}: ${pc(probs[k]!)}`);
        li.append(label, bar, value);
        return li;
      }),
    );
    root.dataset.top = r.net.classes[r.cls] ?? '';
    caption.textContent = `The network reads your drawing as “${r.net.classes[r.cls]}” (${pc(probs[r.cls]!)}).`;
  };
}

/** |∂ score / ∂ pixel| of the drawing, and how much each occluded patch lowers its score. */
export function mapsPanel({ root, $ }: Ctx): P {
  const grad = $<HTMLCanvasElement>('canvas[data-saliency]');
  const occ = $<HTMLCanvasElement>('canvas[data-occlusion]');
  const text = $('[data-maps-text]');
  return (s, r) => {
    const row = r?.layout.drawing ?? -1;
    root.dataset.saliency = '';
    if (!r || row < 0 || !s.drawing) {
      paintValues(grad, [], 1, 1, () => inkRgb(0));
      paintValues(occ, [], 1, 1, () => inkRgb(0));
      text.textContent = 'Both maps appear for a new drawing, once there is a trained network.';
      return;
    }
    const g = Float32Array.from(r.dinput.subarray(row * PIXELS, (row + 1) * PIXELS), Math.abs);
    const gMax = maxAbs(g);
    paintValues(grad, g, 28, 28, (v) => inkRgb(gMax > 0 ? v / gMax : 0));
    const K = r.net.classes.length;
    const { rows, positions } = occlusionGrid(OCCLUSION);
    const start = (row + 1) * K;
    const drops = probabilityDrops(
      r.probs.subarray(start, start + positions.length * K),
      K,
      r.cls,
      r.probs[row * K + r.cls]!,
    );
    const dMax = maxAbs(drops);
    paintValues(occ, drops, rows, rows, (v) => divergingRgb(v, dMax || 1));
    const worst = argmax(drops);
    const at = positions[worst];
    root.dataset.saliency = gMax > 0 ? 'shown' : 'flat';
    text.textContent = at
      ? `Left: the pixels whose change would move the “${r.net.classes[r.cls]}” score most (brighter = more). Right: covering the ${OCCLUSION.size} × ${OCCLUSION.size} patch at row ${at.row}, column ${at.col} lowers that probability most, by ${pc(drops[worst]!)}.`
      : 'The network’s scores are not numbers: it diverged.';
  };
}

/** The held-out examples' confusion matrix, by name, from the batch both engines computed. */
export function confusionPanel({ root, $ }: Ctx): P {
  const table = $<HTMLTableElement>('table[data-confusion]');
  const caption = $('[data-confusion-caption]');
  return (_s, r) => {
    if (!r) {
      table.replaceChildren();
      root.dataset.heldOutAccuracy = '';
      caption.textContent =
        'After training: how the held-out examples (never trained on) are read.';
      return;
    }
    const K = r.net.classes.length;
    const n = r.layout.heldOut;
    const confusion = confusionOf(r.probs.subarray(0, n * K), r.net.heldOut.labels, K);
    const acc = accuracyOf(confusion, K);
    root.dataset.heldOutAccuracy = acc.toFixed(4);
    caption.textContent = `${n} held-out examples, never trained on: ${pc(acc)} read right. Rows: the true class; columns: the network’s answer.`;
    const head = document.createElement('tr');
    head.append(document.createElement('td'));
    for (const name of r.net.classes) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = name;
      head.append(th);
    }
    const body = r.net.classes.map((name, t) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = name;
      tr.append(th);
      for (let p = 0; p < K; p++) {
        const td = document.createElement('td');
        td.textContent = String(confusion[t * K + p]);
        if (t === p) td.className = 'is-diagonal';
        tr.append(td);
      }
      return tr;
    });
    table.replaceChildren(head, ...body);
  };
}

/** The first convolution's kernels (one input channel), blue negative, orange positive. */
export function filtersPanel({ $ }: Ctx): P {
  const box = $('[data-filters]');
  return (s, _r, prev) => {
    if (prev && prev.net === s.net) return;
    const k = s.net?.params['0.kernel'];
    if (!s.net || !k || k.shape.length !== 4) {
      box.replaceChildren();
      return;
    }
    const [f, , kh, kw] = k.shape as [number, number, number, number];
    const m = maxAbs(k.data);
    box.replaceChildren(
      ...Array.from({ length: f }, (_, i) => {
        const c = document.createElement('canvas');
        c.className = 'own-filter';
        c.setAttribute('role', 'img');
        c.setAttribute('aria-label', `Filter ${i} of the first layer, ${kh} by ${kw}`);
        paintValues(c, k.data.subarray(i * kh * kw, (i + 1) * kh * kw), kw, kh, (v) =>
          divergingRgb(v, m),
        );
        return c;
      }),
    );
  };
}
