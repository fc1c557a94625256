import { describe, expect, it } from 'vitest';
import { IMAGE_PIXELS } from '../../../src/data/mnist.ts';
import {
  BACKGROUND,
  MAX_DIGITS,
  SCENE_PIXELS,
  SCENE_SIZE,
  downsampleLabels,
  makeScene,
  paintDigit,
  sceneBatch,
} from '../../../src/data/scenes.ts';

/** A split of `count` digits: digit k is a filled square (rows/cols 4…23) of ink `ink(k)`. */
function squares(labels: number[], ink: (k: number) => number) {
  const images = new Uint8Array(labels.length * IMAGE_PIXELS);
  labels.forEach((_, k) => {
    for (let r = 4; r < 24; r++)
      for (let c = 4; c < 24; c++) images[k * IMAGE_PIXELS + r * 28 + c] = ink(k);
  });
  return { images, labels: Uint8Array.from(labels), count: labels.length };
}

describe('paintDigit(scene, split, source, top, left, side)', () => {
  it('at side 28 copies the digit, labels its ink and returns its tight box', () => {
    const split = squares([6], () => 255);
    const scene = {
      pixels: new Float32Array(SCENE_PIXELS),
      labels: new Uint8Array(SCENE_PIXELS).fill(BACKGROUND),
    };
    const b = paintDigit(scene, split, 0, 10, 20, 28);
    // Ink rows 4…23 of the digit land on canvas rows 14…33, cols 24…43.
    expect(b).toEqual({ x0: 24, y0: 14, x1: 44, y1: 34 });
    expect(scene.pixels[14 * SCENE_SIZE + 24]).toBe(1);
    expect(scene.labels[14 * SCENE_SIZE + 24]).toBe(6);
    expect(scene.pixels[13 * SCENE_SIZE + 24]).toBe(0);
    expect(scene.labels[13 * SCENE_SIZE + 24]).toBe(BACKGROUND);
    let labelled = 0;
    for (const l of scene.labels) if (l === 6) labelled++;
    expect(labelled).toBe(20 * 20);
  });
  it('at side 14 halves the box (ink 4…23 → 2…11)', () => {
    const split = squares([1], () => 255);
    const scene = {
      pixels: new Float32Array(SCENE_PIXELS),
      labels: new Uint8Array(SCENE_PIXELS).fill(BACKGROUND),
    };
    expect(paintDigit(scene, split, 0, 0, 0, 14)).toEqual({ x0: 2, y0: 2, x1: 12, y1: 12 });
  });
});

describe('makeScene(split, seed, index)', () => {
  const train = squares([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], () => 200);
  const test = squares([9, 8, 7], () => 100);
  it('is the same for the same (seed, index) and differs for another index or seed', () => {
    const a = makeScene(train, 5, 3);
    expect(makeScene(train, 5, 3)).toEqual(a);
    expect(makeScene(train, 5, 4).pixels).not.toEqual(a.pixels);
    expect(makeScene(train, 6, 3).pixels).not.toEqual(a.pixels);
  });
  it('holds 1–4 digits inside the canvas whose boxes and labels agree with the label map', () => {
    for (let i = 0; i < 40; i++) {
      const s = makeScene(train, 1, i);
      expect(s.digits.length).toBeGreaterThanOrEqual(1);
      expect(s.digits.length).toBeLessThanOrEqual(MAX_DIGITS);
      for (const d of s.digits) {
        expect(d.box.x0).toBeGreaterThanOrEqual(0);
        expect(d.box.x1).toBeLessThanOrEqual(SCENE_SIZE);
        expect(d.label).toBe(train.labels[d.source]);
        const counted = new Set<number>();
        for (let y = d.box.y0; y < d.box.y1; y++)
          for (let x = d.box.x0; x < d.box.x1; x++) counted.add(s.labels[y * SCENE_SIZE + x]!);
        expect(counted.has(d.label)).toBe(true);
      }
      for (const l of s.labels)
        expect(l === BACKGROUND || s.digits.some((d) => d.label === l)).toBe(true);
    }
  });
  it('held-out scenes use the test digits only: every ink value is the test split’s', () => {
    for (let i = 0; i < 30; i++) {
      const s = makeScene(test, 2, i);
      for (const d of s.digits) expect(d.source).toBeLessThan(test.count);
      for (const d of s.digits) expect([9, 8, 7]).toContain(d.label);
      // Test ink is 100/255; a training digit (200/255) would push pixels above it.
      for (const v of s.pixels) expect(v).toBeLessThanOrEqual(100 / 255 + 1e-6);
    }
  });
  it('refuses an empty split and a bad index', () => {
    expect(() => makeScene({ ...test, count: 0 }, 1, 0)).toThrow('the split holds no digits');
    expect(() => makeScene(test, 1, -1)).toThrow(/index must be a non-negative integer/);
  });
});

describe('sceneBatch and downsampleLabels', () => {
  it('stacks scenes in order', () => {
    const split = squares([3, 4], () => 255);
    const b = sceneBatch(split, 9, [2, 0]);
    expect(b.images.length).toBe(2 * SCENE_PIXELS);
    expect(b.images.subarray(SCENE_PIXELS)).toEqual(makeScene(split, 9, 0).pixels);
  });
  it('a coarse cell takes the digit covering most of it, background only when none', () => {
    // 4×4 map, factor 2: top-left block has one 3 and three backgrounds → 3;
    // top-right has two 1s and two 2s → 1 (tie, smaller index); bottom row all background.
    const B = BACKGROUND;
    const labels = Uint8Array.from([3, B, 1, 2, B, B, 1, 2, B, B, B, B, B, B, B, B]);
    expect(Array.from(downsampleLabels(labels, 4, 2))).toEqual([3, 1, B, B]);
    expect(() => downsampleLabels(labels, 4, 3)).toThrow(/factor 3 must divide the size 4/);
  });
});
