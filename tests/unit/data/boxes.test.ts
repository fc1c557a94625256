import { describe, expect, it } from 'vitest';
import { decodeBox, encodeBox, intersection, iou, nms } from '../../../src/data/boxes.ts';
import {
  addConfusion,
  averagePrecision,
  matchDetections,
  meanAveragePrecision,
  meanIou,
  pixelAccuracy,
  precisionRecall,
} from '../../../src/data/detection-metrics.ts';
import { boxesFromSegmentation } from '../../../src/data/segment-boxes.ts';

const box = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1 });

describe('iou(a, b)', () => {
  it('is 1 for the same box, 0 for boxes that only touch, and the hand-computed overlap', () => {
    expect(iou(box(0, 0, 4, 4), box(0, 0, 4, 4))).toBe(1);
    expect(iou(box(0, 0, 4, 4), box(4, 0, 8, 4))).toBe(0);
    expect(intersection(box(0, 0, 4, 4), box(4, 0, 8, 4))).toBeNull();
    // 4×4 and 4×4 shifted by 2: intersection 2×4 = 8, union 16 + 16 − 8 = 24.
    expect(iou(box(0, 0, 4, 4), box(2, 0, 6, 4))).toBeCloseTo(8 / 24, 12);
    // A 2×2 box inside a 4×4 one: 4 / 16.
    expect(iou(box(1, 1, 3, 3), box(0, 0, 4, 4))).toBe(0.25);
  });
});

describe('nms(detections, threshold)', () => {
  const a = { box: box(0, 0, 10, 10), label: 3, score: 0.9 };
  const b = { box: box(1, 0, 11, 10), label: 3, score: 0.8 }; // IoU with a: 90/110 = 0.818
  const c = { box: box(5, 0, 15, 10), label: 3, score: 0.7 }; // IoU with a: 50/150 = 0.333
  const d = { box: box(1, 0, 11, 10), label: 5, score: 0.6 }; // same place as b, another class
  it('drops the lower-scoring box of an overlapping pair of one class, keeps the rest in score order', () => {
    expect(nms([c, b, a, d], 0.5)).toEqual([a, c, d]);
  });
  it('suppresses across classes when perClass is false, and everything above a low threshold', () => {
    expect(nms([a, b, c, d], 0.5, false)).toEqual([a, c]);
    expect(nms([a, b, c, d], 0.3, false)).toEqual([a]);
  });
  it('rejects a threshold outside [0, 1]', () => {
    expect(() => nms([a], 1.5)).toThrow('nms: threshold must be in [0, 1], got 1.5');
  });
});

describe('encodeBox(box, label, size, grid) and decodeBox', () => {
  it('puts the centre in its cell with the offset and relative size worked by hand', () => {
    // 64 px canvas, 8×8 grid (8 px cells); box x 10…30, y 40…52: centre (20, 46) = cell (5, 2)
    // with offsets (20/8 − 2, 46/8 − 5) = (0.5, 0.75); size 20/64 × 12/64.
    const code = encodeBox(box(10, 40, 30, 52), 7, 64, 8);
    expect(code).toEqual({ row: 5, col: 2, dx: 0.5, dy: 0.75, w: 20 / 64, h: 12 / 64, label: 7 });
    expect(decodeBox(code, 64, 8)).toEqual(box(10, 40, 30, 52));
  });
  it('keeps a centre on the far edge in the last cell, and refuses a grid that does not divide', () => {
    const code = encodeBox(box(60, 60, 64, 64), 1, 64, 4);
    expect([code.row, code.col]).toEqual([3, 3]);
    expect(() => encodeBox(box(0, 0, 2, 2), 0, 64, 5)).toThrow(/grid \(5\) must divide/);
    expect(() => encodeBox(box(3, 3, 3, 9), 0, 64, 4)).toThrow('encodeBox: the box is empty');
  });
});

describe('precision, recall and average precision', () => {
  const truths = [
    { box: box(0, 0, 10, 10), label: 1 },
    { box: box(20, 20, 30, 30), label: 1 },
  ];
  const detections = [
    { box: box(0, 0, 10, 10), label: 1, score: 0.9 }, // TP
    { box: box(1, 1, 10, 10), label: 1, score: 0.8 }, // duplicate of the first truth: FP
    { box: box(40, 40, 50, 50), label: 1, score: 0.7 }, // nothing there: FP
    { box: box(21, 20, 30, 30), label: 1, score: 0.6 }, // IoU 0.9: TP
  ];
  const images = [{ truths, detections }];
  it('matches each truth once, best score first', () => {
    expect(matchDetections(images).map((m) => m.truePositive)).toEqual([true, false, false, true]);
  });
  it('trades precision for recall as the threshold falls', () => {
    expect(precisionRecall(images, 0.85)).toMatchObject({ precision: 1, recall: 0.5 });
    expect(precisionRecall(images, 0.65)).toMatchObject({ precision: 1 / 3, recall: 0.5 });
    expect(precisionRecall(images, 0.5)).toMatchObject({ precision: 0.5, recall: 1 });
  });
  it('AP: ranked TP FP FP TP of 2 truths = 0.5·1 + 0.5·0.5 = 0.75 (precision made monotone)', () => {
    expect(averagePrecision([true, false, false, true], 2)).toBeCloseTo(0.75, 12);
    expect(averagePrecision([false, true], 1)).toBeCloseTo(0.5, 12);
    expect(averagePrecision([], 3)).toBe(0);
    const { map, perClass } = meanAveragePrecision(images);
    expect(map).toBeCloseTo(0.75, 12);
    expect(perClass.filter((v) => !Number.isNaN(v))).toHaveLength(1);
  });
  it('a detection of the wrong class is a false positive', () => {
    const wrong = [{ truths, detections: [{ box: box(0, 0, 10, 10), label: 2, score: 1 }] }];
    expect(precisionRecall(wrong, 0)).toMatchObject({ precision: 0, recall: 0 });
  });
});

describe('pixelAccuracy and meanIou from a confusion matrix', () => {
  it('hand-computed: 3 classes', () => {
    const confusion = new Array<number>(9).fill(0);
    // truth  0 0 0 1 1 2
    // pred   0 0 1 1 1 0
    addConfusion(confusion, [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 1, 0], 3);
    expect(confusion).toEqual([2, 1, 0, 0, 2, 0, 1, 0, 0]);
    expect(pixelAccuracy(confusion, 3)).toBeCloseTo(4 / 6, 12);
    // class 0: TP 2, FP 1, FN 1 → 2/4; class 1: TP 2, FP 1, FN 0 → 2/3; class 2: 0/1.
    const { meanIou: m, perClass } = meanIou(confusion, 3);
    expect(perClass).toEqual([0.5, 2 / 3, 0]);
    expect(m).toBeCloseTo((0.5 + 2 / 3) / 3, 12);
  });
  it('leaves out a class absent from truth and prediction', () => {
    const confusion = new Array<number>(9).fill(0);
    addConfusion(confusion, [0, 1], [0, 1], 3);
    expect(meanIou(confusion, 3).meanIou).toBe(1);
    expect(() => addConfusion(confusion, [0], [0, 1], 3)).toThrow(/1 true labels but 2 predicted/);
  });
});

describe('boxesFromSegmentation(probabilities, …)', () => {
  it('one box per connected region of one class, scored by its mean probability', () => {
    // 3 classes (2 = background), a 4×4 map: class 0 at (0,0),(1,1) (diagonal: one region),
    // class 1 at (3,2),(3,3).
    const h = 4;
    const w = 4;
    const p = new Float32Array(3 * h * w);
    for (let k = 0; k < h * w; k++) p[2 * h * w + k] = 0.6;
    const set = (c: number, r: number, col: number, v: number) => (p[c * h * w + r * w + col] = v);
    set(0, 0, 0, 0.9);
    set(0, 1, 1, 0.7);
    set(1, 3, 2, 0.8);
    set(1, 3, 3, 1);
    const out = boxesFromSegmentation(p, 3, h, w, { background: 2, scale: 2 });
    expect(out).toHaveLength(2);
    expect(out[0]!.label).toBe(0);
    expect(out[0]!.box).toEqual(box(0, 0, 4, 4));
    expect(out[0]!.score).toBeCloseTo(0.8, 6);
    expect(out[1]).toMatchObject({ label: 1, box: box(4, 6, 8, 8) });
    expect(out[1]!.score).toBeCloseTo(0.9, 6);
    expect(boxesFromSegmentation(p, 3, h, w, { background: 2, minCells: 3 })).toEqual([]);
  });
});
