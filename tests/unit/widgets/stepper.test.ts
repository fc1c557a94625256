import { afterEach, describe, expect, it, vi } from 'vitest';
import { stepperParts, wireStepper } from '../../../src/widgets/shared/stepper';

/** Just enough of an element for wireStepper: events, textContent, attributes, tagName. */
class FakeElement extends EventTarget {
  textContent = '';
  value = '';
  readonly attributes: Record<string, string> = {};
  constructor(readonly tagName = 'DIV') {
    super();
  }
  setAttribute(name: string, value: string): void {
    this.attributes[name] = value;
  }
}

function stepper(count: number, start = 0) {
  const parts = {
    play: new FakeElement('BUTTON'),
    prev: new FakeElement('BUTTON'),
    next: new FakeElement('BUTTON'),
    scrub: new FakeElement('INPUT'),
    keys: new FakeElement(),
  };
  const shown: number[] = [];
  const finished = vi.fn();
  let step = start;
  wireStepper(parts as unknown as Parameters<typeof wireStepper>[0], {
    count: () => count,
    step: () => step,
    show: (n) => {
      step = n;
      shown.push(n);
    },
    finished,
    delayMs: () => 100,
  });
  const key = (k: string) => {
    const e = new Event('keydown', { cancelable: true });
    Object.assign(e, { key: k });
    parts.keys.dispatchEvent(e);
    return e;
  };
  return { parts, shown, finished, key, step: () => step };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('wireStepper(parts, hooks)', () => {
  it('◀ / ▶ / the range / the keys move the step, clamped to [0, count)', () => {
    const s = stepper(3);
    s.parts.next.dispatchEvent(new Event('click'));
    s.parts.next.dispatchEvent(new Event('click'));
    s.parts.next.dispatchEvent(new Event('click'));
    expect(s.step()).toBe(2);
    s.parts.prev.dispatchEvent(new Event('click'));
    expect(s.step()).toBe(1);
    s.parts.scrub.value = '0';
    s.parts.scrub.dispatchEvent(new Event('input'));
    expect(s.step()).toBe(0);
    expect(s.key('End').defaultPrevented).toBe(true);
    expect(s.step()).toBe(2);
    s.key('ArrowUp');
    expect(s.step()).toBe(1);
    expect(s.key('a').defaultPrevented).toBe(false);
    expect(s.shown).toEqual([1, 2, 2, 1, 0, 2, 1]);
  });

  it('Play steps to the last step and stops there; Play at the end starts over', () => {
    vi.useFakeTimers();
    const s = stepper(3, 1);
    s.parts.play.dispatchEvent(new Event('click'));
    expect(s.parts.play.textContent).toBe('Pause');
    expect(s.parts.play.attributes['aria-pressed']).toBe('true');
    vi.advanceTimersByTime(100);
    expect(s.step()).toBe(2);
    vi.advanceTimersByTime(100);
    expect(s.finished).toHaveBeenCalledOnce();
    expect(s.parts.play.textContent).toBe('Play');
    expect(s.parts.play.attributes['aria-pressed']).toBe('false');
    s.key(' ');
    expect(s.step()).toBe(0);
    s.key(' ');
    vi.advanceTimersByTime(1000);
    expect(s.step()).toBe(0);
    expect(s.shown).toEqual([1, 2, 0]);
  });
});

describe('stepperParts(root)', () => {
  it('finds the five parts by their shared markup, and names a missing one', () => {
    const found: string[] = [];
    const root = {
      querySelector: (selector: string) => {
        found.push(selector);
        return selector === '[data-next]' ? null : ({ selector } as unknown as HTMLElement);
      },
    } as unknown as HTMLElement;
    expect(() => stepperParts(root)).toThrow('stepper: no [data-next] in this figure');
    const all = { querySelector: (s: string) => ({ s }) } as unknown as HTMLElement;
    const parts = stepperParts(all) as unknown as Record<string, { s: string }>;
    expect(Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, v.s]))).toEqual({
      play: '[data-play]',
      prev: '[data-prev]',
      next: '[data-next]',
      scrub: 'input[name="step"]',
      keys: '[data-stepper]',
    });
    expect(found).toEqual(['[data-play]', '[data-prev]', '[data-next]']);
  });
});
