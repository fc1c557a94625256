/**
 * Lesson 14's figure on the widget kernel: the settings (fields in state.ts), a run of both
 * networks computed in the widget's worker (reference.ts), the ORT check (check.ts), and small
 * panels: the controls and their messages (drawn at once, also while a run computes), the
 * readouts, and the charts.
 */
import { stateOnly } from '../shared/define';
import type { WidgetSpec } from '../shared/define';
import { num } from '../shared/format';
import { readParams } from '../shared/url-state';
import { checkRequest } from './check';
import { NETS } from './model';
import { chartsPanel } from './panels/charts';
import { trainInWorker } from './reference';
import { netLabel, sci, stemOverLast, typicalSize } from './series';
import {
  FIELDS,
  deeperParams,
  reduceDeeper,
  runKey,
  runSettings,
  stateFromParams,
  FIXED,
} from './state';
import type { DeeperAction, DeeperState, FieldName } from './state';
import type { NetRun, PairRun } from './train';

const TEXT_FIELDS: readonly FieldName[] = ['depth', 'scale', 'steps'];
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);

function outcome(run: NetRun): string {
  if (run.divergedAt !== null)
    return `diverged at step ${run.divergedAt} (the loss or a gradient stopped being a number)`;
  const l = run.losses;
  return `loss ${num(l[0] ?? NaN, 3)} → ${num(l[l.length - 1] ?? NaN, 3)}`;
}

export const deeperWidget: WidgetSpec<DeeperState, DeeperAction, PairRun> = {
  name: 'deeper',
  ns: 'deep',
  init() {
    return stateFromParams(readParams('deep'));
  },
  reduce: reduceDeeper,
  compute: {
    key: (s) => runKey(s.settings),
    run: (s) => trainInWorker(runSettings(s.settings)),
    check: checkRequest,
  },
  params: deeperParams,
  announce(prev, s, r) {
    if (prev && prev.settings === s.settings) return undefined;
    return NETS.map((n) => `${netLabel(n, s.settings.skips)}: ${outcome(r[n])}`).join('; ') + '.';
  },
  view({ root, $, dispatch, state }) {
    let last: PairRun | undefined;
    const s0 = state();
    for (const field of TEXT_FIELDS) {
      const input = $<HTMLInputElement>(`input[name="${FIELDS[field].key}"]`);
      input.value = FIELDS[field].format(s0.settings[field] as never);
      input.addEventListener('change', () => dispatch({ kind: 'edit', field, raw: input.value }));
    }
    for (const radio of root.querySelectorAll<HTMLInputElement>('input[name="act"]')) {
      radio.checked = radio.value === s0.settings.activation;
      radio.addEventListener('change', () => {
        if (radio.checked) dispatch({ kind: 'edit', field: 'activation', raw: radio.value });
      });
    }
    const skips = $<HTMLInputElement>('input[name="skips"]');
    skips.checked = s0.settings.skips;
    skips.addEventListener('change', () =>
      dispatch({ kind: 'edit', field: 'skips', raw: skips.checked ? '1' : '0' }),
    );
    const slider = $<HTMLInputElement>('input[name="at"]');
    slider.addEventListener('input', () => dispatch({ kind: 'at', step: Number(slider.value) }));
    const status = $('[data-status]');

    const trained = (s: DeeperState) =>
      `Trained both networks for ${s.settings.steps} steps of ${FIXED.batch} digits: the same batches from the same starting weights.`;

    // Also drawn while a run computes (r undefined then): the reader's input shows at once.
    const controls = stateOnly<DeeperState, PairRun>((s, r) => {
      for (const field of Object.keys(FIELDS) as FieldName[]) {
        const msg = s.errors[field] ?? '';
        const line = root.querySelector(`[data-error="${FIELDS[field].key}"]`);
        if (line) line.textContent = msg;
        const input = root.querySelector(`input[name="${FIELDS[field].key}"]`);
        if (msg) input?.setAttribute('aria-invalid', 'true');
        else input?.removeAttribute('aria-invalid');
      }
      slider.max = String(s.settings.steps - 1);
      slider.value = String(s.at);
      $('[data-out="at"]').textContent = String(s.at);
      status.textContent = r
        ? trained(s)
        : 'Training both networks in a worker (a few seconds); the figures show the last run until then.';
    });
    const readouts = (s: DeeperState, r: PairRun) => {
      if (r === last) return;
      last = r;
      for (const net of NETS) {
        const run = r[net];
        root.dataset[`${net}Accuracy`] =
          run.testAccuracy === null ? 'none' : String(run.testAccuracy);
        root.dataset[`${net}Ratio`] = String(stemOverLast(run, r.convs, 0) ?? 'none');
        root.dataset[`${net}Typical`] = String(typicalSize(run, r.convs, 0) ?? 'none');
        root.dataset[`${net}Steps`] = String(run.losses.length);
        $(`[data-out="${net}-name"]`).textContent = netLabel(net, s.settings.skips);
        $(`[data-out="${net}-loss"]`).textContent = outcome(run);
        $(`[data-out="${net}-acc"]`).textContent = pct(run.testAccuracy);
        $(`[data-out="${net}-typical"]`).textContent = sci(typicalSize(run, r.convs, 0));
        $(`[data-out="${net}-ratio"]`).textContent = sci(stemOverLast(run, r.convs, 0));
      }
    };
    return [controls, readouts, chartsPanel(root, state, () => last)];
  },
};
