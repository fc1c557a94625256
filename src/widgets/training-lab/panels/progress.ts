/** The progress bars, the numbers (epoch, loss, test accuracy, speed, lr, time) and the badge. */
import { BACKEND_LABEL } from '../../../runtime/backends';
import { formatError } from '../../shared/agreement';
import type { Panel } from '../../shared/define';
import { num, thousands } from '../../shared/format';
import { runFraction } from '../series';
import { percent } from '../state';
import type { LabCtx, LabWidgetState } from '../widget';

export function progressPanel({ $ }: LabCtx): Panel<LabWidgetState, undefined> {
  const dataLabel = $('[data-data-progress]');
  const dataBar = $<HTMLProgressElement>('[data-bar="data"]');
  const dataOut = $('[data-out="data"]');
  const runBar = $<HTMLProgressElement>('[data-bar="run"]');
  const out = (name: string) => $(`[data-out="${name}"]`);
  const [run, epoch, loss, test, clean, speed, lr, seconds] = [
    'run',
    'epoch',
    'loss',
    'test',
    'clean',
    'speed',
    'lr',
    'seconds',
  ].map(out);
  const badge = $('[data-badge]');
  return (s, _r, prev) => {
    const { ui } = s;
    if (prev && ui === prev.ui && s.run === prev.run) return;
    dataLabel.hidden = !ui.data || ui.state !== 'loading-data';
    if (ui.data) {
      dataBar.max = Math.max(1, ui.data.total);
      dataBar.value = ui.data.loaded;
      dataOut.textContent = `${(ui.data.loaded / 1e6).toFixed(1)} of ${(ui.data.total / 1e6).toFixed(1)} MB`;
    }
    const p = ui.progress;
    runBar.value = p ? runFraction(p) : 0;
    run.textContent = p
      ? `epoch ${p.epoch}${p.step ? ` + step ${p.step} of ${p.stepsPerEpoch}` : ''} · ${percent(runFraction(p), 0)}`
      : 'not started';
    const last = p?.history.at(-1);
    epoch.textContent = p
      ? `${p.epoch}${s.run ? ` of ${s.run.epochs}` : ''} (step ${p.epoch * p.stepsPerEpoch + p.step})`
      : '—';
    loss.textContent = last ? num(last.trainLoss, 4) : '—';
    const t = ui.evals.at(-1);
    test.textContent = t ? `${percent(t.testAccuracy, 2)} after epoch ${t.epoch}` : '—';
    clean.textContent =
      t?.cleanTrainAccuracy === undefined
        ? '—'
        : `${percent(t.cleanTrainAccuracy, 2)} after epoch ${t.epoch}`;
    speed.textContent =
      ui.imagesPerSecond === undefined
        ? '—'
        : `${thousands(Math.round(ui.imagesPerSecond))} images/s`;
    lr.textContent = ui.lr === undefined ? '—' : String(Number(ui.lr.toPrecision(4)));
    seconds.textContent = p ? `${p.seconds.toFixed(1)} s` : '—';

    const cc = ui.crosscheck;
    if (cc && cc !== prev?.ui.crosscheck) {
      badge.textContent = `${cc.agree ? '✓ agree' : '✗ disagree'}: step ${cc.step} on ${BACKEND_LABEL[cc.backend]}, recomputed on the reference engine — max error ${formatError(cc.maxAbsError)} (tolerance ${formatError(cc.tolerance)})`;
      badge.classList.toggle('is-agree', cc.agree);
      badge.classList.toggle('is-disagree', !cc.agree);
    }
  };
}
