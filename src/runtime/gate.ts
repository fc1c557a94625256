/**
 * When the widgets' automatic check on onnxruntime-web may start. The reference result is on
 * screen at once; ORT (a build of several MB: BUILD_DOWNLOAD in backends.ts) is asked only once the page is idle, so it
 * never competes with the lesson's first paint. With Save-Data on, or a 2G-class connection, it
 * waits for the reader to ask: one "Check on onnxruntime-web" allows it for the rest of the visit
 * (sessionStorage), on every page. A reader's own action (Run, Train, Measure) never waits here.
 */

const ASKED_KEY = 'convbook:ort-asked';

interface NetworkInformationLike {
  readonly saveData?: boolean;
  readonly effectiveType?: string;
}

/** Why the automatic check waits for the reader, or null when it need not. */
export function ortHold(): string | null {
  if (asked()) return null;
  const connection = (globalThis.navigator as { connection?: NetworkInformationLike } | undefined)
    ?.connection;
  if (connection?.saveData) return 'Save-Data is on';
  if (connection?.effectiveType === 'slow-2g' || connection?.effectiveType === '2g')
    return 'the connection is slow';
  return null;
}

function asked(): boolean {
  try {
    return globalThis.sessionStorage?.getItem(ASKED_KEY) === '1';
  } catch {
    return false; // storage blocked: ask again on every page
  }
}

let release: (() => void) | undefined;
let allowed: Promise<void> | undefined;

/** The reader asked for the check: every waiting widget goes on, and later ones do not wait. */
export function allowOrt(): void {
  try {
    globalThis.sessionStorage?.setItem(ASKED_KEY, '1');
  } catch {
    // storage blocked: allowed for this page only
  }
  release?.();
}

function idle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function')
      requestIdleCallback(() => resolve(), { timeout: 1500 });
    else setTimeout(resolve, 0);
  });
}

/** Resolves when the automatic check may load ORT: at idle, or once the reader asks. */
export function whenOrtMayStart(): Promise<void> {
  allowed ??=
    ortHold() === null ? idle() : new Promise<void>((resolve) => (release = resolve)).then(idle);
  return allowed;
}
