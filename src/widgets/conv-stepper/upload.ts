/**
 * The reader's own digit: from the drawing pad or an uploaded picture, to a 28×28 MNIST-like
 * image via src/data/preprocess.ts. An upload is never decoded at full size on the page: its size
 * is read first (an <img> reads the header; nothing is drawn), absurd sizes are refused with
 * preprocess.ts's message, and createImageBitmap decodes it straight to a small bitmap.
 */
import { downscaleImage, downscaledSize, preprocessDigit } from '../../data/preprocess.ts';
import { checkUploadType } from './state';

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

/** Decodes, downscales and preprocesses an uploaded picture; throws with a reader-facing message. */
export async function digitFromFile(file: File): Promise<Float32Array> {
  const bad = checkUploadType(file.type, file.name);
  if (bad) throw new Error(bad);
  const { width, height } = await imageSize(file);
  const size = downscaledSize(width, height, DECODE_SIDE); // RangeError for absurd sizes
  const bitmap = await createImageBitmap(file, {
    resizeWidth: size.width,
    resizeHeight: size.height,
    resizeQuality: 'high',
  });
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser could not give a 2D canvas to read the picture');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, size.width, size.height).data;
  const gray = downscaleImage(rgba, size.width, size.height, DECODE_SIDE);
  const p = preprocessDigit(gray.data, gray.width, gray.height);
  if (p.empty) throw new Error('no digit was found in the picture (it looks blank)');
  return p.image;
}
