import { describe, expect, test } from 'vitest';
import { decodeDetections, detectionTargets } from '../../../src/data/detect-head.ts';

// K = 3 (digits 0 and 1, class 2 is background / none) on a 2 × 2 grid over an 8-pixel canvas:
// each cell is 4 × 4 pixels; target rows have 2K + 5 = 11 columns, outputs 2K + 4 = 10 channels.
const G = { classes: 3, grid: 2, size: 8 };

describe('detectionTargets(cells, digits, geometry)', () => {
  test('hand-computed: one digit, its centre cell holds its class, box code and mask', () => {
    // box x 4…8, y 0…6: centre (6, 3) px = (1.5, 0.75) cells → cell row 0, col 1,
    // dx 0.5, dy 0.75, w 4/8, h 6/8.
    const t = detectionTargets(
      Uint8Array.of(2, 1, 2, 1),
      [[{ box: { x0: 4, y0: 0, x1: 8, y1: 6 }, label: 1 }]],
      G,
    );
    const row = (p: number) => Array.from(t.subarray(p * 11, p * 11 + 11));
    expect(row(0)).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect(row(1)).toEqual([0, 1, 0, 0, 1, 0, 0.5, 0.75, 0.5, 0.75, 1]);
    expect(row(2)).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect(row(3)).toEqual([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
  });

  test('two centres in one cell: the larger box keeps it', () => {
    const small = { box: { x0: 1, y0: 1, x1: 3, y1: 3 }, label: 0 }; // centre (2, 2): cell 0
    const large = { box: { x0: 0, y0: 0, x1: 4, y1: 4 }, label: 1 }; // centre (2, 2): cell 0
    for (const order of [
      [small, large],
      [large, small],
    ]) {
      const t = detectionTargets(new Uint8Array(4).fill(2), [order], G);
      expect(Array.from(t.subarray(3, 11))).toEqual([0, 1, 0, 0.5, 0.5, 0.5, 0.5, 1]);
    }
  });

  test('radius 1: the centre cell’s neighbours claim the digit too, the offset measured from each', () => {
    // the digit of the first test, centre (1.5, 0.75) cells: every cell of the 2 × 2 grid is
    // within 1 of its centre cell (row 0, col 1); from cell (row 1, col 0): dx 1.5, dy −0.25.
    const digit = { box: { x0: 4, y0: 0, x1: 8, y1: 6 }, label: 1 };
    const t = detectionTargets(new Uint8Array(4).fill(2), [[digit]], { ...G, radius: 1 });
    const tail = (p: number) => Array.from(t.subarray(p * 11 + 3, p * 11 + 11));
    expect(tail(1)).toEqual([0, 1, 0, 0.5, 0.75, 0.5, 0.75, 1]);
    expect(tail(2)).toEqual([0, 1, 0, 1.5, -0.25, 0.5, 0.75, 1]);
    // a second digit centred in cell 2 keeps its own cell; cell 0 is 1 from both: the larger wins
    const other = { box: { x0: 0, y0: 5, x1: 3, y1: 8 }, label: 0 }; // centre (1.5, 6.5) px: cell 2
    const u = detectionTargets(new Uint8Array(4).fill(2), [[digit, other]], { ...G, radius: 1 });
    expect(Array.from(u.subarray(2 * 11 + 3, 2 * 11 + 6))).toEqual([1, 0, 0]);
    expect(Array.from(u.subarray(0 * 11 + 3, 0 * 11 + 6))).toEqual([0, 1, 0]);
  });

  test('refuses cell labels that do not fit the scenes', () => {
    expect(() => detectionTargets(new Uint8Array(3), [[]], G)).toThrow(
      /3 cell labels for 1 scenes of 2×2/,
    );
  });
});

describe('decodeDetections(outputs, geometry, threshold)', () => {
  // channel-major [10, 2, 2]: seg 0–2, centre 3–5, box 6–9; cell p at index channel·4 + p
  const outputs = (cells: { p: number; centre: number[]; box: number[] }[]) => {
    const o = new Float32Array(40);
    for (let p = 0; p < 4; p++) o[5 * 4 + p] = 1; // "none" everywhere else
    for (const c of cells) {
      [...c.centre, ...c.box].forEach((v, k) => (o[(3 + k) * 4 + c.p] = v));
    }
    return o;
  };
  const o = outputs([
    { p: 1, centre: [0.1, 0.8, 0.1], box: [0.5, 0.75, 0.5, 0.75] }, // → 1 at (4, 0)–(8, 6)
    { p: 0, centre: [0.6, 0.1, 0.3], box: [1, 1, 0.5, 0.5] }, // → 0 at (2, 2)–(6, 6), IoU 0.25
    { p: 2, centre: [0.5, 0.2, 0.3], box: [1.5, -0.25, 0.5, 0.75] }, // the first box again
  ]);

  test('hand-computed: cells over the threshold become boxes, duplicates are suppressed', () => {
    expect(decodeDetections(o, G, 0.3)).toEqual([
      { box: { x0: 4, y0: 0, x1: 8, y1: 6 }, label: 1, score: expect.closeTo(0.8, 6) },
      { box: { x0: 2, y0: 2, x1: 6, y1: 6 }, label: 0, score: expect.closeTo(0.6, 6) },
    ]);
  });

  test('a higher threshold keeps fewer boxes; boxes are clipped to the canvas', () => {
    expect(decodeDetections(o, G, 0.7).map((d) => d.label)).toEqual([1]);
    const wide = outputs([{ p: 0, centre: [0.9, 0, 0.1], box: [0.5, 0.5, 2, 0.5] }]);
    expect(decodeDetections(wide, G, 0.5)[0]!.box).toEqual({ x0: 0, y0: 0, x1: 8, y1: 4 });
  });

  test('the "none" class is never a detection, and a wrong size is refused', () => {
    // a sure "none" with a good box: no detection at any threshold above 0
    const none = outputs([{ p: 3, centre: [0, 0, 1], box: [0.5, 0.5, 0.5, 0.5] }]);
    expect(decodeDetections(none, G, 0.01)).toEqual([]);
    expect(decodeDetections(none, G, 0)).toHaveLength(1); // threshold 0 keeps even score 0
    expect(() => decodeDetections(new Float32Array(39), G, 0.5)).toThrow(/expected 10×2×2/);
  });
});
