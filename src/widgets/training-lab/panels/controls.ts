/**
 * The buttons (which are enabled, Start's words), the status line and the root's data-* attributes
 * (the kernel keeps `data-state` itself).
 */
import { BACKEND_LABEL } from '../../../runtime/backends';
import type { Panel } from '../../shared/define';
import { controls, isBusy, rootData, stateWords } from '../state';
import type { LabCtx, LabWidgetState } from '../widget';

const ACTIONS = ['start', 'pause', 'resume', 'step', 'reset', 'export'] as const;

function statusText(s: LabWidgetState): string {
  if (s.conn === 'failed') return s.failure ?? 'The lab could not start.';
  if (s.conn === 'starting') return 'Starting the training worker…';
  if (s.conn === 'looking') return 'Looking for a saved run…';
  const { ui } = s;
  const on = ui.backend && (isBusy(ui.state) || ui.state === 'paused');
  return `${stateWords(ui.state)}${on ? ` on ${BACKEND_LABEL[ui.backend!]}` : ''}${ui.statusMessage ? ` — ${ui.statusMessage}` : ''}`;
}

export function controlsPanel({ root, $ }: LabCtx): Panel<LabWidgetState, undefined> {
  const status = $('[data-status]');
  const buttons = Object.fromEntries(
    ACTIONS.map((a) => [a, $<HTMLButtonElement>(`[data-action="${a}"]`)]),
  ) as Record<(typeof ACTIONS)[number], HTMLButtonElement>;
  const all = [...root.querySelectorAll<HTMLButtonElement>('.lab-buttons button')];
  const startError = $('[data-error="start"]');
  return (s, _r, prev) => {
    if (s.ui !== prev?.ui)
      for (const [k, v] of Object.entries(rootData(s.ui))) {
        if (k === 'state') continue;
        if (v === undefined) delete root.dataset[k];
        else root.dataset[k] = v;
      }
    status.textContent = statusText(s);
    startError.textContent = s.startError;
    if (s.conn === 'failed') {
      for (const b of all) b.disabled = true;
      return;
    }
    const c = controls(s.ui);
    for (const a of ACTIONS) buttons[a].disabled = !c[a];
    buttons.start.textContent =
      s.ui.hasNet && !isBusy(s.ui.state) ? 'Start a new run' : 'Start training';
  };
}
