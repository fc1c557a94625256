/** Runs `start` once, the first time `el` comes near the viewport (Distill's d-figure idea). */
export function whenVisible(el: Element, start: () => void, rootMargin = '200px'): void {
  if (typeof IntersectionObserver === 'undefined') {
    start();
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        observer.disconnect();
        start();
      }
    },
    { rootMargin },
  );
  observer.observe(el);
}

export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export interface MountFailure {
  /** The element inside the widget that shows a failure to start (default `[data-badge]`). */
  readonly where?: string;
  /** Words before the error's message (default `This figure failed to start: `: it never ran). */
  readonly prefix?: string;
}

/**
 * Starts every `[data-widget="name"]` on the page when it first comes near the viewport. If
 * `mount` throws (or its promise rejects), the widget gets `data-state="error"` and the element
 * `where` says why.
 */
export function mountWidgets(
  name: string,
  mount: (root: HTMLElement) => void | Promise<void>,
  { where = '[data-badge]', prefix = 'This figure failed to start: ' }: MountFailure = {},
): void {
  for (const root of document.querySelectorAll<HTMLElement>(`[data-widget="${name}"]`)) {
    const fail = (error: unknown) => {
      root.dataset.state = 'error';
      const out = root.querySelector<HTMLElement>(where);
      if (out)
        out.textContent = `${prefix}${error instanceof Error ? error.message : String(error)}`;
    };
    whenVisible(root, () => {
      try {
        void Promise.resolve(mount(root)).catch(fail);
      } catch (error) {
        fail(error);
      }
    });
  }
}
