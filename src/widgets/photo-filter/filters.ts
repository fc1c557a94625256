/**
 * The 3-channel filters lesson 4's photo figure starts from: one 3 × 3 kernel per colour channel
 * (red, green, blue), 27 weights in [channel][row][column] order. Sobel is lesson 2's
 * (right column minus left), the one Sobel of the course.
 */
export interface PhotoFilter {
  readonly id: string;
  readonly label: string;
  /** 27 weights: red's 9, then green's, then blue's. */
  readonly weights: readonly number[];
  readonly says: string;
}

const SOBEL_X = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
const ZERO = new Array<number>(9).fill(0);
const fill = (v: number) => new Array<number>(9).fill(v);

export const PHOTO_FILTERS: readonly PhotoFilter[] = [
  {
    id: 'red-not-green',
    label: 'Red but not green',
    weights: [...fill(1 / 9), ...fill(-1 / 9), ...ZERO],
    says: 'The mean red of the window minus its mean green: positive on red and orange, negative on green, near 0 on gray, white and black, where the two are equal.',
  },
  {
    id: 'sobel-all',
    label: 'Sobel x on every channel',
    weights: [...SOBEL_X, ...SOBEL_X, ...SOBEL_X],
    says: 'The same vertical-edge kernel on all three channels: the sum finds edges of brightness, whatever their colour.',
  },
  {
    id: 'sobel-blue',
    label: 'Sobel x on blue only',
    weights: [...ZERO, ...ZERO, ...SOBEL_X],
    says: 'Red and green are ignored (all zero): only edges in the blue channel count.',
  },
  {
    id: 'mean',
    label: 'Mean of all 27',
    weights: fill(1 / 27).concat(fill(1 / 27), fill(1 / 27)),
    says: 'Every weight 1/27: the window’s mean over all three channels, a blurred gray photo.',
  },
];

export const FILTER_IDS = PHOTO_FILTERS.map((f) => f.id);
export const filterById = (id: string): PhotoFilter | undefined =>
  PHOTO_FILTERS.find((f) => f.id === id);
