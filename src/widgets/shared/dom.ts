/** Small DOM helpers every widget uses: lookups, embedded JSON, a throttled announcer, Plot. */

/** An aria-live announcer that speaks at most once per `ms`, always ending on the latest text. */
export function throttledAnnouncer(region: HTMLElement, ms = 700): (text: string) => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = '';
  return (text: string) => {
    pending = text;
    const now = Date.now();
    if (timer !== undefined) return;
    const wait = Math.max(0, last + ms - now);
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      region.textContent = pending;
    }, wait);
  };
}

/** Reads the JSON a widget's Astro wrapper embedded in `<script type="application/json">`. */
export function embedded<T>(root: HTMLElement, name: string): T {
  const el = root.querySelector<HTMLScriptElement>(`script[data-json="${name}"]`);
  if (!el?.textContent) throw new Error(`widget data "${name}" is missing from the page`);
  return JSON.parse(el.textContent) as T;
}

export function q<T extends HTMLElement = HTMLElement>(root: HTMLElement, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`widget markup has no ${selector}`);
  return el;
}

/** Plot is imported when a widget first needs a chart, not with the page. */
export type PlotModule = typeof import('@observablehq/plot');
let plot: Promise<PlotModule> | undefined;
export function loadPlot(): Promise<PlotModule> {
  plot ??= import('@observablehq/plot');
  return plot;
}

/**
 * Resolves in a new task, so that work split across it never makes one long task: the page can
 * paint and answer input in between. `scheduler.yield()` where the browser has it (it keeps the
 * continuation ahead of other tasks), else a zero timeout.
 */
export function nextTask(): Promise<void> {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return s?.yield ? s.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}

/** Replaces a chart container's content with a Plot figure carrying an aria-label. */
export function mountPlot(
  container: HTMLElement,
  chart: SVGSVGElement | HTMLElement,
  label: string,
): void {
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', label);
  // Plot labels its inner <g> marks; without a role that is a prohibited ARIA attribute, and the
  // chart's own label already describes the figure.
  for (const el of chart.querySelectorAll('[aria-label]')) el.removeAttribute('aria-label');
  container.replaceChildren(chart);
}
