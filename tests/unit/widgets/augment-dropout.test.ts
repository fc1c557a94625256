import { describe, expect, it } from 'vitest';
import { dropoutLayerSeed, dropoutMask, tinyNet } from '../../../src/cnn/index';
import { shiftImage } from '../../../src/data/mnist';
import {
  augmentStrip,
  describeDraw,
  DROPOUT_NET,
  dropoutSite,
  FIELDS,
  maskOfStep,
  reduceAug,
} from '../../../src/widgets/augment-dropout/state';
import type { AugState } from '../../../src/widgets/augment-dropout/state';

const initial: AugState = {
  values: { shift: 2, rotate: 10, scale: 0.1, rate: 0.25, step: 0 },
  errors: {},
};

describe('reduceAug(state, action)', () => {
  it('next goes one step on; a bad edit keeps the last valid value with a message', () => {
    expect(reduceAug(initial, { kind: 'next' }).values.step).toBe(1);
    const bad = reduceAug(initial, { kind: 'edit', field: 'rate', raw: '1' });
    expect(bad.values.rate).toBe(0.25);
    expect(bad.errors.rate).toMatch(/dropout rate p must be between 0 and 0.9/);
    const good = reduceAug(bad, { kind: 'edit', field: 'rate', raw: '0.5' });
    expect(good.values.rate).toBe(0.5);
    expect(good.errors.rate).toBeUndefined();
    expect(FIELDS.shift.parse('5').ok).toBe(false); // the lab's own limit, ±4 whole px
    expect(FIELDS.shift.parse('1.5').ok).toBe(false);
  });
});

describe('describeDraw(draw)', () => {
  it('says the transform in words, with real minus signs', () => {
    expect(describeDraw({ kind: 'none' })).toBe('unchanged');
    expect(describeDraw({ kind: 'shift', dx: -1, dy: 2 })).toBe('moved (−1, +2) px');
    expect(describeDraw({ kind: 'affine', angle: Math.PI / 18, scale: 1.1, dx: 1, dy: -2 })).toBe(
      'rotated +10.0°, ×1.10, moved (+1.0, −2.0) px',
    );
  });
});

describe('augmentStrip(digits, settings)', () => {
  it('shift only: each digit is moved by the whole pixels its draw says', () => {
    const digits = new Float32Array(2 * 784);
    digits[14 * 28 + 14] = 1; // one lit pixel in the middle of digit 0
    digits[784 + 3 * 28 + 5] = 0.5; // and at (x 5, y 3) in digit 1
    const { images, draws } = augmentStrip(digits, { shift: 2, rotate: 0, scale: 0, step: 3 });
    draws.forEach((d, k) => {
      if (d.kind !== 'shift') throw new Error('expected a shift');
      const want = shiftImage(digits.subarray(k * 784, (k + 1) * 784), d.dx, d.dy);
      expect(Array.from(images.subarray(k * 784, (k + 1) * 784))).toEqual(Array.from(want));
    });
    const d0 = draws[0] as { dx: number; dy: number };
    expect(images[(14 + d0.dy) * 28 + 14 + d0.dx]).toBe(1);
  });
  it('the same step draws the same; the next step draws again', () => {
    const digits = new Float32Array(784).fill(0.5);
    const v = { shift: 2, rotate: 10, scale: 0.1, step: 5 };
    expect(augmentStrip(digits, v).draws).toEqual(augmentStrip(digits, v).draws);
    expect(augmentStrip(digits, { ...v, step: 6 }).draws).not.toEqual(
      augmentStrip(digits, v).draws,
    );
  });
});

describe('dropoutSite(net) / maskOfStep(step, rate)', () => {
  it('the larger preset drops from its 32 × 7 × 7 pooled maps, just before the dense layer', () => {
    expect(dropoutSite(DROPOUT_NET)).toEqual({ layer: 7, shape: [32, 7, 7] });
    expect(() => dropoutSite(tinyNet)).toThrow(/has no dropout layer/);
  });
  it('p = 0 drops nothing; kept units are scaled by 1 / (1 − p): 4/3 at p = 0.25', () => {
    const none = maskOfStep(4, 0);
    expect(none.dropped).toBe(0);
    expect(none.kept.length).toBe(32 * 7 * 7);
    expect(none.scaleKept).toBe(1);
    const m = maskOfStep(4, 0.25);
    expect(m.scaleKept).toBeCloseTo(4 / 3, 6);
    // 1,568 draws at p = 0.25: 392 expected, standard deviation √(1568·0.25·0.75) ≈ 17
    expect(Math.abs(m.dropped - 392)).toBeLessThan(4 * 17);
    expect(m.kept.reduce((a, b) => a + b, 0)).toBe(1568 - m.dropped);
  });
  it('is the engine’s mask: unit k is dropped exactly where dropoutMask is 0', () => {
    const m = maskOfStep(9, 0.5);
    const want = dropoutMask(dropoutLayerSeed(9, 7), [1, 1568], 0.5);
    expect(Array.from(m.kept)).toEqual(Array.from(want.data, (v) => (v > 0 ? 1 : 0)));
    expect(maskOfStep(10, 0.5).kept).not.toEqual(m.kept); // each step draws its own
  });
});
