import { describe, expect, it } from 'vitest';
import {
  breakdown,
  compute,
  counts,
  countsTex,
  DEFAULTS,
  fromParams,
  parseBias,
  parseCount,
  picture,
  SIZE,
  toParams,
  COUNT_DEFAULTS,
} from '../../../src/widgets/channels/state';

const f32 = Math.fround;
const at = (y: Float32Array, f: number, r: number, c: number) => y[(f * SIZE + r) * SIZE + c];

describe('picture()', () => {
  it('has a red square, a green stripe and a blue disc on grey', () => {
    const x = picture();
    const px = (r: number, c: number) => [0, 1, 2].map((ch) => x.data[(ch * SIZE + r) * SIZE + c]);
    expect(x.shape).toEqual([1, 3, 16, 16]);
    expect(px(4, 4)).toEqual([1, f32(0.1), f32(0.1)]);
    expect(px(0, 11)).toEqual([f32(0.1), f32(0.9), f32(0.1)]);
    expect(px(11, 5)).toEqual([f32(0.1), f32(0.1), 1]);
    expect(px(15, 15)).toEqual([f32(0.1), f32(0.1), f32(0.1)]);
  });
});

describe('compute(settings) feature-map cells (hand-computed)', () => {
  it('green minus red: −0.9 in the red square, 0.8 on the stripe, 0 on grey; bias adds', () => {
    const r = compute(DEFAULTS);
    expect(r.y.shape).toEqual([1, 4, 16, 16]);
    expect(at(r.y.data, 2, 4, 4)).toBeCloseTo(0.1 - 1, 6);
    expect(at(r.y.data, 2, 5, 11)).toBeCloseTo(0.9 - 0.1, 6);
    expect(at(r.y.data, 2, 0, 15)).toBeCloseTo(0, 6);
    const b = compute({ ...DEFAULTS, biases: [0, 0, 0.5, 0] });
    expect(at(b.y.data, 2, 4, 4)).toBeCloseTo(-0.4, 6);
  });
  it('red detector inside the square: 9 · 0.111 · (1 − 0.1 − 0.1) = 0.7992', () => {
    const r = compute(DEFAULTS);
    expect(at(r.y.data, 0, 4, 4)).toBeCloseTo(9 * 0.111 * 0.8, 5);
  });
  it('red detector at the corner (0,0) only sees 4 real pixels: 4 · 0.111 · (0.1 − 0.2) = −0.0444', () => {
    const r = compute(DEFAULTS);
    expect(at(r.y.data, 0, 0, 0)).toBeCloseTo(-0.0444, 6);
  });
  it('depthwise: 3 maps, each from its own channel only (Sobel x on the stripe edge)', () => {
    const r = compute({ ...DEFAULTS, mode: 'depthwise' });
    expect(r.kernel.shape).toEqual([3, 1, 3, 3]);
    expect(r.y.shape).toEqual([1, 3, 16, 16]);
    // green map at row 5, col 10: left column 0.1, right column 0.9 → (0.25+0.5+0.25)(0.1 − 0.9) = −0.8
    expect(at(r.y.data, 1, 5, 10)).toBeCloseTo(-0.8, 6);
    // the red map does not see the green stripe
    expect(at(r.y.data, 0, 5, 10)).toBeCloseTo(0, 6);
  });
});

describe('breakdown(result, settings, step)', () => {
  it('splits a cell by channel and adds the bias', () => {
    const s = { ...DEFAULTS, filter: 2, biases: [0, 0, 0.5, 0] };
    const b = breakdown(compute(s), s, 4 * 16 + 4);
    expect(b.perChannel.map((p) => p.channel)).toEqual([0, 1, 2]);
    expect(b.perChannel[0].sum).toBeCloseTo(-1, 6);
    expect(b.perChannel[1].sum).toBeCloseTo(0.1, 6);
    expect(b.perChannel[2].sum).toBe(0);
    expect(b.trace.sum).toBeCloseTo(-0.4, 6);
  });
  it('depthwise filter f reads channel f only', () => {
    const s = { ...DEFAULTS, mode: 'depthwise' as const, filter: 2 };
    const b = breakdown(compute(s), s, 0);
    expect(b.perChannel.map((p) => p.channel)).toEqual([2]);
  });
});

describe('counts(inputs)', () => {
  it('16×16×3, k=3, F=4: conv 112, dense 787,456 (hand-computed)', () => {
    const c = counts(COUNT_DEFAULTS);
    expect(c.conv).toBe(4 * 27 + 4);
    expect(c.dense).toBe(768 * 1024 + 1024);
    expect(c.depthwise).toBe(3 * 9 + 3);
    expect(c.separable).toBe(30 + 3 * 4 + 4);
    expect(countsTex(COUNT_DEFAULTS, c).dense).toContain('= 787{,}456');
  });
  it("224×224×3, k=3, F=64: conv 1,792; H′ = H from 'same' padding", () => {
    const c = counts({ h: 224, w: 224, c: 3, k: 3, f: 64 });
    expect(c.conv).toBe(1792);
    expect([c.outH, c.outW]).toEqual([224, 224]);
    expect(c.dense).toBe(150528 * 3211264 + 3211264);
  });
  it('parseCount refuses what it cannot use, naming the field', () => {
    expect(parseCount('c', '0')).toBe('channels C must be between 1 and 4096, got 0');
    expect(parseCount('k', 'x')).toBe('kernel size k: “x” is not a whole number');
    expect(parseCount('f', ' 8 ')).toBe(8);
  });
});

describe('parseBias(raw, f)', () => {
  it('reads decimals and the typographic minus; refuses text and big values', () => {
    expect(parseBias('0.5', 0)).toBe(0.5);
    expect(parseBias('−1', 0)).toBe(-1);
    expect(parseBias('abc', 2)).toBe('bias of filter 3: “abc” is not a number');
    expect(parseBias('9', 0)).toMatch(/between −5 and 5/);
  });
});

describe('URL state', () => {
  it('round-trips', () => {
    const s = { mode: 'full' as const, biases: [0.5, 0, -1, 0], filter: 2 };
    const n = { h: 32, w: 20, c: 8, k: 5, f: 16 };
    const back = fromParams(new Map(Object.entries(toParams(s, 70, n))));
    expect(back).toEqual({ settings: s, step: 70, count: n, ignored: [] });
  });
  it('tolerates garbage', () => {
    const back = fromParams(
      new Map([
        ['mode', 'zz'],
        ['bias', '1,2'],
        ['f', '7'],
        ['step', '9999'],
        ['nf', '-2'],
      ]),
    );
    expect(back.settings).toEqual(DEFAULTS);
    expect(back.step).toBe(0);
    expect(back.count).toEqual(COUNT_DEFAULTS);
    expect(back.ignored).toEqual(['mode=zz', 'bias=1,2', 'f=7', 'step=9999', 'nf=-2']);
  });
});
