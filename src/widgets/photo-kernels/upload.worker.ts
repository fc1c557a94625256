/**
 * Decodes the reader's picture straight to a small RGB bitmap, off the page's thread (a large
 * photo takes Chromium up to a second to decode and resize). Nothing leaves the page.
 */
import { rgbFromRgba } from '../shared/photos';

export interface PhotoJob {
  readonly file: Blob;
  readonly width: number; // the small size to decode to
  readonly height: number;
}
export type PhotoReply =
  | { ok: true; rgb: Uint8ClampedArray; width: number; height: number }
  | { ok: false; message: string };

self.onmessage = async (event: MessageEvent<PhotoJob>) => {
  const { file, width, height } = event.data;
  let reply: PhotoReply;
  try {
    const bitmap = await createImageBitmap(file, {
      resizeWidth: width,
      resizeHeight: height,
      resizeQuality: 'high',
    });
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas is available to read the picture');
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    const rgb = rgbFromRgba(ctx.getImageData(0, 0, width, height).data, width, height);
    reply = { ok: true, rgb, width, height };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  (self as unknown as Worker).postMessage(reply, reply.ok ? [reply.rgb.buffer] : []);
};
