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
