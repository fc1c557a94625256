/** Renders the engine self-check table and runs it on every available backend, one by one. */
import { BACKEND_LABEL, chooseBackend } from '../../runtime/backends';
import { float32, probeBackends, runModel } from '../../runtime/client';
import { crossCheck, mergeChecks, type CrossCheck } from '../../runtime/crosscheck';
import { formatError, showAgreement, showPending } from '../shared/agreement';
import { readPreferredBackend } from '../shared/backend-pref';
import { selfTestModel } from './model';
import { initialRows, referenceOutput, selfTestCase, type Row } from './state';

function renderRows(tbody: HTMLElement, rows: readonly Row[]): void {
  tbody.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.backendRow = r.backend;
      tr.dataset.status = r.status;
      const cells = [
        BACKEND_LABEL[r.backend],
        r.status,
        r.check ? formatError(r.check.maxAbsError) : '—',
        r.check ? (r.check.agree ? '✓ yes' : '✗ no') : '—',
        r.ms === undefined ? '—' : `${r.ms.toFixed(1)} ms`,
        r.message,
      ];
      for (const text of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}

export async function runEngineCheck(root: HTMLElement): Promise<void> {
  const badge = root.querySelector<HTMLElement>('[data-badge]')!;
  const tbody = root.querySelector<HTMLElement>('tbody')!;
  const statusList = root.querySelector<HTMLElement>('[data-statuses]')!;
  const c = selfTestCase();
  const reference = referenceOutput(c);
  root.dataset.referenceSum = reference.data.reduce((a, b) => a + b, 0).toFixed(6);
  showPending(root, badge, 'Reference result ready; loading onnxruntime-web…');

  const statuses = await probeBackends();
  statusList.replaceChildren(
    ...statuses.map((s) => {
      const li = document.createElement('li');
      li.dataset.backendStatus = s.name;
      li.dataset.available = String(s.available);
      li.textContent = `${BACKEND_LABEL[s.name]}: ${s.available ? (s.recommended ? 'available' : 'available, not the default') : 'unavailable'}${s.reason ? ` — ${s.reason}` : ''}${s.detail && !s.reason ? ` (${s.detail})` : ''}`;
      return li;
    }),
  );
  const { backend: chosen, note } = chooseBackend(statuses, readPreferredBackend());
  root.dataset.defaultBackend = chosen;
  if (note) root.querySelector<HTMLElement>('[data-note]')!.textContent = note;

  const rows = initialRows(statuses);
  renderRows(tbody, rows);
  const checks: CrossCheck[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.status !== 'pending') continue;
    rows[i] = { ...row, status: 'running' };
    renderRows(tbody, rows);
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
      const check = crossCheck(row.backend, out.data as Float32Array, reference.data);
      checks.push(check);
      rows[i] = {
        ...row,
        status: 'done',
        check,
        ms: reply.runMs,
        message: `output ${out.dims.join('×')}`,
      };
    } catch (error) {
      rows[i] = {
        ...row,
        status: 'failed',
        message: error instanceof Error ? error.message : String(error),
      };
    }
    renderRows(tbody, rows);
  }
  root.dataset.state = 'done';
  const main = checks.find((ch) => ch.backend === chosen) ?? checks[0];
  if (main)
    showAgreement(
      root,
      badge,
      checks.length > 1 ? { ...mergeChecks(checks), backend: main.backend } : main,
    );
  else
    badge.textContent =
      'No ORT backend could run here; ConvBook will use the reference engine alone.';
}
