/**
 * The cost figure on the widget kernel. Counts are the compute (the engine's shape rules, at once)
 * and its check (ORT's own answers from the network's ONNX graph). Timings are slower and go
 * through workers: the view starts a measurement when the network it shows has none (after the
 * reader stops typing), one at a time, and the reducer files each result under its network.
 */
import { BACKEND_LABEL } from '../../runtime/backends';
import type { WidgetSpec } from '../shared/define';
import { thousands } from '../shared/format';
import { readParams } from '../shared/url-state';
import { countsCheck } from './check';
import { costTable } from './counts';
import type { CostTable } from './counts';
import { measureCompare, measureNet } from './measure';
import { buildEditor, drawErrors } from './panels/editor';
import { drawTable } from './panels/table';
import { drawCompare, drawThroughput } from './panels/timing';
import { costParams, netKey, netOf, reduceCost, stateFromParams } from './state';
import type { CostAction, CostState } from './state';

/** How long the figure waits after the last edit before measuring again. */
const SETTLE_MS = 600;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const costWidget: WidgetSpec<CostState, CostAction, CostTable> = {
  name: 'cost',
  ns: 'cost',
  announceMs: 1000,
  init() {
    return stateFromParams(readParams('cost'));
  },
  reduce: reduceCost,
  compute: {
    key: (s) => netKey(netOf(s)),
    run: (s) => costTable(netOf(s)),
    check: (s, table) => countsCheck(netOf(s), netKey(netOf(s)), table),
  },
  params: costParams,
  announce(prev, s, table) {
    if (prev && prev.edits === s.edits && prev.preset === s.preset) return undefined;
    return `${thousands(table.params)} parameters, ${thousands(table.macs)} multiply-adds per image.`;
  },
  view({ root, $, dispatch, state }) {
    const select = $<HTMLSelectElement>('[data-preset]');
    select.value = state().preset;
    select.addEventListener('change', () => dispatch({ kind: 'preset', raw: select.value }));
    const editor = $('[data-edit-rows]');
    const timingStatus = $('[data-timing-status]');
    const compareStatus = $('[data-compare-status]');
    const chart = $('[data-chart="throughput"]');

    let busy = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let compared = false;

    // One measurement at a time; when it ends, the network on screen may need its own.
    const measure = async () => {
      const s = state();
      const spec = netOf(s);
      const key = netKey(spec);
      if (busy || s.timing.key === key) return;
      busy = true;
      dispatch({ kind: 'timing', key });
      try {
        dispatch({ kind: 'timed', key, net: await measureNet(spec) });
      } catch (error) {
        dispatch({ kind: 'timing-failed', key, message: message(error) });
      }
      if (!compared) {
        compared = true;
        dispatch({ kind: 'comparing' });
        try {
          dispatch({ kind: 'compared', result: await measureCompare() });
        } catch (error) {
          dispatch({ kind: 'compare-failed', message: message(error) });
        }
      }
      busy = false;
      schedule(0);
    };
    const schedule = (wait: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => void measure(), wait);
    };

    const edits = (s: CostState, _t: CostTable, prev: CostState | undefined) => {
      if (prev?.preset !== s.preset) {
        select.value = s.preset;
        buildEditor(editor, s, dispatch);
      }
      drawErrors(editor, s);
    };
    const table = (s: CostState, t: CostTable) => {
      const current = s.timing.key === netKey(netOf(s)) ? s.timing.net : undefined;
      drawTable(root, $('[data-rows]'), $('[data-totals]'), $('[data-stats]'), s, t, current);
      $('[data-ort-head]').textContent = current?.backend
        ? `${BACKEND_LABEL[current.backend]} ms`
        : 'ORT ms';
    };
    const timing = (s: CostState, _t: CostTable, prev: CostState | undefined) => {
      const key = netKey(netOf(s));
      const fresh = s.timing.key === key;
      root.dataset.timing = fresh ? s.timing.status : 'stale';
      timingStatus.textContent =
        s.timing.status === 'error' && fresh
          ? `Timings failed: ${s.timing.message}`
          : fresh && s.timing.status === 'done'
            ? s.timing.net?.backend
              ? `Timed on this device: the reference engine in a worker, ${BACKEND_LABEL[s.timing.net.backend]} one layer at a time as a one-op graph.`
              : 'Timed on this device: the reference engine only (chosen on the Engines page).'
            : 'Timing every layer on this device…';
      if (!fresh && !busy) schedule(prev ? SETTLE_MS : 0);
      if (fresh && s.timing.net && prev?.timing !== s.timing)
        void drawThroughput(chart, s.timing.net);
    };
    const compare = (s: CostState, _t: CostTable, prev: CostState | undefined) => {
      if (prev && prev.compare === s.compare) return;
      root.dataset.compare = s.compare.status;
      drawCompare($('[data-compare-rows]'), s.compare.result);
      compareStatus.textContent =
        s.compare.status === 'error'
          ? `Comparisons failed: ${s.compare.message}`
          : s.compare.status === 'done'
            ? 'Measured on this device, one image each.'
            : 'Counted; timed after the table above.';
    };
    return [edits, table, timing, compare];
  },
};
