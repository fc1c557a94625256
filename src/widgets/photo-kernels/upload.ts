/**
 * The reader's own picture: checked (type, file size), then decoded in a worker straight to at
 * most MAX_SIDE px on its long side (shared/decode.ts). Throws with a reader-facing message.
 */
import { decodeSmall } from '../shared/decode';
import { rgbFromRgba } from '../shared/photos';
import type { Photo } from '../shared/photos';
import { checkUpload } from '../shared/upload-check';
import { MAX_SIDE } from './state';

export async function photoFromFile(
  file: File,
  key: string,
): Promise<{ photo: Photo; note: string }> {
  const bad = checkUpload(file.type, file.name, file.size);
  if (bad) throw new Error(bad);
  const { rgba, width, height, full } = await decodeSmall(file, MAX_SIDE);
  const shrunk = width !== full.width || height !== full.height;
  return {
    photo: { key, width, height, rgb: rgbFromRgba(rgba, width, height) },
    note: `Your picture, ${width} × ${height} pixels${shrunk ? ` (downscaled from ${full.width} × ${full.height})` : ''}. It stays on this page: nothing is sent anywhere.`,
  };
}
