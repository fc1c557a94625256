/**
 * The training lab widget's whole state and its pure reducer: the lab worker's events (reduced by
 * state.ts) together with what the page itself does — the settings as typed and their errors, a
 * start refused or sent, reset, clear, recovery from NaN at a tenth of the rate, the restored
 * run's banner, the runs kept for comparison, and the sentence for the live region.
 */
import { chooseBackend } from '../../runtime/backends';
import type { BackendName } from '../../runtime/crosscheck';
import type { LabConfig, LabEvent } from '../../runtime/lab/protocol';
import type { ViewContext } from '../shared/define';
import {
  configToSettings,
  settingsLabel,
  settingsToForm,
  toLabConfig,
  validateForm,
} from './config';
import type { LabForm, LabSettings, SettingName } from './config';
import { summarizeRun } from './series';
import type { RunSummary } from './series';
import { INITIAL_UI, announcement, clearRun, reduce } from './state';
import type { LabUi } from './state';

export interface LabWidgetState {
  readonly ui: LabUi;
  /** Lesson 9's or lesson 10's first settings: the link leaves out what equals them. */
  readonly defaults: LabSettings;
  /** Keep each finished run for the side-by-side comparison (lesson 10). */
  readonly compare: boolean;
  /** The settings as typed, and what is wrong with them. */
  readonly form: LabForm;
  readonly errors: Partial<Record<SettingName, string>>;
  /** Bumped when the state (not the reader) sets the form: the controls are rewritten. */
  readonly formRev: number;
  /** The last valid settings: what the link says. */
  readonly linked: LabSettings;
  readonly startError: string;
  /** The settings of the run on screen (started here or restored). */
  readonly run: LabSettings | undefined;
  readonly runs: readonly RunSummary[];
  /** starting: loading the worker; looking: asked for a saved run; open: it answered. */
  readonly conn: 'starting' | 'looking' | 'open' | 'failed';
  /** Why the lab could not start, shown instead of the dashboard's state. */
  readonly failure: string | undefined;
  /** A note about the engine used (a requested backend that is unavailable). */
  readonly note: string | undefined;
  /** The latest sentence for the live region; a new object each time it is to be said. */
  readonly said: { readonly text: string } | undefined;
  /** Bumped when the charts are due at once (an epoch end, a state change, a new run). */
  readonly chartsRev: number;
  /** Bumped when a new run (start, reset, clear) empties the figures. */
  readonly figuresRev: number;
}

export type LabAction =
  | { readonly kind: 'events'; readonly events: readonly LabEvent[] }
  | { readonly kind: 'connected' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'form'; readonly form: LabForm }
  | { readonly kind: 'start'; readonly form: LabForm; readonly plan: StartPlan }
  | { readonly kind: 'reset' }
  | { readonly kind: 'clear'; readonly say: boolean }
  | { readonly kind: 'recover'; readonly lr: number }
  | { readonly kind: 'restore-resume' }
  | { readonly kind: 'say'; readonly text: string };

/** What the panels and the buttons get from the kernel. */
export type LabCtx = ViewContext<LabWidgetState, LabAction>;

export function initialLabState(
  defaults: LabSettings,
  shown: LabSettings,
  compare: boolean,
): LabWidgetState {
  return {
    ui: INITIAL_UI,
    defaults,
    compare,
    form: settingsToForm(shown),
    errors: {},
    formRev: 0,
    linked: shown,
    startError: '',
    run: undefined,
    runs: [],
    conn: 'starting',
    failure: undefined,
    note: undefined,
    said: undefined,
    chartsRev: 0,
    figuresRev: 0,
  };
}

export type StartPlan =
  | {
      readonly ok: true;
      readonly settings: LabSettings;
      readonly config: LabConfig;
      readonly note?: string;
    }
  | { readonly ok: false };

/**
 * What a click on Start sends: the typed settings if valid, on the engine they ask for ('auto' is
 * the reader's preference, `preferred`), or the best available one with a note saying why.
 */
export function planStart(
  s: LabWidgetState,
  form: LabForm,
  preferred: BackendName | undefined,
): StartPlan {
  const v = validateForm(form);
  if (!v.ok) return { ok: false };
  const requested = v.settings.backend === 'auto' ? preferred : v.settings.backend;
  const { backend, note } = chooseBackend(s.ui.backends, requested);
  const chosen = s.ui.backends.length ? backend : (requested ?? 'wasm');
  return { ok: true, settings: v.settings, config: toLabConfig(v.settings, chosen), note };
}

/** The form and its errors; a valid form also becomes the link. */
function withForm(s: LabWidgetState, form: LabForm, formRev = s.formRev): LabWidgetState {
  const v = validateForm(form);
  return {
    ...s,
    form,
    formRev,
    errors: v.ok ? {} : v.errors,
    linked: v.ok ? v.settings : s.linked,
  };
}

/** Says `text` unless it was the last thing said. */
function say(s: LabWidgetState, text: string | undefined): LabWidgetState {
  return text && text !== s.said?.text ? { ...s, said: { text } } : s;
}

/** A new run or none: the old run's figures go. */
function emptied(s: LabWidgetState, ui: LabUi): LabWidgetState {
  return { ...s, ui, figuresRev: s.figuresRev + 1, chartsRev: s.chartsRev + 1 };
}

function onEvent(s: LabWidgetState, e: LabEvent): LabWidgetState {
  const prev = s.ui;
  const ui = reduce(prev, e);
  let next: LabWidgetState = { ...s, ui, conn: s.conn === 'failed' ? 'failed' : 'open' };
  if (e.kind === 'restored') {
    const run = configToSettings(e.config, 'auto');
    const form = { ...settingsToForm(run), backend: s.form.backend };
    next = withForm({ ...next, run }, form, s.formRev + 1);
  }
  if (s.compare && e.kind === 'status' && e.state === 'done' && prev.state !== 'done' && next.run) {
    const summary = summarizeRun(
      next.runs.length + 1,
      settingsLabel(next.run),
      ui.progress?.history ?? [],
      ui.evals,
    );
    if (summary) next = { ...next, runs: [...next.runs, summary] };
  }
  if (e.kind === 'eval' || e.kind === 'status' || e.kind === 'snapshot')
    next = { ...next, chartsRev: next.chartsRev + 1 };
  return say(next, announcement(prev, ui, e, next.run?.epochs));
}

export function reduceLab(s: LabWidgetState, a: LabAction): LabWidgetState {
  switch (a.kind) {
    case 'events':
      return a.events.reduce(onEvent, s);
    case 'connected':
      return s.conn === 'starting' ? { ...s, conn: 'looking' } : s;
    case 'failed':
      return { ...s, conn: 'failed', failure: a.message, ui: { ...s.ui, state: 'error' } };
    case 'form':
      return withForm(s, a.form);
    case 'start': {
      const typed = withForm(s, a.form);
      if (!a.plan.ok)
        return { ...typed, startError: 'Fix the settings marked above before starting.' };
      return emptied(
        { ...typed, startError: '', run: a.plan.settings, note: a.plan.note ?? s.note },
        { ...clearRun(s.ui), state: s.ui.state },
      );
    }
    case 'reset':
      return emptied(s, { ...clearRun(s.ui), state: s.ui.state, hasNet: true });
    case 'clear': {
      const next = emptied(s, { ...clearRun(s.ui), state: 'idle' });
      return a.say ? say(next, 'Saved run cleared.') : next;
    }
    case 'recover': {
      if (!s.ui.nan) return s;
      const form = { ...s.form, lr: String(Number(a.lr.toPrecision(6))) };
      // Training resumes at once; saying so now (not when the worker answers) also keeps a stale
      // 'stopped-nan' from being read as the next divergence.
      const next = withForm(s, form, s.formRev + 1);
      return say(
        { ...next, ui: { ...s.ui, nan: undefined, state: 'training' }, chartsRev: s.chartsRev + 1 },
        `Continuing from the last good weights with learning rate ${a.lr.toPrecision(3)}.`,
      );
    }
    case 'restore-resume':
      return { ...s, ui: { ...s.ui, restored: undefined } };
    case 'say':
      return say(s, a.text);
  }
}
