/**
 * The engine self-check, declared on the widget kernel: it probes the backends and runs the case
 * on every available one, one by one, dispatching each row; panels draw the list, the table and
 * the badge. Not a TwiceRequest: it compares every backend, not the one the reader chose.
 */
import { BACKEND_LABEL, BUILD_DOWNLOAD, chooseBackend } from '../../runtime/backends';
import { float32, probeBackends, runModel } from '../../runtime/client';
import { crossCheck, mergeChecks } from '../../runtime/crosscheck';
import { formatError, showAgreement } from '../shared/agreement';
import { readPreferredBackend } from '../shared/backend-pref';
import type { ViewContext, WidgetSpec } from '../shared/define';
import { selfTestModel } from './model';
import { checksOf, initialEngine, reduceEngine } from './state';
import type { EngineAction, EngineState, Row } from './state';

type Ctx = ViewContext<EngineState, EngineAction>;

async function probeAndRun(ctx: Ctx): Promise<void> {
  const statuses = await probeBackends();
  const { backend: chosen, note } = chooseBackend(statuses, readPreferredBackend());
  ctx.dispatch({ kind: 'probed', statuses, chosen, note });
  await runPending(ctx);
}

let running = Promise.resolve();

/** Runs every pending row, one at a time (ORT runs one session at a time on WebGPU). */
function runPending(ctx: Ctx): Promise<void> {
  running = running.then(() => runRows(ctx));
  return running;
}

async function runRows({ dispatch, state }: Ctx): Promise<void> {
  const c = state().case;
  for (const [index, row] of state().rows.entries()) {
    if (row.status !== 'pending') continue;
    dispatch({ kind: 'row', index, row: { ...row, status: 'running' } });
    try {
      const reply = await runModel({
        key: 'engine-check',
        model: selfTestModel(c),
        backend: row.backend as 'webgpu' | 'wasm',
        feeds: {
          x: float32(c.x.shape, c.x.data),
          kernel: float32(c.kernel.shape, c.kernel.data),
          bias: float32(c.bias.shape, c.bias.data),
        },
      });
      const out = reply.outputs.featureMap;
      const check = crossCheck(row.backend, out.data as Float32Array, state().reference.data);
      const message = `output ${out.dims.join('×')}`;
      dispatch({
        kind: 'row',
        index,
        row: { ...row, status: 'done', check, ms: reply.runMs, message },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      dispatch({ kind: 'row', index, row: { ...row, status: 'failed', message } });
    }
  }
  dispatch({ kind: 'finished' });
}

function rowElement(r: Row, index: number): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset.backendRow = r.backend;
  tr.dataset.status = r.status;
  for (const text of [
    BACKEND_LABEL[r.backend],
    r.status === 'waiting' ? 'not run' : r.status,
    r.check ? formatError(r.check.maxAbsError) : '—',
    r.check ? (r.check.agree ? '✓ yes' : '✗ no') : '—',
    r.ms === undefined ? '—' : `${r.ms.toFixed(1)} ms`,
    r.message,
  ]) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  if (r.status === 'waiting') {
    const ask = document.createElement('button');
    ask.type = 'button';
    ask.className = 'button';
    ask.dataset.ask = String(index);
    ask.textContent = `Check on ${BACKEND_LABEL[r.backend]} (${BUILD_DOWNLOAD[r.backend as 'webgpu' | 'wasm']} download)`;
    tr.cells[1]!.replaceChildren(ask);
  }
  return tr;
}

export const engineCheckWidget: WidgetSpec<EngineState, EngineAction> = {
  name: 'engine-check',
  failure: { prefix: 'The self-check failed: ' },
  init: () => ({ state: initialEngine() }),
  reduce: reduceEngine,
  status: (s) => (s.finished ? 'done' : 'loading'),
  view(ctx) {
    const { root, $ } = ctx;
    const statuses = (s: EngineState, _r: undefined, prev: EngineState | undefined) => {
      root.dataset.referenceSum = s.reference.data.reduce((a, b) => a + b, 0).toFixed(6);
      if (!s.statuses || prev?.statuses === s.statuses) return;
      $('[data-statuses]').replaceChildren(
        ...s.statuses.map((b) => {
          const li = document.createElement('li');
          li.dataset.backendStatus = b.name;
          li.dataset.available = String(b.available);
          li.textContent = `${BACKEND_LABEL[b.name]}: ${b.available ? (b.recommended ? 'available' : 'available, not the default') : 'unavailable'}${b.reason ? ` — ${b.reason}` : ''}${b.detail && !b.reason ? ` (${b.detail})` : ''}`;
          return li;
        }),
      );
      if (s.chosen) root.dataset.defaultBackend = s.chosen;
      if (s.note) {
        $('[data-note]').textContent = s.note;
        $('[data-note]').hidden = false;
      }
    };
    const table = (s: EngineState, _r: undefined, prev: EngineState | undefined) => {
      if (prev?.rows !== s.rows) $('tbody').replaceChildren(...s.rows.map(rowElement));
    };
    // A waiting row's button (rows are redrawn, so the table body listens).
    $('tbody').addEventListener('click', (event) => {
      const ask = (event.target as Element).closest<HTMLElement>('[data-ask]');
      if (!ask) return;
      ctx.dispatch({ kind: 'ask', index: Number(ask.dataset.ask) });
      void runPending(ctx);
    });
    const badge = (s: EngineState) => {
      const el = $('[data-badge]');
      if (!s.finished) {
        el.textContent = 'Reference result ready; loading onnxruntime-web…';
        return;
      }
      const checks = checksOf(s);
      const main = checks.find((ch) => ch.backend === s.chosen) ?? checks[0];
      if (main)
        showAgreement(
          root,
          el,
          checks.length > 1 ? { ...mergeChecks(checks), backend: main.backend } : main,
        );
      else
        el.textContent =
          'No ORT backend could run here; ConvBook will use the reference engine alone.';
    };
    // After the kernel's first render: every dispatch then finds the panels.
    setTimeout(() => {
      probeAndRun(ctx).catch((error: unknown) => {
        root.dataset.state = 'error';
        $('[data-badge]').textContent =
          `The self-check failed: ${error instanceof Error ? error.message : String(error)}`;
      });
    }, 0);
    return [statuses, table, badge];
  },
};
