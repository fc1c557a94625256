import { describe, expect, it } from 'vitest';
import {
  COUNT_DEFAULTS,
  COUNT_FIELDS,
  counts,
  countsTex,
} from '../../../src/widgets/channels/counts';
import { breakdown, compute, DEFAULTS, picture, SIZE } from '../../../src/widgets/channels/filters';
import {
  BIAS,
  fromParams,
  initialState,
  reduceChannels,
  toParams,
} from '../../../src/widgets/channels/state';
import type { ChannelsState } from '../../../src/widgets/channels/state';

const f32 = Math.fround;
/** The link's parameters as the page has them (left-out values are absent). */
const link = (p: Record<string, string | undefined>) =>
  new Map(Object.entries(p).filter((e): e is [string, string] => e[1] !== undefined));
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
    // green map at row 5, col 10: left column 0.1, right column 0.9 → (0.25+0.5+0.25)(0.9 − 0.1) = 0.8
    expect(at(r.y.data, 1, 5, 10)).toBeCloseTo(0.8, 6);
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
  it('COUNT_FIELDS refuse what they cannot use, naming the field', () => {
    expect(COUNT_FIELDS.c.parse('0')).toEqual({
      ok: false,
      error: 'channels C must be a whole number from 1 to 4,096, got 0.',
    });
    expect(COUNT_FIELDS.k.parse('x')).toEqual({
      ok: false,
      error: 'kernel size k: "x" is not a number.',
    });
    expect(COUNT_FIELDS.f.parse(' 8 ')).toEqual({ ok: true, value: 8 });
  });
});

describe('BIAS[f].parse(raw)', () => {
  it('reads decimals and the typographic minus; refuses text and big values', () => {
    expect(BIAS[0].parse('0.5')).toEqual({ ok: true, value: 0.5 });
    expect(BIAS[0].parse('−1')).toEqual({ ok: true, value: -1 });
    expect(BIAS[2].parse('abc')).toEqual({
      ok: false,
      error: 'bias of filter 3: "abc" is not a number.',
    });
    expect(BIAS[0].parse('9')).toMatchObject({ ok: false, error: /between -5 and 5, got 9/ });
  });
});

describe('URL state', () => {
  it('round-trips', () => {
    const s = { mode: 'full' as const, biases: [0.5, 0, -1, 0], filter: 2 };
    const n = { h: 32, w: 20, c: 8, k: 5, f: 16 };
    const back = fromParams(link(toParams(s, 70, n)));
    expect(back).toEqual({ settings: s, step: 70, count: n, notes: [] });
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
    expect(back.notes).toEqual([
      'From the link: mode: "zz" is not one of full, depthwise. Using full.',
      'From the link: biases: "1,2" is not 4 numbers separated by commas. Using 0,0,0,0.',
      'From the link: feature map must be a whole number from 0 to 3, got 7. Using 0.',
      'From the link: cell must be a whole number from 0 to 255, got 9999. Using 0.',
      'From the link: filters F must be a whole number from 1 to 4,096, got -2. Using 4.',
    ]);
  });
  it('a feature map the mode does not have', () => {
    const back = fromParams(
      new Map([
        ['mode', 'depthwise'],
        ['f', '3'],
      ]),
    );
    expect(back.settings).toEqual({ ...DEFAULTS, mode: 'depthwise', filter: 0 });
    expect(back.notes).toEqual([
      'From the link: feature map must be a whole number from 0 to 2 in depthwise mode, got 3. Using 0.',
    ]);
  });
  it('leaves the defaults out of the link', () => {
    expect(link(toParams(DEFAULTS, 0, COUNT_DEFAULTS)).size).toBe(0);
    expect(Object.fromEntries(link(toParams(DEFAULTS, 68, { ...COUNT_DEFAULTS, f: 8 })))).toEqual({
      step: '68',
      nf: '8',
    });
  });
});

describe('reduceChannels(state, action)', () => {
  const start: ChannelsState = initialState();

  it('a bias edit recomputes with it; a bad one keeps the last valid bias and says why', () => {
    const s = reduceChannels(start, { kind: 'bias', filter: 2, raw: '0.5' });
    expect(s.settings.biases).toEqual([0, 0, 0.5, 0]);
    expect(s.biasText).toEqual(['0', '0', '0.5', '0']);
    const bad = reduceChannels(s, { kind: 'bias', filter: 2, raw: 'abc' });
    expect(bad.settings).toBe(s.settings);
    expect(bad.biasText[2]).toBe('abc');
    expect(bad.biasErrors).toEqual({
      2: 'bias of filter 3: "abc" is not a number. The maps keep the last valid bias.',
    });
    expect(reduceChannels(bad, { kind: 'bias', filter: 2, raw: '−1' }).biasErrors).toEqual({});
  });
  it('switching the mode selects the first map; a map the mode lacks is clamped', () => {
    const s = reduceChannels(start, { kind: 'filter', filter: 3 });
    expect(s.settings.filter).toBe(3);
    const d = reduceChannels(s, { kind: 'mode', mode: 'depthwise' });
    expect(d.settings).toMatchObject({ mode: 'depthwise', filter: 0 });
    expect(reduceChannels(d, { kind: 'filter', filter: 3 }).settings.filter).toBe(2);
    expect(reduceChannels(d, { kind: 'mode', mode: 'depthwise' })).toBe(d);
  });
  it('steps stay on the 16 × 16 cells; the same step is the same state', () => {
    expect(reduceChannels(start, { kind: 'step', step: 68 }).step).toBe(68);
    expect(reduceChannels(start, { kind: 'step', step: 999 }).step).toBe(255);
    expect(reduceChannels(start, { kind: 'step', step: 0 })).toBe(start);
  });
  it('a size edit changes the counts; a bad size keeps the last valid one', () => {
    const s = reduceChannels(start, { kind: 'count', key: 'c', raw: '16' });
    expect(s.count.c).toBe(16);
    const bad = reduceChannels(s, { kind: 'count', key: 'k', raw: '0' });
    expect(bad.count).toBe(s.count);
    expect(bad.countErrors.k).toBe('kernel size k must be a whole number from 1 to 15, got 0.');
  });
});
