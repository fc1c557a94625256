/**
 * The training lab, declared on the widget kernel. The lab worker (shared/lab.ts) trains and
 * streams events; they are batched into one action per animation frame and reduced (widget.ts,
 * state.ts); the buttons send the worker its commands and tell the state what they did; the
 * panels only draw. One spec per lab on the page: its namespace (`lab`, `overfit`) names its link
 * parameters and its saved run.
 */
import { ortHold } from '../../runtime/client';
import type { LabCommand, LabEvent } from '../../runtime/lab/protocol';
import { parseBackend, readPreferredBackend } from '../shared/backend-pref';
import { mountWidget } from '../shared/define';
import type { WidgetSpec } from '../shared/define';
import { thousands } from '../shared/format';
import { getSharedLab, requestId } from '../shared/lab';
import type { Lab } from '../shared/lab';
import { wireLoadNet } from '../shared/load-net';
import { readParams } from '../shared/url-state';
import { mountWidgets } from '../shared/visible';
import { DEFAULT_SETTINGS, OVERFIT_SETTINGS, parseLabParams, settingsToParams } from './config';
import { bannersPanel } from './panels/banners';
import { chartsPanel } from './panels/charts';
import { comparePanel } from './panels/compare';
import { controlsPanel } from './panels/controls';
import { figuresPanel } from './panels/figures';
import { progressPanel } from './panels/progress';
import { resultsPanel } from './panels/results';
import { readForm, settingsPanel } from './panels/settings';
import { controls } from './state';
import { initialLabState, planStart, reduceLab } from './widget';
import type { LabAction, LabCtx, LabWidgetState } from './widget';

function download(bytes: Uint8Array): void {
  const blob = new Blob([bytes as BlobPart], { type: 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = 'convbook-mnist.onnx';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Buttons and keys: each sends the worker its command and tells the state what it did. */
function wire(ctx: LabCtx, lab: () => Lab | undefined, act: (a: LabAction) => void): void {
  const { root, $, state } = ctx;
  const form = $<HTMLFormElement>('form[data-settings]');
  const send: Lab['send'] = (cmd) => lab()?.send(cmd);
  const on = (action: string, run: () => void) =>
    $(`[data-action="${action}"]`).addEventListener('click', run);

  form.addEventListener('input', () => act({ kind: 'form', form: readForm(form) }));
  form.addEventListener('submit', (e) => e.preventDefault());
  on('start', () => {
    const typed = readForm(form);
    const plan = planStart(state(), typed, readPreferredBackend());
    act({ kind: 'start', form: typed, plan });
    if (plan.ok) send({ kind: 'start', config: plan.config });
  });
  on('pause', () => send({ kind: 'pause' }));
  on('resume', () => send({ kind: 'resume' }));
  on('step', () => send({ kind: 'step' }));
  // What the page changes at once, and what the worker is told.
  const both = (action: string, a: LabAction, cmd: LabCommand) =>
    on(action, () => {
      act(a);
      send(cmd);
    });
  both('reset', { kind: 'reset' }, { kind: 'reset' });
  both('clear', { kind: 'clear', say: true }, { kind: 'clear' });
  both('restore-resume', { kind: 'restore-resume' }, { kind: 'resume' });
  both('restore-over', { kind: 'clear', say: false }, { kind: 'clear' });
  on('export', () => {
    const id = requestId();
    exports.add(id);
    send({ kind: 'export', id });
  });
  on('recover', () => {
    const nan = state().ui.nan;
    if (!nan) return;
    const lr = nan.lr / 10;
    act({ kind: 'recover', lr });
    send({ kind: 'recover', lr });
  });
  root.addEventListener('keydown', (e) => {
    if ((e.target as HTMLElement).closest('input, select, textarea, button, summary')) return;
    const c = controls(state().ui);
    if (e.key === ' ') {
      if (c.pause) send({ kind: 'pause' });
      else if (c.resume) send({ kind: 'resume' });
      else return;
      e.preventDefault();
    } else if (e.key === 'ArrowRight' && c.step) {
      send({ kind: 'step' });
      e.preventDefault();
    }
  });
}

/** How often the numbers redraw while only progress streams in (anything else: next frame). */
export const PROGRESS_EVERY_MS = 250;

/** Export requests this page made (another widget's ids are not ours to answer). */
const exports = new Set<number>();

export function trainingLabWidget(ns: string): WidgetSpec<LabWidgetState, LabAction> {
  return {
    name: 'training-lab',
    ns,
    failure: { where: '[data-status]', prefix: 'The lab could not start: ' },
    announceMs: 0,
    init(root) {
      const defaults = root.dataset.defaults === 'overfit' ? OVERFIT_SETTINGS : DEFAULT_SETTINGS;
      // Settings from the link (garbage → defaults + a note); ?backend= picks the engine.
      const { settings, notes } = parseLabParams(readParams(ns), defaults);
      const backend = parseBackend(new URLSearchParams(location.search).get('backend'));
      const shown = { ...settings, backend: backend ?? settings.backend };
      return { state: initialLabState(defaults, shown, root.dataset.compare === 'true'), notes };
    },
    reduce: reduceLab,
    params: (s) => settingsToParams(s.linked, s.defaults),
    status: (s) => s.ui.state,
    announce: (prev, s) => (s.said !== prev?.said ? s.said?.text : undefined),
    view(ctx) {
      let lab: Lab | undefined;
      // The worker's events, one action per animation frame however many arrive; a stream of
      // progress alone at most every PROGRESS_EVERY_MS (ten redraws a second only cost the page).
      let queue: LabEvent[] = [];
      let frame = 0;
      let wait: ReturnType<typeof setTimeout> | undefined;
      let flushed = 0;
      const flush = () => {
        cancelAnimationFrame(frame);
        clearTimeout(wait);
        frame = 0;
        wait = undefined;
        flushed = performance.now();
        const events = queue;
        queue = [];
        if (events.length) ctx.dispatch({ kind: 'events', events });
      };
      const schedule = () => {
        if (frame) return;
        const routine = queue.every((q) => q.kind === 'progress');
        const early = flushed + PROGRESS_EVERY_MS - performance.now();
        if (!routine || early <= 0) {
          clearTimeout(wait);
          wait = undefined;
          frame = requestAnimationFrame(flush);
        } else
          wait ??= setTimeout(() => {
            wait = undefined;
            frame ||= requestAnimationFrame(flush);
          }, early);
      };
      // What the reader does applies after every event that arrived before it.
      const act = (a: LabAction) => {
        flush();
        ctx.dispatch(a);
      };
      wire(ctx, () => lab, act);
      // Connected once the panels exist (the kernel's first render), so that a lab another
      // widget already started cannot answer before there is anything to draw on.
      let connecting = false;
      const connect = () => {
        if (connecting) return;
        connecting = true;
        // lesson 10's experiment keeps its own saved run; lesson 9's ('lab') is the one lesson 11 reads
        getSharedLab(ns === 'lab' ? undefined : ns).then(
          (l) => {
            lab = l;
            l.on((e: LabEvent) => {
              if (e.kind === 'prediction' || e.kind === 'weights') return;
              if (e.kind === 'exported') {
                if (!exports.delete(e.id)) return;
                download(e.bytes);
                act({
                  kind: 'say',
                  text: `Exported convbook-mnist.onnx (${thousands(e.bytes.length)} bytes).`,
                });
                return;
              }
              queue.push(e);
              schedule();
            });
            act({ kind: 'connected' });
            // Lesson 9's lab takes a network back from its .onnx (lesson 10's runs its own experiment).
            if (ns === 'lab') wireLoadNet(ctx.root, l);
            l.send({ kind: 'restore' });
            // While the reader reads, the lab compiles ORT's hot code on throwaway steps of the
            // settings as they stand (nothing when a run comes back, or with Save-Data on).
            const form = readForm(ctx.$<HTMLFormElement>('form[data-settings]'));
            const plan = planStart(ctx.state(), form, readPreferredBackend());
            if (plan.ok && ortHold() === null) l.send({ kind: 'warm', config: plan.config });
          },
          (error: unknown) =>
            act({
              kind: 'failed',
              message: error instanceof Error ? error.message : String(error),
            }),
        );
      };
      return [
        settingsPanel(ctx),
        controlsPanel(ctx),
        bannersPanel(ctx),
        progressPanel(ctx),
        chartsPanel(ctx),
        figuresPanel(ctx),
        resultsPanel(ctx),
        comparePanel(ctx),
        connect,
      ];
    },
  };
}

/** Mounts every lab of the page when it comes on screen, each with its own namespace. */
export function startTrainingLabs(): void {
  const failure = trainingLabWidget('lab').failure;
  mountWidgets(
    'training-lab',
    (root) => mountWidget(trainingLabWidget(root.dataset.ns ?? 'lab'), root).then(() => undefined),
    failure,
  );
}
