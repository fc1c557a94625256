/**
 * Lesson 12's detection head, on the data side: the target rows it trains on (from a scene's
 * label map and boxes, encoded with boxes.ts) and the decoding of its output into boxes (cells
 * whose centre score clears a threshold → boxes → non-maximum suppression). The loss that reads
 * the targets is src/cnn/ops/detectionLoss.ts; the channel and column layout is documented there.
 */
import { decodeBox, encodeBox, nms } from './boxes.ts';
import type { Box, Detection } from './boxes.ts';

export interface HeadGeometry {
  /** K: classes of the segmentation and of the centre map; K − 1 is background / none. */
  readonly classes: number;
  /** The grid is grid × grid cells over a size × size canvas. */
  readonly grid: number;
  readonly size: number;
  /**
   * Cells within this many of a digit's centre cell (rows and columns) also say "this digit is
   * centred here", with the box measured from them (default 0: the centre cell only).
   */
  readonly radius?: number;
}

/**
 * Target rows [n·grid², 2K + 5] for n scenes: `cells` are the segmentation's cell classes
 * (n·grid², row-major, as downsampleLabels gives) and `digits[m]` the boxes and labels of scene m.
 * A digit is the centre class of the cell holding its box's centre (and of the cells within
 * `radius` of it), with its box code — the centre's offset measured from that cell, so outside
 * [0, 1) for a neighbour — and mask 1 there. Where several digits claim a cell, the nearest centre
 * keeps it, then the larger box (a cell says one digit).
 */
export function detectionTargets(
  cells: Uint8Array,
  digits: readonly (readonly { readonly box: Box; readonly label: number }[])[],
  g: HeadGeometry,
): Float32Array {
  const { classes: K, grid, size } = g;
  const radius = g.radius ?? 0;
  const plane = grid * grid;
  const n = digits.length;
  if (cells.length !== n * plane)
    throw new RangeError(
      `detectionTargets: ${cells.length} cell labels for ${n} scenes of ${grid}×${grid} cells`,
    );
  const T = 2 * K + 5;
  const out = new Float32Array(n * plane * T);
  const area = (b: Box) => (b.x1 - b.x0) * (b.y1 - b.y0);
  for (let m = 0; m < n; m++) {
    // Per cell, the digit that claims it: [distance to its centre cell, −area, index].
    const claim = new Array<[number, number, number] | undefined>(plane);
    const codes = digits[m]!.map((d) => encodeBox(d.box, d.label, size, grid));
    codes.forEach((code, i) => {
      for (let r = code.row - radius; r <= code.row + radius; r++)
        for (let c = code.col - radius; c <= code.col + radius; c++) {
          if (r < 0 || c < 0 || r >= grid || c >= grid) continue;
          const mine: [number, number, number] = [
            Math.max(Math.abs(r - code.row), Math.abs(c - code.col)),
            -area(digits[m]![i]!.box),
            i,
          ];
          const other = claim[r * grid + c];
          if (!other || mine[0] < other[0] || (mine[0] === other[0] && mine[1] < other[1]))
            claim[r * grid + c] = mine;
        }
    });
    for (let p = 0; p < plane; p++) {
      const row = (m * plane + p) * T;
      const seg = cells[m * plane + p]!;
      if (seg >= K) throw new RangeError(`detectionTargets: cell class ${seg} is not below ${K}`);
      out[row + seg] = 1;
      const owner = claim[p];
      if (!owner) {
        out[row + K + K - 1] = 1;
        continue;
      }
      const code = codes[owner[2]]!;
      const r = Math.floor(p / grid);
      const c = p % grid;
      out[row + K + code.label] = 1;
      out.set([code.dx + code.col - c, code.dy + code.row - r, code.w, code.h, 1], row + 2 * K);
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
