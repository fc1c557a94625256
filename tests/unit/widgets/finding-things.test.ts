import { describe, expect, it } from 'vitest';
import {
  INITIAL,
  SAMPLE_PLACES,
  boxFromCorners,
  defaultConfig,
  detectionsOf,
  heldOutAt,
  inkIsEmpty,
  reduce,
  runStatus,
  shown,
  userBoxIou,
  withSample,
} from '../../../src/widgets/finding-things/state';
import { SCENE_SIZE } from '../../../src/data/scenes';

const box = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1 });

describe('finding-things reducer', () => {
  it('keeps the held-out scores of a segment eval, the progress, and forgets them when idle', () => {
    const progress = {
      epoch: 1,
      step: 4,
      stepsPerEpoch: 64,
      totalSteps: 640,
      seconds: 12,
      history: [{ step: 68, epoch: 1.06, trainLoss: 0.3, trainAccuracy: 0.9, seconds: 12 }],
    };
    let s = reduce(INITIAL, {
      kind: 'lab',
      event: { kind: 'progress', progress, lr: 0.005, imagesPerSecond: 300 },
    });
    expect(s.progress).toEqual({ done: 68, total: 640, seconds: 12, loss: 0.3 });
    const segmentation = {
      scenes: 500,
      pixelAccuracy: 0.95,
      meanIou: 0.6,
      perClassIou: [],
      map: 0.7,
      images: [],
    };
    s = reduce(s, {
      kind: 'lab',
      event: {
        kind: 'eval',
        epoch: 1,
        testAccuracy: 0.95,
        testLoss: 0.2,
        confusion: [],
        misclassified: [],
        segmentation,
      },
    });
    expect(s.scores).toMatchObject({ epoch: 1, meanIou: 0.6, map: 0.7 });
    s = reduce(s, {
      kind: 'lab',
      event: { kind: 'status', state: 'training', backend: 'wasm', backends: [] },
    });
    expect(runStatus(s)).toBe('Training on wasm: step 68 of 640, 12 s, loss 0.300.');
    s = reduce(s, {
      kind: 'lab',
      event: { kind: 'status', state: 'idle', backend: 'wasm', backends: [] },
    });
    expect(s.scores).toBeUndefined();
    expect(s.progress).toBeUndefined();
  });
  it('numbers new weights and new ink (the compute key), refuses a threshold outside [0, 1]', () => {
    const w = { network: defaultConfig('wasm').network, params: {} };
    const s = reduce(reduce(INITIAL, { kind: 'weights', weights: w }), {
      kind: 'weights',
      weights: w,
    });
    expect(s.weights!.id).toBe(2);
    expect(reduce(s, { kind: 'ink', ink: new Float32Array(4096) }).inkId).toBe(1);
    expect(reduce(s, { kind: 'threshold', value: 1.2 })).toBe(s);
    expect(reduce(s, { kind: 'threshold', value: 0.3 }).threshold).toBe(0.3);
  });
  it('adds sample digits at the next place, and clearing the ink starts the places over', () => {
    const digit = new Array<number>(784).fill(0);
    for (let r = 4; r < 24; r++) digit[r * 28 + 14] = 1; // a vertical bar
    let s = reduce(INITIAL, { kind: 'sample', pixels: digit });
    s = reduce(s, { kind: 'sample', pixels: digit });
    expect(s.samples).toBe(2);
    expect(inkIsEmpty(s.ink)).toBe(false);
    const [left, top] = SAMPLE_PLACES[1]!;
    // The second sample's bar is somewhere in its place's square.
    let inked = 0;
    for (let y = top; y < top + 24; y++)
      for (let x = left; x < left + 24; x++) if (s.ink[y * SCENE_SIZE + x]! > 0.5) inked++;
    expect(inked).toBeGreaterThan(10);
    expect(reduce(s, { kind: 'ink', ink: new Float32Array(4096) }).samples).toBe(0);
    expect(() => withSample(s.ink, [1, 2], 0)).toThrow('a digit has 784 pixels, got 2');
  });
});

describe('what the figure reads off a map', () => {
  it('detections of the head’s output map (4×4 cells), above a threshold', () => {
    // 4×4 cells over the 64-px scene (16 px a cell); channels: 11 segmentation, 11 centre
    // (10 = none), dx, dy, w, h. A 7 centred in cell (row 0, col 1) at (0.5, 1.0) of the cell —
    // (24, 16) px — 0.25 × 0.375 of the scene wide and high: 16 × 24 px, so x 16…32, y 4…28.
    const plane = 16;
    const p = new Float32Array(26 * plane);
    for (let c = 0; c < plane; c++) p[21 * plane + c] = 1;
    p[21 * plane + 1] = 0.1;
    p[(11 + 7) * plane + 1] = 0.9;
    [0.5, 1, 0.25, 0.375].forEach((v, k) => (p[(22 + k) * plane + 1] = v));
    const ds = detectionsOf(p);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ label: 7, box: box(16, 4, 32, 28) });
    expect(ds[0]!.score).toBeCloseTo(0.9, 6);
    expect(shown(ds, 0.95)).toEqual([]);
    expect(shown(ds, 0.5)).toHaveLength(1);
  });
  it('the reader’s box against the best-overlapping detection: hand-computed IoU', () => {
    const ds = [
      { box: box(0, 0, 10, 10), label: 3, score: 0.9 },
      { box: box(30, 30, 40, 40), label: 5, score: 0.8 },
    ];
    const m = userBoxIou(box(5, 0, 15, 10), ds)!;
    expect(m.against.label).toBe(3);
    expect(m.inter).toBe(50);
    expect(m.union).toBe(150);
    expect(m.iou).toBeCloseTo(1 / 3, 12);
    expect(userBoxIou(box(0, 0, 4, 4), [])).toBeUndefined();
  });
  it('a box from two corners is ordered and clamped; a line is no box', () => {
    expect(boxFromCorners({ x: 20.4, y: 70 }, { x: 3, y: 10 })).toEqual(box(3, 10, 20, 64));
    expect(boxFromCorners({ x: 5, y: 5 }, { x: 6, y: 30 })).toBeUndefined();
  });
  it('held-out precision and recall at the threshold', () => {
    const images = [
      {
        truths: [{ box: box(0, 0, 10, 10), label: 1 }],
        detections: [
          { box: box(0, 0, 10, 10), label: 1, score: 0.9 },
          { box: box(20, 20, 30, 30), label: 4, score: 0.4 },
        ],
      },
    ];
    const scores = { epoch: 1, pixelAccuracy: 0, meanIou: 0, map: 0, images };
    expect(heldOutAt(scores, 0.5)).toMatchObject({ precision: 1, recall: 1 });
    expect(heldOutAt(scores, 0.3)).toMatchObject({ precision: 0.5, recall: 1 });
  });
  it('the default run is the segment task on sceneDetectNet, Adam, 6 epochs (384 steps)', () => {
    const c = defaultConfig('webgpu');
    expect(c).toMatchObject({
      task: 'segment',
      preset: 'scenes',
      batchSize: 32,
      epochs: 6,
      backend: 'webgpu',
    });
    expect(c.network.name).toBe('sceneDetectNet');
  });
});
