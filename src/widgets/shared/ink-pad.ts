/**
 * A drawing pad's ink, shared by the drawing pad (lesson 9) and the whole-network figure:
 * pointer strokes → a 280×280 ink map (a round brush with a soft edge) → preprocessDigit (centred
 * and scaled like MNIST) → 28×28, and the pointer wiring (a stroke inks only once the pointer
 * moves, so a click or a tap alone is never read as a digit).
 */
import { preprocessDigit } from '../../data/preprocess';
import type { Preprocessed } from '../../data/preprocess';
import { paintValues } from './paint';
import { inkRgb } from './palette';

export const PAD = 280;
/** Brush radius in pad pixels: MNIST strokes are 2–3 px wide at 28 px, i.e. ~20–25 px here. */
export const BRUSH = 11;

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
  radius = BRUSH,
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

/** Every stroke (a list of points; one point = a dot) painted into a fresh side × side map. */
export function strokesToInk(
  strokes: readonly (readonly Point[])[],
  side = PAD,
  radius = BRUSH,
): Float32Array {
  const ink = new Float32Array(side * side);
  for (const s of strokes) {
    if (s.length === 1) stampSegment(ink, side, s[0], s[0], radius);
    for (let i = 1; i < s.length; i++) stampSegment(ink, side, s[i - 1], s[i], radius);
  }
  return ink;
}

/** The network's input: the pad's ink (bright on dark, like MNIST) centred and scaled to 28×28. */
export function padToInput(ink: Float32Array, side = PAD): Preprocessed {
  return preprocessDigit(ink, side, side, { ink: 'light' });
}

/** A 28×28 digit ([0, 1]) enlarged onto the pad (nearest neighbour), for "load a sample". */
export function digitToInk(pixels: ArrayLike<number>, side = PAD): Float32Array {
  if (pixels.length !== 784) throw new RangeError(`a digit has 784 pixels, got ${pixels.length}`);
  const ink = new Float32Array(side * side);
  const k = 28 / side;
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      ink[y * side + x] = pixels[Math.floor(y * k) * 28 + Math.floor(x * k)];
  return ink;
}

/** Paints `values` (side × side, [0, 1]) onto `canvas` in the ink colour map. */
export function paintInk(canvas: HTMLCanvasElement, values: ArrayLike<number>, side: number): void {
  paintValues(canvas, values, side, side, inkRgb);
}

/** The ink of a pad canvas: what the reader drew, repainted as strokes come in. */
export interface InkPad {
  ink: Float32Array;
  /** Replaces the ink (a sample, a cleared pad) and repaints. */
  set(ink: Float32Array): void;
}

/**
 * Pointer drawing on `canvas` (mouse, touch and pen alike); `done` is called when a stroke that
 * moved ends. A click or a tap alone draws nothing.
 */
export function wireInkPad(canvas: HTMLCanvasElement, done: (pad: InkPad) => void): InkPad {
  const pad: InkPad = {
    ink: new Float32Array(PAD * PAD),
    set(ink) {
      pad.ink = ink;
      paintInk(canvas, ink, PAD);
    },
  };
  wireStrokes(canvas, PAD, {
    move(from, to) {
      stampSegment(pad.ink, PAD, from, to);
      paintInk(canvas, pad.ink, PAD);
    },
    end(moved) {
      if (moved) done(pad);
    },
  });
  paintInk(canvas, pad.ink, PAD);
  return pad;
}

/** What a stroke on a canvas reports, in grid units (0…side across the canvas). */
export interface StrokeHandlers {
  /** The pointer went down at `p`. */
  readonly start?: (p: Point) => void;
  /** It moved from `from` to `to`; `first` is where the stroke began. */
  readonly move: (from: Point, to: Point, first: Point) => void;
  /** It went up or was cancelled; `moved` is false for a click or a tap alone. */
  readonly end: (moved: boolean) => void;
}

/** Pointer strokes on `canvas` (mouse, touch and pen alike), the pointer captured while down. */
export function wireStrokes(canvas: HTMLCanvasElement, side: number, h: StrokeHandlers): void {
  const at = (e: PointerEvent): Point => {
    const rect = canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - rect.left) / rect.width) * side,
      y: ((e.clientY - rect.top) / rect.height) * side,
    };
  };
  let stroke: Point[] | undefined;
  canvas.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    const p = at(e);
    h.start?.(p);
    stroke = [p];
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!stroke) return;
    const p = at(e);
    h.move(stroke.at(-1)!, p, stroke[0]!);
    stroke.push(p);
  });
  const end = () => {
    if (!stroke) return;
    const moved = stroke.length > 1;
    stroke = undefined;
    h.end(moved);
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
}
