/**
 * Lesson 12's detection head, on the data side: the target rows it trains on (from a scene's
 * label map and boxes, encoded with boxes.ts) and the decoding of its output into boxes (cells
 * whose centre score clears a threshold → boxes → non-maximum suppression). The loss that reads
 * the targets is src/cnn/ops/detectionLoss.ts; the channel and column layout is documented there.
 */
import { decodeBox, encodeBox, nms, type Box, type Detection } from './boxes.ts';

export interface HeadGeometry {
  /** K: classes of the segmentation and of the centre map; K − 1 is background / none. */
  readonly classes: number;
  /** The grid is grid × grid cells over a size × size canvas. */
  readonly grid: number;
  readonly size: number;
}

/**
 * Target rows [n·grid², 2K + 5] for n scenes: `cells` are the segmentation's cell classes
 * (n·grid², row-major, as downsampleLabels gives) and `digits[m]` the boxes and labels of scene m.
 * A digit is the centre class of the cell holding its box's centre, with its box code and mask 1
 * there; when two centres fall in one cell, the larger box keeps it (a cell says one digit).
 */
export function detectionTargets(
  cells: Uint8Array,
  digits: readonly (readonly { readonly box: Box; readonly label: number }[])[],
  g: HeadGeometry,
): Float32Array {
  const { classes: K, grid, size } = g;
  const plane = grid * grid;
  const n = digits.length;
  if (cells.length !== n * plane)
    throw new RangeError(
      `detectionTargets: ${cells.length} cell labels for ${n} scenes of ${grid}×${grid} cells`,
    );
  const T = 2 * K + 5;
  const out = new Float32Array(n * plane * T);
  for (let m = 0; m < n; m++) {
    const owner = new Array<number>(plane).fill(-1); // index of the digit whose centre is here
    const list = digits[m]!;
    list.forEach((d, i) => {
      const code = encodeBox(d.box, d.label, size, grid);
      const p = code.row * grid + code.col;
      const area = (b: Box) => (b.x1 - b.x0) * (b.y1 - b.y0);
      if (owner[p]! < 0 || area(d.box) > area(list[owner[p]!]!.box)) owner[p] = i;
    });
    for (let p = 0; p < plane; p++) {
      const row = (m * plane + p) * T;
      const seg = cells[m * plane + p]!;
      if (seg >= K) throw new RangeError(`detectionTargets: cell class ${seg} is not below ${K}`);
      out[row + seg] = 1;
      const i = owner[p]!;
      if (i < 0) {
        out[row + K + K - 1] = 1;
        continue;
      }
      const d = list[i]!;
      const code = encodeBox(d.box, d.label, size, grid);
      out[row + K + d.label] = 1;
      out.set([code.dx, code.dy, code.w, code.h, 1], row + 2 * K);
    }
  }
  return out;
}

/**
 * The boxes the head finds in one image: `outputs` is its output map [2K + 4, grid, grid]
 * (channel-major: segmentation and centre probabilities, box numbers — detectionOutputs). Every
 * cell whose best digit's centre probability is at least `threshold` gives that digit, scored by
 * that probability, with the box its code decodes to (clipped to the canvas); then greedy
 * non-maximum suppression at IoU `nmsIou` across classes (the scenes' digits overlap little, so a
 * second box on one digit is a duplicate, whatever its class).
 */
export function decodeDetections(
  outputs: Float32Array,
  g: HeadGeometry,
  threshold: number,
  nmsIou = 0.5,
): Detection[] {
  const { classes: K, grid, size } = g;
  const plane = grid * grid;
  if (outputs.length !== (2 * K + 4) * plane)
    throw new RangeError(
      `decodeDetections: expected ${2 * K + 4}×${grid}×${grid} outputs, got ${outputs.length}`,
    );
  const at = (channel: number, p: number) => outputs[channel * plane + p]!;
  const clip = (v: number) => Math.min(size, Math.max(0, v));
  const found: Detection[] = [];
  for (let p = 0; p < plane; p++) {
    let label = 0;
    for (let k = 1; k < K - 1; k++) if (at(K + k, p) > at(K + label, p)) label = k;
    const score = at(K + label, p);
    if (score < threshold) continue;
    const code = {
      row: Math.floor(p / grid),
      col: p % grid,
      dx: at(2 * K, p),
      dy: at(2 * K + 1, p),
      w: Math.max(0, at(2 * K + 2, p)),
      h: Math.max(0, at(2 * K + 3, p)),
      label,
    };
    const b = decodeBox(code, size, grid);
    const box = { x0: clip(b.x0), y0: clip(b.y0), x1: clip(b.x1), y1: clip(b.y1) };
    if (box.x1 > box.x0 && box.y1 > box.y0) found.push({ box, label, score });
  }
  return nms(found, nmsIou, false);
}
