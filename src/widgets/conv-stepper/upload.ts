/**
 * The reader's own digit: from the drawing pad or an uploaded picture, to a 28×28 MNIST-like
 * image via src/data/preprocess.ts. An upload is never decoded at full size on the page: its size
 * is read first (an <img> reads the header; nothing is drawn), absurd sizes are refused with
 * preprocess.ts's message, and a worker decodes it straight to a small bitmap (upload.worker.ts).
 */
import { downscaledSize, preprocessDigit } from '../../data/preprocess.ts';
import { checkUploadType } from './state';
import type { UploadJob, UploadReply } from './upload.worker';

/** Side of the small bitmap an upload is decoded to before preprocessing. */
const DECODE_SIDE = 112;

function imageSize(file: Blob): Promise<{ width: number; height: number }> {
  const url = URL.createObjectURL(file);
  return new Promise<{ width: number; height: number }>((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () =>
      reject(
        new Error('the file could not be read as an image (is it damaged, or another format?)'),
      );
    img.src = url;
  }).finally(() => URL.revokeObjectURL(url));
}

/** 28×28 digit from RGBA pixels (a canvas), or an error message. */
export function digitFromPixels(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
): Float32Array | string {
  const p = preprocessDigit(rgba, width, height);
  return p.empty ? 'There is no ink to use yet: draw a digit first.' : p.image;
}

/**
 * Decodes, downscales and preprocesses an uploaded picture; throws with a reader-facing message.
 * The size check runs here (reading the header costs milliseconds); the decode runs in a worker.
 */
export async function digitFromFile(file: File): Promise<Float32Array> {
  const bad = checkUploadType(file.type, file.name);
  if (bad) throw new Error(bad);
  const { width, height } = await imageSize(file);
  const size = downscaledSize(width, height, DECODE_SIDE); // RangeError for absurd sizes
  const worker = new Worker(new URL('./upload.worker.ts', import.meta.url), {
    type: 'module',
    name: 'convbook-upload',
  });
  try {
    const reply = await new Promise<UploadReply>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<UploadReply>) => resolve(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`the picture decoder stopped: ${e.message || 'it could not be loaded'}`));
      };
      worker.postMessage({ file, ...size, maxSide: DECODE_SIDE } satisfies UploadJob);
    });
    if (!reply.ok) throw new Error(reply.message);
    return reply.image;
  } finally {
    worker.terminate();
  }
}
