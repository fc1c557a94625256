/**
 * Registers ConvBook's service worker (dist/sw.js, written by scripts/build-sw.mjs with Workbox)
 * and offers a waiting new version in the page's update notice (UpdateNotice.astro). The new
 * worker takes over only when the reader clicks Reload: a page mid-lesson (or mid-training) is
 * never swapped under them. Loaded by a bundled module script from 'self', as the CSP wants.
 */

export const SW_URL = '/sw.js';
export const UPDATE_MESSAGE = 'A new version of ConvBook is available.';

/** Fills the page's live region with the message and a Reload button that activates `waiting`. */
function offerUpdate(waiting: ServiceWorker): void {
  const region = document.querySelector<HTMLElement>('[data-update-notice]');
  if (!region || region.dataset.offered === 'true') return;
  region.dataset.offered = 'true';
  const text = document.createElement('span');
  text.textContent = `${UPDATE_MESSAGE} `;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button';
  button.textContent = 'Reload';
  button.addEventListener('click', () => {
    button.disabled = true;
    button.textContent = 'Reloading…';
    reloadOnTakeover = true;
    // Workbox's generated worker answers this with skipWaiting(); controllerchange follows.
    waiting.postMessage({ type: 'SKIP_WAITING' });
  });
  region.replaceChildren(text, button);
}

let reloadOnTakeover = false;

/** Registers /sw.js; resolves to null where service workers are unavailable or refused. */
export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  const container = navigator.serviceWorker;
  // The first install also changes the controller (clientsClaim): reload only after a click.
  container.addEventListener('controllerchange', () => {
    if (reloadOnTakeover) window.location.reload();
  });
  let registration: ServiceWorkerRegistration;
  try {
    registration = await container.register(SW_URL, { scope: '/' });
  } catch (error) {
    // Private mode, a file:// copy, storage refused: the course still works online.
    console.warn(`ConvBook works online only here: ${String(error)}`);
    return null;
  }
  // A controller means an older version serves this page; without one this is the first install.
  const offerIfNewer = (worker: ServiceWorker | null) => {
    if (worker && container.controller) offerUpdate(worker);
  };
  offerIfNewer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed') offerIfNewer(installing);
    });
  });
  return registration;
}

/** In `npm run dev`: drop a worker a preview on the same origin left, so dev serves live files. */
export async function unregisterServiceWorkers(): Promise<void> {
  const registrations = await navigator.serviceWorker.getRegistrations();
  await Promise.all(registrations.map((r) => r.unregister()));
}
