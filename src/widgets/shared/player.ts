/**
 * Play / pause / step / scrub for a widget that walks through cells, operable by keyboard alone:
 * on the stage, the one model of grid-nav.ts (←/→ a cell, ↑/↓ a row, Home/End, Space). The
 * current step is announced in a polite live region, at most once every `announceMs` while
 * playing so screen readers are not flooded. With prefers-reduced-motion, playback still steps
 * (a jump per tick, no transition) but never starts by itself.
 */
import { navigate } from './grid-nav';
import { prefersReducedMotion } from './visible';

export interface PlayerParts {
  readonly stage: HTMLElement;
  readonly play: HTMLButtonElement;
  readonly prev: HTMLButtonElement;
  readonly next: HTMLButtonElement;
  readonly scrub: HTMLInputElement;
  readonly position: HTMLElement;
  readonly live: HTMLElement;
  /** The stepper bar's group (StepperBar.astro's `[data-stepper]`): it takes the keys too. */
  readonly keys?: HTMLElement;
}

/** The parts of a figure marked up with StepperBar.astro and Frame.astro, keys on `stage`. */
export function playerParts(root: HTMLElement, stage: HTMLElement): PlayerParts {
  const find = <T extends HTMLElement>(selector: string): T => {
    const el = root.querySelector<T>(selector);
    if (!el) throw new Error(`player: no ${selector} in this figure`);
    return el;
  };
  return {
    stage,
    play: find('[data-play]'),
    prev: find('[data-prev]'),
    next: find('[data-next]'),
    scrub: find('input[name="step"]'),
    position: find('[data-out="step"]'),
    live: find('[data-live]'),
    keys: find('[data-stepper]'),
  };
}

export interface PlayerHooks {
  count(): number;
  /** Shows step `step` (already wrapped into [0, count)). */
  show(step: number): void;
  /** The sentence to announce for `step`. */
  describe(step: number): string;
  /** The visible readout of `step` (default "Step 3 of 16"): name the cell, 0-based. */
  position?(step: number): string;
  /** Cells a row of the grid the steps walk (↑/↓ move a row); one row when left out. */
  cols?(): number;
}

export class Player {
  step = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastAnnounce = 0;

  constructor(
    private readonly parts: PlayerParts,
    private readonly hooks: PlayerHooks,
    private readonly intervalMs = 700,
    private readonly announceMs = 2500,
  ) {
    parts.play.addEventListener('click', () => this.toggle());
    parts.prev.addEventListener('click', () => this.go(this.step - 1));
    parts.next.addEventListener('click', () => this.go(this.step + 1));
    parts.scrub.addEventListener('input', () => this.go(Number(parts.scrub.value)));
    parts.stage.addEventListener('keydown', (e) => {
      // A control inside the stage (a bias field, a radio) keeps its own keys.
      if ((e.target as Element).closest('input, select, textarea')) return;
      this.onKey(e);
    });
    parts.keys?.addEventListener('keydown', (e) => {
      if (e.target === parts.scrub && e.key !== ' ') return; // the range handles its own arrows
      const button = (e.target as HTMLElement).tagName === 'BUTTON';
      if (button && (e.key === ' ' || e.key === 'Enter')) return;
      this.onKey(e);
    });
    parts.stage.dataset.reducedMotion = String(prefersReducedMotion());
  }

  get playing(): boolean {
    return this.timer !== null;
  }

  /** Re-reads the count (after a settings change) and shows `step` without announcing. */
  reset(step: number): void {
    const n = Math.max(1, this.hooks.count());
    this.parts.scrub.max = String(n - 1);
    this.set(Math.min(Math.max(0, step), n - 1), false);
  }

  go(step: number): void {
    this.set(step, true);
  }

  /** The reader picked `step` (clicked its cell): playback stops there. */
  pick(step: number): void {
    this.pause();
    this.go(step);
  }

  toggle(): void {
    if (this.timer) this.pause();
    else this.start();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.set(this.step + 1, true, true), this.intervalMs);
    this.parts.play.textContent = 'Pause';
    this.parts.play.setAttribute('aria-pressed', 'true');
  }

  pause(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    this.parts.play.textContent = 'Play';
    this.parts.play.setAttribute('aria-pressed', 'false');
    this.announce(true);
  }

  private set(step: number, announce: boolean, playing = false): void {
    const n = Math.max(1, this.hooks.count());
    this.step = ((step % n) + n) % n;
    this.parts.scrub.value = String(this.step);
    this.parts.scrub.setAttribute('aria-valuetext', `step ${this.step + 1} of ${n}`);
    this.parts.position.textContent =
      this.hooks.position?.(this.step) ?? `Step ${this.step + 1} of ${n}`;
    this.hooks.show(this.step);
    if (announce) this.announce(!playing);
  }

  private announce(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastAnnounce < this.announceMs) return;
    this.lastAnnounce = now;
    this.parts.live.textContent = this.hooks.describe(this.step);
  }

  private onKey(e: KeyboardEvent): void {
    const to = navigate(e.key, this.step, this.hooks.count(), this.hooks.cols?.());
    if (to === null) return;
    e.preventDefault();
    if (to === 'toggle') this.toggle();
    else this.pick(to);
  }
}
