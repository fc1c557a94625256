/**
 * Boxes read off a segmentation: every connected region (8-neighbours) of pixels given one digit
 * class is a detection, its box the region's bounds, its score the mean probability of that class
 * over the region. This is how lesson 12 gets boxes from its one fully convolutional net — not a
 * trained box head (the grid encoding in boxes.ts is what such a head would learn).
 */
import type { Detection } from './boxes.ts';

/**
 * Detections from class probabilities [K, h, w] (channel-major, one image) where class
 * `background` is no digit. `scale` maps a map cell to canvas pixels; regions smaller than
 * `minCells` cells are dropped as noise.
 */
export function boxesFromSegmentation(
  probabilities: Float32Array,
  classes: number,
  h: number,
  w: number,
  options: { background: number; scale?: number; minCells?: number },
): Detection[] {
  const { background, scale = 1, minCells = 1 } = options;
  if (probabilities.length !== classes * h * w)
    throw new RangeError(
      `boxesFromSegmentation: expected ${classes}×${h}×${w} probabilities, got ${probabilities.length}`,
    );
  const plane = h * w;
  const label = new Uint8Array(plane);
  for (let p = 0; p < plane; p++) {
    let best = 0;
    for (let k = 1; k < classes; k++)
      if (probabilities[k * plane + p]! > probabilities[best * plane + p]!) best = k;
    label[p] = best;
  }
  const seen = new Uint8Array(plane);
  const out: Detection[] = [];
  const stack: number[] = [];
  for (let start = 0; start < plane; start++) {
    const c = label[start]!;
    if (seen[start] || c === background) continue;
    seen[start] = 1;
    stack.push(start);
    let r0 = h;
    let c0 = w;
    let r1 = -1;
    let c1 = -1;
    let cells = 0;
    let sum = 0;
    while (stack.length) {
      const p = stack.pop()!;
      const r = Math.floor(p / w);
      const col = p % w;
      cells += 1;
      sum += probabilities[c * plane + p]!;
      r0 = Math.min(r0, r);
      r1 = Math.max(r1, r);
      c0 = Math.min(c0, col);
      c1 = Math.max(c1, col);
      for (let dr = -1; dr <= 1; dr++)
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr;
          const cc = col + dc;
          if (rr < 0 || cc < 0 || rr >= h || cc >= w) continue;
          const q = rr * w + cc;
          if (!seen[q] && label[q] === c) {
            seen[q] = 1;
            stack.push(q);
          }
        }
    }
    if (cells < minCells) continue;
    out.push({
      label: c,
      score: sum / cells,
      box: { x0: c0 * scale, y0: r0 * scale, x1: (c1 + 1) * scale, y1: (r1 + 1) * scale },
    });
  }
  return out;
}
