/**
 * Decodes the reader's picture straight to a small RGBA bitmap, off the page's thread: Chromium
 * resizes a 50-megapixel photo in createImageBitmap for about a second, part of it on the calling
 * thread, which on the page would freeze scrolling and typing. Nothing leaves the page.
 */
export interface DecodeJob {
  readonly file: Blob;
  readonly width: number; // the small size to decode to
  readonly height: number;
}
export type DecodeReply = { ok: true; rgba: Uint8ClampedArray } | { ok: false; message: string };

self.onmessage = async (event: MessageEvent<DecodeJob>) => {
  const { file, width, height } = event.data;
  let reply: DecodeReply;
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
    reply = { ok: true, rgba: ctx.getImageData(0, 0, width, height).data };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  (self as unknown as Worker).postMessage(reply, reply.ok ? [reply.rgba.buffer] : []);
};
