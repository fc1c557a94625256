import { describe, expect, it } from 'vitest';
import { tensor } from '../../../src/cnn/index';
import { testDigitPerClass } from '../../../src/data/mnist-sample';
import home from '../../../src/widgets/shared/home-net.json';
import { homeParams } from '../../../src/widgets/shared/home-net';
import type { HomeAsset } from '../../../src/widgets/shared/home-net';
import {
  computeShift,
  firstLayer,
  mapPair,
  share,
  survival,
} from '../../../src/widgets/pooling/trained/state';
import type { FirstLayer } from '../../../src/widgets/pooling/trained/state';

/** A 1 × 1 kernel of weight 1, no bias, then 2 × 2 max pooling: the maps are the digit itself. */
const identity: FirstLayer = {
  kernel: tensor([1, 1, 1, 1], [1]),
  bias: tensor([1], [0]),
  pool: { kernelShape: [2, 2], strides: [2, 2] },
};
const dot = (row: number, col: number) => {
  const d = new Float32Array(784);
  d[row * 28 + col] = 1;
  return d;
};

describe('survival(before, after, per)', () => {
  it('counts strong cells (≥ half the map’s max) and those that moved by ≤ 10 % of it', () => {
    // map 1: max 1; strong 1 and 0.6; after: 0.95 (kept), 0.3 (lost)
    // map 2: all zero → no strong cells
    const s = survival([1, 0.6, 0.2, 0, 0, 0], [0.95, 0.3, 0.9, 0, 0, 0], 3);
    expect(s).toEqual({ strong: 2, kept: 1 });
    expect(share(s)).toBe(0.5);
    expect(() => survival([1, 2], [1], 1)).toThrow(/do not match/);
  });
});

describe('computeShift(layer, digits)', () => {
  it('one lit pixel at column 10: lost without pooling, kept by the 2 × 2 window it stays in', () => {
    const r = computeShift(identity, [dot(10, 10)]);
    expect(r.all.unpooled).toEqual({ strong: 1, kept: 0 });
    expect(r.all.pooled).toEqual({ strong: 1, kept: 1 });
    const { before, after } = mapPair(r.pooled, 0, 0);
    expect(before[5 * 14 + 5]).toBe(1);
    expect(after[5 * 14 + 5]).toBe(1);
  });
  it('at column 11 the shift carries it over the window border: lost in both', () => {
    const r = computeShift(identity, [dot(10, 11)]);
    expect(r.all.pooled).toEqual({ strong: 1, kept: 0 });
    expect(mapPair(r.pooled, 0, 0).after[5 * 14 + 6]).toBe(1); // it is in the next window now
  });
  it('on the home page’s trained net: pooled maps keep clearly more of their strong responses', () => {
    const asset = home as unknown as HomeAsset;
    const layer = firstLayer(asset.spec, homeParams(asset));
    expect(layer.kernel.shape).toEqual([8, 1, 5, 5]);
    const r = computeShift(
      layer,
      testDigitPerClass().map((d) => d.pixels),
    );
    expect(r.maps.shape).toEqual([20, 8, 24, 24]);
    expect(r.pooled.shape).toEqual([20, 8, 12, 12]);
    const [u, p] = [share(r.all.unpooled), share(r.all.pooled)];
    expect(p).toBeGreaterThan(u + 0.15);
    expect(r.all.unpooled.strong).toBeGreaterThan(r.all.pooled.strong); // 4× the cells
  });
});
