/**
 * The widget kernel. A widget is declared, not hand-wired:
 *
 * - `init` reads the page (embedded data, the link, through `fields.ts`) into the first state;
 * - `reduce` is the pure state update, unit-tested without a browser;
 * - `compute` gives the reference engine's result, recomputed only when its key changes (the
 *   reactive-cell idea: a setting that the result does not read does not recompute it), and the
 *   request that checks it on onnxruntime-web (the kernel runs it through `TwiceRunner`, which
 *   drops superseded runs and ships model bytes once). A result that takes longer than a frame
 *   comes from a worker (`jobs.ts`) as a promise: the panels keep the last result until it
 *   arrives, the root says `loading`, and a result whose key is no longer current is dropped;
 * - `view` finds its elements and wires their events to `dispatch` once, and returns the panels:
 *   small functions that draw the state and the result.
 *
 * The kernel owns everything in between: rendering (at once, or once per animation frame), the
 * link, the live region, `data-state` on the root, and failures. A render that no event handler
 * waits for (the first one, and one for a result a worker sent) is drawn panel by panel in tasks
 * of its own, a new one once SLICE_MS are spent: no task of a widget's start has to run past 50 ms.
 * Tasks, not animation frames: a frame also restyles, lays out and paints, so drawing in it would
 * add that work to the same task. Each panel's `prev` is the state that panel last drew.
 */
import { q, throttledAnnouncer } from './dom';
import { TwiceRunner } from './twice';
import type { TwiceRequest, TwiceResult } from './twice';
import { writeParams } from './url-state';
import { mountWidgets } from './visible';
import type { MountFailure } from './visible';

export interface Compute<S, R> {
  /** Same key ⇒ same result: the reference result is reused, not recomputed. */
  key(state: S): string;
  run(state: S): R | Promise<R>;
  /** What onnxruntime-web should compute to check `result`; none for a result without tensors. */
  check?(state: S, result: R): TwiceRequest | undefined;
}

/** Draws part of the widget; `prev` is the state it last drew (undefined the first time). */
export type Panel<S, R> = (state: S, result: R, prev: S | undefined) => void;

const STATE_ONLY = Symbol('state only');
/**
 * Marks a panel that draws from the state alone (the inputs, their messages): it keeps drawing
 * while a worker computes the result, so a key press shows at once. It is called with no result.
 */
export function stateOnly<S, R>(panel: Panel<S, R | undefined>): Panel<S, R> {
  return Object.assign(panel as Panel<S, R>, { [STATE_ONLY]: true });
}

export interface ViewContext<S, A> {
  readonly root: HTMLElement;
  /** The element matching `selector` in this widget (an error names a missing one). */
  $<T extends HTMLElement = HTMLElement>(selector: string): T;
  dispatch(action: A): void;
  state(): S;
  /** Says `text` in the widget's live region (throttled). */
  say(text: string): void;
}

export interface WidgetSpec<S, A, R = undefined> {
  /** The `data-widget` name of the roots it mounts on. */
  readonly name: string;
  /** The link's namespace (`ns.key=…`): with `params`, each state change rewrites the link. */
  readonly ns?: string;
  init(
    root: HTMLElement,
  ): { state: S; notes?: readonly string[] } | Promise<{ state: S; notes?: readonly string[] }>;
  reduce(state: S, action: A): S;
  readonly compute?: Compute<S, R>;
  /** May load what it draws with (KaTeX, Plot) first: the kernel waits for it. */
  view(ctx: ViewContext<S, A>): readonly Panel<S, R>[] | Promise<readonly Panel<S, R>[]>;
  /**
   * ORT's answer to the check of `state` (never a superseded one's): the action, if any, that puts
   * what the widget shows of ORT's own numbers into the state.
   */
  checked?(state: S, outcome: TwiceResult): A | undefined;
  params?(state: S): Readonly<Record<string, string | undefined>>;
  announce?(prev: S | undefined, next: S, result: R): string | undefined;
  /** `data-state` while the widget waits for the reader when no check runs (default `done`). */
  status?(state: S, result: R): string;
  /**
   * Draw in the next animation frame, once for any number of dispatches (for figures driven by
   * sliders or playback). Default: draw at once, so what a dispatch changed is on screen when the
   * event handler returns.
   */
  readonly frame?: boolean;
  /** How long the live region waits between announcements (default 700 ms). */
  readonly announceMs?: number;
  readonly failure?: MountFailure;
}

/** A mounted widget, for tests and for widgets that talk to each other through events. */
export interface Widget<S, A> {
  readonly root: HTMLElement;
  state(): S;
  dispatch(action: A): void;
}

/** How long a sliced render draws before it leaves the rest of its panels to the next task. */
const SLICE_MS = 20;
const later = (f: () => void): number => setTimeout(f, 0) as unknown as number;

export async function mountWidget<S, A, R>(
  spec: WidgetSpec<S, A, R>,
  root: HTMLElement,
): Promise<Widget<S, A>> {
  const started = performance.now();
  root.dataset.state = 'loading';
  const { state: first, notes = [] } = await spec.init(root);
  const note = root.querySelector<HTMLElement>('[data-note]');
  if (note && notes.length) {
    note.textContent = notes.join(' ');
    note.hidden = false;
  }
  const live = root.querySelector<HTMLElement>('[data-live]');
  const say = live ? throttledAnnouncer(live, spec.announceMs ?? 700) : () => {};
  const badge = root.querySelector<HTMLElement>('[data-badge]');
  const runner = badge ? new TwiceRunner(root, badge) : undefined;

  let state = first;
  let drawn: S | undefined; // the state every panel has drawn
  let drawnBy: (S | undefined)[] = []; // the state each panel last drew
  let slice = 0; // the timer that draws the rest of a sliced render
  let memo: { key: string; result: R } | undefined;
  let pending: string | undefined; // the key whose result a worker is computing
  let checkedKey: string | undefined;
  let linked: string | undefined; // the params last written, so an unchanged link is not rewritten
  let frame = 0;

  const fail = (error: unknown): void => {
    root.dataset.state = 'error';
    const where = root.querySelector<HTMLElement>(spec.failure?.where ?? '[data-badge]') ?? note;
    if (where)
      where.textContent = `${spec.failure?.prefix ?? 'This figure failed: '}${error instanceof Error ? error.message : String(error)}`;
  };

  /** The result for `s`, or `waiting` while a worker computes it (render runs again then). */
  const waiting = Symbol('waiting');
  const result = (s: S): R | typeof waiting => {
    if (!spec.compute) return undefined as R;
    const key = spec.compute.key(s);
    if (memo?.key === key) return memo.result;
    if (pending === key) return waiting;
    const out = spec.compute.run(s);
    if (!(out instanceof Promise)) {
      memo = { key, result: out };
      return out;
    }
    pending = key;
    out.then(
      (r) => {
        if (pending !== key) return; // superseded while it ran
        pending = undefined;
        memo = { key, result: r };
        if (frame) return; // a frame's render is coming: it draws this result
        if (slice) clearTimeout(slice);
        slice = later(() => render('later'));
      },
      (error: unknown) => {
        if (pending !== key) return;
        pending = undefined;
        fail(error);
      },
    );
    return waiting;
  };

  /** Draws panels `from` on; sliced, it leaves the rest to the next task once SLICE_MS pass. */
  const draw = (s: S, r: R, from: number, since: number | undefined): void => {
    // The first render counts the mount's own work too, so even its first panel may wait.
    const first = since === started;
    for (let i = from; i < panels.length; i++) {
      if (since !== undefined && (i > from || first) && performance.now() - since > SLICE_MS) {
        slice = later(() => {
          slice = 0;
          if (state === s) guarded(() => draw(s, r, i, performance.now()));
        });
        return;
      }
      panels[i]!(s, r, drawnBy[i]);
      drawnBy[i] = s;
    }
    finish(s, r);
  };

  const guarded = (f: () => void): void => {
    try {
      f();
    } catch (error) {
      fail(error);
    }
  };

  /** All panels have drawn `s`: the announcement, then ORT's check or the status. */
  const finish = (s: S, r: R): void => {
    const prev = drawn;
    drawn = s;
    const words = spec.announce?.(prev, s, r);
    if (words) say(words);
    const request = spec.compute?.check?.(s, r);
    if (request && runner) {
      const key = `${memo?.key}`;
      if (key !== checkedKey) {
        checkedKey = key;
        void runner.run(request).then((outcome) => {
          const action = outcome && spec.checked?.(s, outcome);
          if (action) ctx.dispatch(action);
        });
      }
    } else root.dataset.state = spec.status?.(s, r) ?? 'done';
  };

  /**
   * Sliced when no event handler waits for this render: it may take several tasks, and the first
   * one (`mount`) counts the mount's own work in its first slice.
   */
  const render = (sliced: 'mount' | 'later' | false = false): void => {
    if (frame) cancelAnimationFrame(frame);
    if (slice) clearTimeout(slice);
    frame = slice = 0;
    const s = state;
    try {
      // The link describes the reader's settings, so it changes with them, not when a worker
      // has finished computing their result.
      if (spec.ns && spec.params) {
        const params = spec.params(s);
        const text = JSON.stringify(params);
        if (text !== linked) writeParams(spec.ns, params);
        linked = text;
      }
      const r = result(s);
      if (r === waiting) {
        // A state-only panel has drawn `s` now: its next `prev` must say so, or a step back to
        // the state last drawn with a result looks like no change (the digit box kept 8 after →).
        panels.forEach((panel, i) => {
          if (!(STATE_ONLY in panel)) return;
          panel(s, undefined as R, drawnBy[i]);
          drawnBy[i] = s;
        });
        root.dataset.state = 'loading';
        return;
      }
      // Until the last panel has drawn, the figure is not `done`.
      if (sliced) root.dataset.state = 'loading';
      draw(s, r, 0, sliced ? (sliced === 'mount' ? started : performance.now()) : undefined);
    } catch (error) {
      fail(error);
    }
  };

  const ctx: ViewContext<S, A> = {
    root,
    $: (selector) => q(root, selector),
    state: () => state,
    say,
    dispatch(action) {
      const next = spec.reduce(state, action);
      if (Object.is(next, state)) return;
      state = next;
      if (!spec.frame) render();
      else {
        // Until the frame draws, the figure shows an older state: not `done` yet.
        root.dataset.state = 'loading';
        frame ||= requestAnimationFrame(() => render());
      }
    },
  };
  const panels = await spec.view(ctx);
  drawnBy = panels.map(() => undefined);
  render('mount');
  return { root, state: () => state, dispatch: ctx.dispatch };
}

/** Mounts `spec` on every `[data-widget="name"]` of the page when it first comes on screen. */
export function startWidgets<S, A, R>(spec: WidgetSpec<S, A, R>): void {
  mountWidgets(spec.name, (root) => mountWidget(spec, root).then(() => undefined), spec.failure);
}
