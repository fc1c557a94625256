/**
 * The reader's own picture, never decoded at full size on the page: its pixel size is read first
 * (an <img> reads the header; nothing is drawn), absurd sizes are refused with preprocess.ts's
 * message, and a worker decodes it straight to at most `maxSide` px on its long side
 * (decode.worker.ts). Throws with a reader-facing message.
 */
import { downscaledSize } from '../../data/preprocess.ts';
import type { DecodeJob, DecodeReply } from './decode.worker';

export const NOT_AN_IMAGE =
  'it could not be read as an image (is it damaged, or in another format?)';

export function imageSize(file: Blob): Promise<{ width: number; height: number }> {
  const url = URL.createObjectURL(file);
  return new Promise<{ width: number; height: number }>((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => reject(new Error(NOT_AN_IMAGE));
    img.src = url;
  }).finally(() => URL.revokeObjectURL(url));
}

export interface Decoded {
  readonly rgba: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  /** The picture's own size, before downscaling. */
  readonly full: { readonly width: number; readonly height: number };
}

export async function decodeSmall(file: Blob, maxSide: number): Promise<Decoded> {
  const full = await imageSize(file);
  const size = downscaledSize(full.width, full.height, maxSide); // RangeError for absurd sizes
  const worker = new Worker(new URL('./decode.worker.ts', import.meta.url), {
    type: 'module',
    name: 'convbook-decode',
  });
  try {
    const reply = await new Promise<DecodeReply>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<DecodeReply>) => resolve(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`the picture decoder stopped: ${e.message || 'it could not be loaded'}`));
      };
      worker.postMessage({ file, ...size } satisfies DecodeJob);
    });
    if (!reply.ok) throw new Error(reply.message);
    return { rgba: reply.rgba, ...size, full };
  } finally {
    worker.terminate();
  }
}
