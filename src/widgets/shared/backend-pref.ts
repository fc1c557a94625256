/**
 * The reader's engine preference: `?backend=` in the URL wins (shareable, used by tests), then the
 * choice saved on the "How ConvBook computes" page, else automatic.
 */
import type { BackendName } from '../../runtime/crosscheck';

export const BACKEND_KEY = 'convbook:backend';
const NAMES: readonly BackendName[] = ['webgpu', 'wasm', 'reference'];

export function parseBackend(raw: string | null | undefined): BackendName | undefined {
  return NAMES.find((n) => n === raw);
}

export function preferredBackend(search: string, stored: string | null): BackendName | undefined {
  return parseBackend(new URLSearchParams(search).get('backend')) ?? parseBackend(stored);
}

export function readPreferredBackend(): BackendName | undefined {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(BACKEND_KEY);
  } catch {
    // storage disabled
  }
  return preferredBackend(location.search, stored);
}
