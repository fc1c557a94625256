import { describe, expect, it } from 'vitest';
import {
  BRUSH,
  INITIAL_PAD,
  PAD,
  announceTop,
  padPhase,
  padStatus,
  reducePad,
  digitToInk,
  padToInput,
  probabilityBars,
  stampSegment,
  strokesToInk,
} from '../../../src/widgets/draw-pad/state';
import { trackFacts } from '../../../src/widgets/shared/lab';

describe('stampSegment(ink, side, a, b, radius)', () => {
  it('a dot of radius 2 at (5, 5) on 10×10: full ink within 1, half at distance 2, none beyond 3', () => {
    const ink = new Float32Array(100);
    stampSegment(ink, 10, { x: 5, y: 5 }, { x: 5, y: 5 }, 2);
    // pixel (4, 4) has its centre at (4.5, 4.5): distance 0.707 → (2 + 1 − 0.707) / 2 > 1 → 1.
    expect(ink[4 * 10 + 4]).toBe(1);
    // pixel (6, 4): centre (6.5, 4.5), distance √(1.5² + 0.5²) = 1.581 → (3 − 1.581) / 2 = 0.709.
    expect(ink[4 * 10 + 6]).toBeCloseTo((3 - Math.hypot(1.5, 0.5)) / 2, 6);
    // pixel (8, 5): centre (8.5, 5.5), distance 3.536 → 0.
    expect(ink[5 * 10 + 8]).toBe(0);
    expect(ink[0]).toBe(0);
  });
  it('a horizontal segment inks every pixel on its line, and overlapping strokes keep the maximum', () => {
    const ink = new Float32Array(400);
    stampSegment(ink, 20, { x: 2, y: 10.5 }, { x: 18, y: 10.5 }, 1);
    for (let x = 2; x < 18; x++) expect(ink[10 * 20 + x]).toBe(1);
    expect(ink[5 * 20 + 10]).toBe(0);
    stampSegment(ink, 20, { x: 10, y: 10.5 }, { x: 10, y: 10.5 }, 1);
    expect(Math.max(...ink)).toBe(1);
  });
  it('rejects an ink map of the wrong size', () => {
    expect(() => stampSegment(new Float32Array(10), 10, { x: 0, y: 0 }, { x: 1, y: 1 })).toThrow(
      'ink must hold 10×10 = 100 values, got 10',
    );
  });
});

describe('strokesToInk → padToInput (stroke → pixels)', () => {
  it('a vertical stroke on the pad becomes a centred upright bar 20 px tall in 28×28', () => {
    const ink = strokesToInk([
      [
        { x: 60, y: 40 },
        { x: 60, y: 240 },
      ],
    ]);
    expect(ink.length).toBe(PAD * PAD);
    const r = padToInput(ink);
    expect(r.empty).toBe(false);
    if (r.empty) return;
    // The ink box is (2·BRUSH + 2) wide minus the faint edge, and 200 + 2·BRUSH tall:
    // scaled so the height is 20 px.
    expect(r.placed.height).toBe(20);
    expect(r.placed.width).toBeLessThanOrEqual(3);
    // Centre of mass moved to the frame centre (14, 14), within half a pixel.
    expect(Math.abs(r.centerOfMass.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(r.centerOfMass.y - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...r.image)).toBe(1);
    // The bar is vertical: column 13 or 14 carries ink in rows 5…22; the corners are blank.
    expect(r.image[14 * 28 + 13] + r.image[14 * 28 + 14]).toBeGreaterThan(0.5);
    expect(r.image[0]).toBe(0);
    expect(r.image[27 * 28 + 27]).toBe(0);
  });
  it('an empty pad is empty; a single dot is a digit of its own', () => {
    expect(padToInput(new Float32Array(PAD * PAD)).empty).toBe(true);
    expect(padToInput(strokesToInk([[{ x: 100, y: 100 }]])).empty).toBe(false);
    expect(BRUSH).toBeGreaterThan(5);
  });
  it('digitToInk enlarges a 28×28 digit 10× (nearest neighbour)', () => {
    const digit = new Float32Array(784);
    digit[3 * 28 + 5] = 0.5;
    const ink = digitToInk(digit);
    expect(ink[35 * PAD + 50]).toBe(0.5);
    expect(ink[39 * PAD + 59]).toBe(0.5);
    expect(ink[40 * PAD + 50]).toBe(0);
    expect(() => digitToInk([1, 2])).toThrow('784 pixels, got 2');
  });
});

describe('probabilityBars and announceTop', () => {
  const probs = [0.01, 0.9, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01];
  it('marks the top class; the probabilities must be 10 and sum to 1', () => {
    const bars = probabilityBars(probs);
    expect(bars.filter((b) => b.top).map((b) => b.digit)).toEqual([1]);
    expect(() => probabilityBars([0.5, 0.5])).toThrow('expected 10 class probabilities, got 2');
    expect(() => probabilityBars(new Array(10).fill(0.2))).toThrow('sum to 1, got a sum of 2.0000');
    expect(() => probabilityBars([Number.NaN, ...new Array(9).fill(0.1)])).toThrow('finite');
  });
  it('announces the top two, and says when the net is untrained', () => {
    const bars = probabilityBars(probs);
    expect(announceTop(bars, true)).toBe('The network reads a 1 (90%); next most likely 2 (2%).');
    expect(announceTop(bars, false)).toContain('has not been trained yet');
  });
});

describe('trackFacts(facts, event): what a late-starting pad learns from the shared lab', () => {
  it('a started run means a network; a step means trained; idle (cleared) forgets both; a status names the backend', () => {
    const facts = { hasNet: false, trained: false };
    trackFacts(facts, { kind: 'status', state: 'paused', backend: 'wasm', backends: [] });
    expect(facts).toEqual({ hasNet: true, trained: false, backend: 'wasm' });
    const progress = {
      epoch: 0,
      step: 3,
      stepsPerEpoch: 125,
      totalSteps: 500,
      seconds: 1,
      history: [],
    };
    trackFacts(facts, { kind: 'progress', progress, lr: 0.05, imagesPerSecond: 1 });
    expect(facts).toEqual({ hasNet: true, trained: true, backend: 'wasm' });
    trackFacts(facts, { kind: 'status', state: 'idle', backend: 'webgpu', backends: [] });
    expect(facts).toEqual({ hasNet: false, trained: false, backend: 'webgpu' });
  });
});

describe('reducePad(state, action)', () => {
  const image = new Float32Array(784).fill(0.5);
  const probs = [0.02, 0.8, 0.02, 0.02, 0.02, 0.02, 0.02, 0.04, 0.02, 0.02];
  const net = { hasNet: true, trained: true };

  it('a drawing without a network asks nothing and says to train first', () => {
    const s = reducePad(INITIAL_PAD, {
      kind: 'drawn',
      input: image,
      id: 1,
      facts: INITIAL_PAD.facts,
    });
    expect(s.pending).toBeUndefined();
    expect(padPhase(s)).toBe('idle');
    expect(padStatus(s)).toBe(
      'Train the network above first: there is no network to read your digit yet.',
    );
    expect(padPhase(INITIAL_PAD)).toBe('empty');
    expect(padStatus(INITIAL_PAD)).toBe('Train the network above first, then draw here.');
  });

  it('with a network: predicting, then only the awaited answer is shown', () => {
    const s0 = reducePad(INITIAL_PAD, { kind: 'lab', facts: net, idle: false });
    const s1 = reducePad(s0, { kind: 'drawn', input: image, id: 7, facts: net });
    expect(padPhase(s1)).toBe('predicting');
    expect(reducePad(s1, { kind: 'prediction', id: 6, probabilities: probs })).toBe(s1);
    const s2 = reducePad(s1, { kind: 'prediction', id: 7, probabilities: probs });
    expect(padPhase(s2)).toBe('predicted');
    expect(padStatus(s2)).toBe('The network reads a 1 (80%); next most likely 7 (4%).');
    // a new stroke keeps the old bars until its own answer comes
    const s3 = reducePad(s2, { kind: 'drawn', input: image, id: 8, facts: net });
    expect(s3.probabilities).toBe(probs);
    expect(padPhase(s3)).toBe('predicting');
    // cleared pad: empty, nothing awaited
    expect(padPhase(reducePad(s3, { kind: 'drawn', input: undefined, id: 9, facts: net }))).toBe(
      'empty',
    );
  });

  it('a drawing carries the lab’s facts: a pad that woke up after training still asks', () => {
    const s = reducePad(INITIAL_PAD, { kind: 'drawn', input: image, id: 3, facts: net });
    expect(s.facts).toEqual(net);
    expect(s.pending).toBe(3);
    expect(padPhase(s)).toBe('predicting');
  });

  it('lab events: unchanged facts change nothing; a cleared lab drops the answer', () => {
    const s0 = reducePad(INITIAL_PAD, { kind: 'lab', facts: net, idle: false });
    expect(reducePad(s0, { kind: 'lab', facts: { ...net }, idle: false })).toBe(s0);
    const s1 = reducePad(reducePad(s0, { kind: 'drawn', input: image, id: 2, facts: net }), {
      kind: 'prediction',
      id: 2,
      probabilities: probs,
    });
    const gone = reducePad(s1, {
      kind: 'lab',
      facts: { hasNet: false, trained: false },
      idle: true,
    });
    expect(gone.probabilities).toBeUndefined();
    expect(padPhase(gone)).toBe('idle');
    expect(reducePad(s0, { kind: 'sampled' }).sample).toBe(1);
  });
});
