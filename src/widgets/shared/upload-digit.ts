/**
 * The reader's own digit (the conv stepper's; lesson 15's examples): from a drawing pad or an
 * uploaded picture, to a 28×28 MNIST-like image via src/data/preprocess.ts. An upload is decoded in a worker straight to a small bitmap
 * (shared/decode.ts); preprocessing that bitmap takes a few milliseconds.
 */
import { downscaleImage, preprocessDigit } from '../../data/preprocess.ts';
import { decodeSmall } from './decode';
import { checkUpload } from './upload-check';

/** Side of the small bitmap an upload is decoded to before preprocessing. */
const DECODE_SIDE = 112;

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
  const bad = checkUpload(file.type, file.name, file.size);
  if (bad) throw new Error(bad);
  const { rgba, width, height } = await decodeSmall(file, DECODE_SIDE);
  const gray = downscaleImage(rgba, width, height, DECODE_SIDE);
  const p = preprocessDigit(gray.data, gray.width, gray.height);
  if (p.empty) throw new Error('no digit was found in the picture (it looks blank)');
  return p.image;
}
