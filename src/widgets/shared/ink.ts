/**
 * A round brush with a soft edge, painting strokes into an ink map: the drawing pad's (lesson 9,
 * 280 × 280) and the scene pad's (lesson 12, 64 × 64) one way of turning a pointer into ink.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * Paints a round brush along the segment a→b into `ink` (side × side, values in [0, 1], kept at
 * the maximum where strokes overlap). Full ink within radius − 1 of the segment, fading to 0 at
 * radius + 1 (a soft, antialiased edge). Pixel (x, y) is sampled at its centre (x + 0.5, y + 0.5).
 */
export function stampSegment(
  ink: Float32Array,
  side: number,
  a: Point,
  b: Point,
  radius: number,
): void {
  if (ink.length !== side * side)
    throw new RangeError(
      `ink must hold ${side}×${side} = ${side * side} values, got ${ink.length}`,
    );
  const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - radius - 1));
  const x1 = Math.min(side - 1, Math.ceil(Math.max(a.x, b.x) + radius + 1));
  const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - radius - 1));
  const y1 = Math.min(side - 1, Math.ceil(Math.max(a.y, b.y) + radius + 1));
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / len2)) : 0;
      const d = Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
      const v = Math.max(0, Math.min(1, (radius + 1 - d) / 2));
      const i = y * side + x;
      if (v > ink[i]) ink[i] = v;
    }
  }
}
