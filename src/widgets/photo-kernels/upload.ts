/**
 * The reader's own picture: checked (type, file size), its pixel size read from the header (an
 * <img> reads it; nothing is drawn), refused if absurd, then decoded in a worker straight to at
 * most MAX_SIDE px on its long side. Throws with a reader-facing message.
 */
import { downscaledSize } from '../../data/preprocess.ts';
import type { Photo } from '../shared/photos';
import { checkUpload, MAX_SIDE } from './state';
import type { PhotoJob, PhotoReply } from './upload.worker';

function imageSize(file: Blob): Promise<{ width: number; height: number }> {
  const url = URL.createObjectURL(file);
  return new Promise<{ width: number; height: number }>((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () =>
      reject(new Error('it could not be read as an image (is it damaged, or in another format?)'));
    img.src = url;
  }).finally(() => URL.revokeObjectURL(url));
}

export async function photoFromFile(
  file: File,
  key: string,
): Promise<{ photo: Photo; note: string }> {
  const bad = checkUpload(file.type, file.name, file.size);
  if (bad) throw new Error(bad);
  const full = await imageSize(file);
  const size = downscaledSize(full.width, full.height, MAX_SIDE); // RangeError for absurd sizes
  const worker = new Worker(new URL('./upload.worker.ts', import.meta.url), {
    type: 'module',
    name: 'convbook-photo-upload',
  });
  try {
    const reply = await new Promise<PhotoReply>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<PhotoReply>) => resolve(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`the picture decoder stopped: ${e.message || 'it could not be loaded'}`));
      };
      worker.postMessage({ file, ...size } satisfies PhotoJob);
    });
    if (!reply.ok) throw new Error(reply.message);
    const shrunk = reply.width !== full.width || reply.height !== full.height;
    return {
      photo: { key, width: reply.width, height: reply.height, rgb: reply.rgb },
      note: `Your picture, ${reply.width} × ${reply.height} pixels${shrunk ? ` (downscaled from ${full.width} × ${full.height})` : ''}. It stays on this page: nothing is sent anywhere.`,
    };
  } finally {
    worker.terminate();
  }
}
