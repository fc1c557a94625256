/**
 * (b) occlusion: the reference engine runs the occluded batch in its worker (reference.ts) and
 * hands the probabilities to the state (`occluded`); the drop map and the worst patch are drawn
 * from them. The answer for an older digit or patch is dropped.
 */
import type { Panel } from '../../shared/define';
import { num } from '../../shared/format';
import { PixelMap } from '../../shared/pixel-map';
import { maxAbs } from '../../shared/palette';
import { argmax, occludedBatch, occlusionGrid, probabilityDrops, SIDE } from '../analysis';
import { occludedProbs } from '../reference';
import { CLASSES, occlusionKey } from '../state';
import type { SalState } from '../state';
import type { SalCtx, SalResult } from '../state';
import { ink } from './maps';

export function occlusionPanel({ root, $, dispatch, state }: SalCtx): P {
  const occludedMap = ink(SIDE, SIDE, '0.55rem', 'The digit with the most damaging patch blanked');
  $('[data-grid="occluded"]').replaceChildren(occludedMap.el);
  const grid = $('[data-grid="occlusion"]');
  const out = $('[data-out="occlusion"]');
  let map: PixelMap | undefined;
  let shape = '';
  let running = '';
  let drawn = '';
  return (s, r) => {
    if (s.net.kind !== 'ready' || !r) return;
    const key = occlusionKey(s);
    const { occlusion, digit } = s.settings;
    if (s.occluded?.key !== key && running !== key) {
      running = key;
      const { net } = s.net;
      const batch = occludedBatch(s.digits[digit]!.pixels, occlusion);
      void occludedProbs(net, batch).then(
        (probs) => {
          if (running === key) running = '';
          if (occlusionKey(state()) === key) dispatch({ kind: 'occluded', key, probs });
        },
        (error: unknown) => {
          if (running === key) running = '';
          out.textContent = `The occlusion map could not be computed: ${error instanceof Error ? error.message : String(error)}`;
        },
      );
    }
    if (s.occluded?.key !== key || drawn === `${key}/${r.cls}`) return;
    drawn = `${key}/${r.cls}`;
    const g = occlusionGrid(occlusion);
    if (`${g.rows}x${g.cols}` !== shape) {
      shape = `${g.rows}x${g.cols}`;
      map = new PixelMap({
        rows: g.rows,
        cols: g.cols,
        cell: g.cols > 14 ? '0.9rem' : '1.3rem',
        label: 'Drop in the class probability per patch position',
        scale: { kind: 'diverging', maxAbs: 1 },
      });
      grid.replaceChildren(map.el);
    }
    const c = r.cls;
    const p = r.probs[c]!;
    const drops = probabilityDrops(s.occluded.probs, CLASSES, c, p);
    map!.update(drops, { kind: 'diverging', maxAbs: Math.max(maxAbs(drops), 1e-6) });
    const n = g.positions.length;
    const worst = argmax(drops);
    map!.highlight('is-current', worst < 0 ? [] : [worst]);
    root.dataset.occlusionPositions = String(n);
    const where = `${n} positions (${g.rows} × ${g.cols}).`;
    if (worst < 0) {
      occludedMap.update(s.digits[digit]!.pixels);
      out.textContent = `${where} No patch position gives a probability that is a number (NaN).`;
      delete root.dataset.occlusionWorst;
      return;
    }
    const w = g.positions[worst]!;
    const batch = occludedBatch(s.digits[digit]!.pixels, occlusion);
    occludedMap.update(batch.subarray(worst * 784, (worst + 1) * 784));
    out.textContent = `${where} Blanking the ${occlusion.size} × ${occlusion.size} patch at row ${w.row}, column ${w.col} hurts most: p(${c}) falls from ${num(p, 3)} to ${num(p - drops[worst]!, 3)}.`;
    root.dataset.occlusionWorst = `${w.row},${w.col}`;
  };
}

type P = Panel<SalState, SalResult | undefined>;
