/**
 * The checks every upload of the reader's own picture passes before it is read (the stepper's
 * digit, the photo kernels' photo): an image type, not empty, not over MAX_FILE_BYTES. Pure; the
 * picture's pixel size is checked next, from its header (decode.ts).
 */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

/** What is wrong with the file, in words, or null when it may be read. */
export function checkUpload(type: string, name: string, bytes: number): string | null {
  if (!type.startsWith('image/'))
    return `“${name}” is not an image (type ${type || 'unknown'}); choose a PNG, JPEG, GIF, WebP or BMP file.`;
  if (bytes > MAX_FILE_BYTES)
    return `“${name}” is ${(bytes / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1024 / 1024} MB. Choose a smaller picture.`;
  if (bytes === 0) return `“${name}” is empty (0 bytes).`;
  return null;
}
