import { IMAGE_PIXELS, MNIST_HEADER_BYTES } from '../../../src/data/mnist.ts';

/** A valid mnist.bin in memory with the given labels (train first), pixel p of image k = k + p. */
export function makeBin(trainLabels: number[], testLabels: number[]): Uint8Array {
  const labels = [...trainLabels, ...testLabels];
  const n = labels.length;
  const bytes = new Uint8Array(MNIST_HEADER_BYTES + n * (IMAGE_PIXELS + 1));
  const view = new DataView(bytes.buffer);
  bytes.set([67, 66, 77, 78]); // "CBMN"
  view.setUint16(4, 1, true);
  view.setUint16(6, 80, true);
  view.setUint16(8, 28, true);
  view.setUint16(10, 28, true);
  view.setUint16(12, 10, true);
  view.setUint32(16, trainLabels.length, true);
  view.setUint32(20, testLabels.length, true);
  view.setUint32(24, 7, true);
  for (const l of trainLabels)
    view.setUint16(28 + 2 * l, view.getUint16(28 + 2 * l, true) + 1, true);
  for (const l of testLabels)
    view.setUint16(48 + 2 * l, view.getUint16(48 + 2 * l, true) + 1, true);
  for (let k = 0; k < n; k++) {
    for (let p = 0; p < IMAGE_PIXELS; p++) bytes[80 + k * IMAGE_PIXELS + p] = (k + p) & 255;
  }
  bytes.set(labels, 80 + n * IMAGE_PIXELS);
  return bytes;
}
