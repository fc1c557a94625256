/**
 * The photo-kernels presets: the classic 3×3 image kernels. Sobel x/y and Sharpen are the very
 * kernels lesson 2's stepper offers (src/widgets/conv-stepper/kernels.ts; a unit test holds them
 * equal). Pure; no DOM.
 */

export interface PhotoKernel {
  readonly id: string;
  readonly label: string;
  /** Row by row, as slid over the image (cross-correlation, like ONNX Conv). */
  readonly values: readonly number[];
  /** `signed`: weights add up to 0, so flat regions give 0 and the map is drawn diverging. */
  readonly scale: 'gray' | 'signed';
  /** What it does, in one sentence for the reader. */
  readonly says: string;
}

export const PHOTO_KERNELS: readonly PhotoKernel[] = [
  {
    id: 'blur',
    label: 'Blur (Gaussian)',
    values: [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
    scale: 'gray',
    says: 'A weighted average of the window: every pixel becomes a little like its neighbours.',
  },
  {
    id: 'sharpen',
    label: 'Sharpen',
    values: [0, -1, 0, -1, 5, -1, 0, -1, 0],
    scale: 'gray',
    says: 'The pixel plus (pixel − its four neighbours): every difference is exaggerated.',
  },
  {
    id: 'edges',
    label: 'Edges (outline)',
    values: [-1, -1, -1, -1, 8, -1, -1, -1, -1],
    scale: 'signed',
    says: 'Eight times the pixel minus its eight neighbours: 0 where the photo is flat, large at any edge.',
  },
  {
    id: 'emboss',
    label: 'Emboss',
    values: [-2, -1, 0, -1, 1, 1, 0, 1, 2],
    scale: 'gray',
    says: 'Bottom-right minus top-left, plus the pixel: edges look lit from one side.',
  },
  {
    id: 'sobel-x',
    label: 'Sobel x (vertical edges)',
    values: [-1, 0, 1, -2, 0, 2, -1, 0, 1],
    scale: 'signed',
    says: 'Right column minus left column: positive where the photo gets brighter to the right.',
  },
  {
    id: 'sobel-y',
    label: 'Sobel y (horizontal edges)',
    values: [-1, -2, -1, 0, 0, 0, 1, 2, 1],
    scale: 'signed',
    says: 'Bottom row minus top row: positive where the photo gets brighter downwards.',
  },
];
export const KERNEL_IDS = PHOTO_KERNELS.map((k) => k.id);
export const kernelById = (id: string): PhotoKernel =>
  PHOTO_KERNELS.find((k) => k.id === id) ?? PHOTO_KERNELS[0];

/** Luma weights (ITU-R BT.601): how much red, green and blue make one gray value. */
export const TO_GRAY: readonly number[] = [0.299, 0.587, 0.114];
