/**
 * Decodes an uploaded picture straight to a small bitmap and preprocesses it into a 28×28 digit,
 * off the page's thread: Chromium resizes a 50-megapixel photo in createImageBitmap for about a
 * second, part of it on the calling thread, which on the page would freeze scrolling and typing.
 */
import { downscaleImage, preprocessDigit } from '../../data/preprocess.ts';

export interface UploadJob {
  readonly file: Blob;
  readonly width: number; // the small size to decode to
  readonly height: number;
  readonly maxSide: number;
}
export type UploadReply = { ok: true; image: Float32Array } | { ok: false; message: string };

self.onmessage = async (event: MessageEvent<UploadJob>) => {
  const { file, width, height, maxSide } = event.data;
  let reply: UploadReply;
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
    const gray = downscaleImage(ctx.getImageData(0, 0, width, height).data, width, height, maxSide);
    const p = preprocessDigit(gray.data, gray.width, gray.height);
    reply = p.empty
      ? { ok: false, message: 'no digit was found in the picture (it looks blank)' }
      : { ok: true, image: p.image };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  (self as unknown as Worker).postMessage(reply);
};
