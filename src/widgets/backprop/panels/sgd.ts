/**
 * One SGD step: the kernels before and after, the loss before and after (this digit, ten others),
 * the first-order prediction, and the same on onnxruntime-web from its own updated weights — a
 * second run this panel starts when ORT's backward pass arrives.
 */
import { num } from '../../shared/format';
import type { TwiceRunner } from '../../shared/twice';
import { afterRequest } from '../compute';
import { lossesFromProbabilities, sgdVerdict } from '../sgd';
import type { BackpropAction } from '../state';
import { changed, data } from './common';
import type { BackpropPanel, PanelParts } from './common';
import { fit } from './grids';

export function sgdPanel(
  { root, $, grids: { kernels } }: PanelParts,
  /** The SGD part's own runner and badge (a superseded run returns null). */
  runner: TwiceRunner,
  dispatch: (a: BackpropAction) => void,
): BackpropPanel {
  const out = (name: string, text: string) => ($(`[data-out="${name}"]`).textContent = text);
  return (s, r, prev) => {
    if (s.ort && s.ort !== prev?.ort) {
      const { key, result } = s.ort;
      void runner.run(afterRequest(s, r, result)).then((after) => {
        if (after) dispatch({ kind: 'ort-after', key, result: after });
      });
    }
    if (!changed(prev, s, 'ort', 'ortAfter')) return;
    const { params, updated, sgd: o, pass } = r;
    kernels.forEach(({ before, after }, f) => {
      const kb = params['0.kernel'].data.subarray(f * 9, f * 9 + 9);
      const ka = updated['0.kernel'].data.subarray(f * 9, f * 9 + 9);
      const scale = fit([...kb, ...ka]);
      before.update(kb, scale);
      after.update(ka, scale);
    });
    out(
      'sgd-loss',
      `${num(o.before, 4)} → ${num(o.after, 4)} (${o.after < o.before ? 'down' : 'up'} ${num(Math.abs(o.after - o.before), 4)})`,
    );
    out('sgd-pred', `${num(o.predicted, 4)} (actual change ${num(o.after - o.before, 4)})`);
    out('sgd-others', `${num(o.othersBefore, 3)} → ${num(o.othersAfter, 3)}`);
    out(
      'sgd-explain',
      sgdVerdict(o, s.lr, pass.label, (v) => num(v, 2)),
    );
    data(root, 'lossBefore', o.before);
    data(root, 'lossAfter', o.after);
    data(root, 'othersAfter', o.othersAfter);

    const ort = s.ort?.result;
    const after = s.ortAfter?.result;
    if (ort && after && after.backend !== 'reference') {
      const losses = lossesFromProbabilities(after.outputs.probabilities, [
        pass.label,
        ...s.others.map((d) => d.label),
      ]);
      const othersAfter = losses.slice(1).reduce((a, b) => a + b, 0) / s.others.length;
      out(
        'sgd-loss-ort',
        `${num(ort.outputs.loss[0], 4)} → ${num(losses[0], 4)}; other digits ${num(ort.outputs.othersBefore[0], 3)} → ${num(othersAfter, 3)} (${after.backend}, its own updated weights)`,
      );
      data(root, 'lossAfterOrt', losses[0]);
    } else {
      out(
        'sgd-loss-ort',
        after?.backend === 'reference'
          ? 'not run (reference engine chosen)'
          : 'waiting for onnxruntime-web…',
      );
      data(root, 'lossAfterOrt', undefined);
    }
  };
}
