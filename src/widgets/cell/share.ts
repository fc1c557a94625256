/**
 * Share links and kept edits. A shared cell's code travels in the URL's fragment (never sent to
 * a server): `#code.<cell>=<deflate-raw, base64url>`, compressed with CompressionStream. Edits
 * are kept in localStorage per lesson and cell; the original stays in the page (never replaced).
 */

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new RangeError('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, through: CompressionStream | DecompressionStream) {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(through);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function encodeCode(code: string): Promise<string> {
  return toBase64Url(
    await pipe(new TextEncoder().encode(code), new CompressionStream('deflate-raw')),
  );
}

/** The code, or null when the text is not a link this codec wrote (cut short, tampered). */
export async function decodeCode(text: string): Promise<string | null> {
  try {
    const bytes = await pipe(fromBase64Url(text), new DecompressionStream('deflate-raw'));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

const param = (cell: string) => `code.${cell}`;

/** `href` with this cell's code in its fragment (other cells' shared code kept). */
export function shareUrl(href: string, cell: string, encoded: string): string {
  const url = new URL(href);
  const params = new URLSearchParams(url.hash.slice(1));
  params.set(param(cell), encoded);
  url.hash = params.toString();
  return url.href;
}

/** The encoded code for `cell` in a fragment (`#…`), if the link carries one. */
export function sharedParam(hash: string, cell: string): string | undefined {
  if (!hash.includes('code.')) return undefined;
  return new URLSearchParams(hash.replace(/^#/, '')).get(param(cell)) ?? undefined;
}

/** The fragment without this cell's code (after Reset, the link no longer carries it). */
export function withoutShared(hash: string, cell: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.delete(param(cell));
  const rest = params.toString();
  return rest ? `#${rest}` : '';
}

export const storageKey = (lesson: string, cell: string) => `convbook:cell:${lesson}:${cell}`;

/** Keeps `code` unless it is the original (then forgets it): the edited mark reads the same. */
export function keepEdit(storage: Storage, key: string, code: string, original: string): void {
  try {
    if (code === original) storage.removeItem(key);
    else storage.setItem(key, code);
  } catch {
    // Storage full or blocked (private mode): the edit stays on screen, just not kept.
  }
}

export function keptEdit(storage: Storage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}
