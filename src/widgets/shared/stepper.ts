/**
 * The stepper of the backprop and pooling figures: ◀ / ▶ buttons, a range, Play / Pause, and keys
 * on the `[data-stepper]` group (the one model of grid-nav.ts). Playback
 * runs from the current step to the last one and stops there; Play at the last step starts over.
 * (The conv-arithmetic and channels figures use `Player`, which wraps around instead.)
 */

import { navigate, onCellPick } from './grid-nav';

export function clampStep(step: number, count: number): number {
  if (!Number.isFinite(step)) return 0;
  return Math.max(0, Math.min(count - 1, Math.trunc(step)));
}

export interface StepperParts {
  readonly play: HTMLButtonElement;
  readonly prev: HTMLElement;
  readonly next: HTMLElement;
  readonly scrub: HTMLInputElement;
  /** The group that takes the keys. */
  readonly keys: HTMLElement;
  /** Grids whose cells (`[data-index]`, the step's index) go to that step when clicked. */
  readonly cells?: readonly HTMLElement[];
}

/**
 * The parts every stepper figure marks up the same way: `[data-play]`, `[data-prev]`,
 * `[data-next]`, the range `input[name="step"]`, and the `[data-stepper]` group for keys.
 */
export function stepperParts(root: HTMLElement): StepperParts {
  const find = <T extends HTMLElement>(selector: string): T => {
    const el = root.querySelector<T>(selector);
    if (!el) throw new Error(`stepper: no ${selector} in this figure`);
    return el;
  };
  return {
    play: find<HTMLButtonElement>('[data-play]'),
    prev: find('[data-prev]'),
    next: find('[data-next]'),
    scrub: find<HTMLInputElement>('input[name="step"]'),
    keys: find('[data-stepper]'),
  };
}

export interface StepperHooks {
  count(): number;
  step(): number;
  /** Makes `step` (already clamped) the current step and shows it. */
  show(step: number): void;
  /** Called when playback reaches the last step. */
  finished(): void;
  /** How long each step stays on screen while playing. */
  delayMs(): number;
  /** Cells a row, when the steps walk a grid (↑/↓ then move a row). */
  cols?(): number;
}

export function wireStepper(parts: StepperParts, hooks: StepperHooks): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const atEnd = () => hooks.step() >= hooks.count() - 1;
  const stop = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    parts.play.textContent = 'Play';
    parts.play.setAttribute('aria-pressed', 'false');
  };
  const tick = (): void => {
    if (atEnd()) {
      stop();
      hooks.finished();
      return;
    }
    hooks.show(hooks.step() + 1);
    timer = setTimeout(tick, hooks.delayMs());
  };
  const toggle = (): void => {
    if (timer !== undefined) {
      stop();
      return;
    }
    parts.play.textContent = 'Pause';
    parts.play.setAttribute('aria-pressed', 'true');
    hooks.show(atEnd() ? 0 : hooks.step());
    timer = setTimeout(tick, hooks.delayMs());
  };
  const goTo = (n: number): void => {
    stop();
    hooks.show(clampStep(n, hooks.count()));
  };

  parts.play.addEventListener('click', toggle);
  for (const grid of parts.cells ?? []) onCellPick(grid, goTo);
  parts.prev.addEventListener('click', () => goTo(hooks.step() - 1));
  parts.next.addEventListener('click', () => goTo(hooks.step() + 1));
  parts.scrub.addEventListener('input', () => goTo(Number(parts.scrub.value)));
  parts.keys.addEventListener('keydown', (e) => {
    if (e.target === parts.scrub && e.key !== ' ') return; // the range handles its own arrows
    if ((e.target as HTMLElement).tagName === 'BUTTON' && (e.key === ' ' || e.key === 'Enter'))
      return;
    const r = navigate(e.key, hooks.step(), hooks.count(), hooks.cols?.());
    if (r === null) return;
    e.preventDefault();
    if (r === 'toggle') toggle();
    else goTo(r);
  });
}
