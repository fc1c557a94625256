/**
 * Ten digit colours for the segmentation overlay and its legend (Okabe–Ito's eight and two of
 * Tol's, chosen to stay apart with the common colour-vision deficiencies); background has none.
 */
export const CLASS_COLOURS: readonly string[] = [
  '#e69f00',
  '#56b4e9',
  '#009e73',
  '#f0e442',
  '#0072b2',
  '#d55e00',
  '#cc79a7',
  '#882255',
  '#44aa99',
  '#999933',
];
