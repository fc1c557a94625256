import { describe, expect, it } from 'vitest';
import {
  announce,
  computeArith,
  footprint,
  formulaTex,
  paddingCells,
  stepCell,
  stepCount,
} from '../../../src/widgets/conv-arithmetic/arith';
import { DEFAULTS, FIELDS } from '../../../src/widgets/conv-arithmetic/settings';
import type { ArithSettings } from '../../../src/widgets/conv-arithmetic/settings';
import {
  FIX_COMBINATION,
  FIX_FIELD,
  fromParams,
  reduceArith,
  stateFor,
  toParams,
} from '../../../src/widgets/conv-arithmetic/state';
import type { ArithState } from '../../../src/widgets/conv-arithmetic/state';

/** The link's parameters as the page has them (left-out values are absent). */
const link = (p: Record<string, string | undefined>) =>
  new Map(Object.entries(p).filter((e): e is [string, string] => e[1] !== undefined));
const withS = (over: Partial<ArithSettings>): ArithSettings => ({ ...DEFAULTS, ...over });
function ok(s: ArithSettings) {
  const r = computeArith(s);
  if (!r.ok) throw new Error(r.message);
  return r;
}

describe('computeArith(settings) output sizes (hand-computed)', () => {
  it('H=7, k=3, s=2, p=1 → 4×4', () => {
    const r = ok(withS({ h: 7, w: 7, k: 3, sh: 2, sw: 2, pad: 1 }));
    expect([r.g.outHeight, r.g.outWidth]).toEqual([4, 4]);
  });
  it('H=5, k=3, d=2, p=0 → 1×1, the sum of the 9 dilated taps', () => {
    const r = ok(withS({ h: 5, w: 5, k: 3, sh: 1, sw: 1, pad: 0, d: 2 }));
    expect([r.g.outHeight, r.g.outWidth]).toEqual([1, 1]);
    // taps at rows/cols 0, 2, 4 of 1..25: (1+3+5) + (11+13+15) + (21+23+25) = 117
    expect(r.y.data[0]).toBe(117);
  });
  it("'same', stride 2, H=6: k=3 → 3 with pads [0,0,1,1]; k=2 → 3 with no padding", () => {
    const r3 = ok(withS({ h: 6, w: 6, k: 3, sh: 2, sw: 2, padMode: 'same' }));
    expect([r3.g.outHeight, r3.g.outWidth]).toEqual([3, 3]);
    expect(r3.g.pads).toEqual([0, 0, 1, 1]);
    const r2 = ok(withS({ h: 6, w: 6, k: 2, sh: 2, sw: 2, padMode: 'same' }));
    expect([r2.g.outHeight, r2.g.outWidth]).toEqual([3, 3]);
    expect(r2.g.pads).toEqual([0, 0, 0, 0]);
  });
  it('asymmetric pads and unequal strides: H=5, W=6, k=2, s=(1,3), pads [1,0,0,2] → 5×3', () => {
    const r = ok(
      withS({ h: 5, w: 6, k: 2, sh: 1, sw: 3, padMode: 'asymmetric', pads: [1, 0, 0, 2] }),
    );
    // rows: (5+1+0-2)/1+1 = 5; cols: floor((6+0+2-2)/3)+1 = 3
    expect([r.g.outHeight, r.g.outWidth]).toEqual([5, 3]);
  });
  it('output cell = sum of the numbered inputs under the footprint (H=7, k=3, s=2, p=1)', () => {
    const r = ok(withS({}));
    // out(0,0): padded rows -1..1, cols -1..1 → real cells (0,0),(0,1),(1,0),(1,1) = 1+2+8+9
    expect(r.y.data[0]).toBe(20);
    // out(1,1): rows 1..3, cols 1..3: 9+10+11 + 16+17+18 + 23+24+25 = 153
    expect(r.y.data[1 * 4 + 1]).toBe(153);
  });
});

describe('computeArith(settings) refusals', () => {
  it('stride 0: the engine message, on the stride control', () => {
    const r = computeArith(withS({ sh: 0 }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe('sh');
    expect(r.message).toContain('stride must be a positive integer, got 0');
  });
  it('horizontal stride 0 is put on the horizontal control', () => {
    const r = computeArith(withS({ sw: 0 }));
    expect(!r.ok && r.field).toBe('sw');
  });
  it('dilation 0 is put on the dilation control (found by the CnnError argument, not its words)', () => {
    const r = computeArith(withS({ d: 0 }));
    expect(!r.ok && r.field).toBe('d');
    expect(!r.ok && r.message).toContain('dilation must be a positive integer, got 0');
  });
  it('negative padding names the padding', () => {
    const r = computeArith(withS({ pad: -1 }));
    expect(!r.ok && r.field).toBe('pad');
    expect(!r.ok && r.message).toContain('padding must be a non-negative integer, got -1');
  });
  it('a dilated kernel wider than the padded input', () => {
    const r = computeArith(withS({ h: 5, w: 5, k: 3, d: 3, pad: 0 }));
    expect(!r.ok && r.field).toBe('k');
    expect(!r.ok && r.message).toContain('spans 7 px but the padded input is 5 px');
  });
  it("the widget's own drawing range", () => {
    const r = computeArith(withS({ h: 17 }));
    expect(!r.ok && r.field).toBe('h');
    expect(!r.ok && r.message).toBe(
      'input height H must be a whole number from 3 to 16 (the range this figure draws), got 17.',
    );
  });
  it("'same' in transpose mode gets the engine's refusal", () => {
    const r = computeArith(withS({ mode: 'transpose', padMode: 'same' }));
    expect(!r.ok && r.message).toContain("pads 'same' is not supported for transposed convolution");
  });
});

describe('FIELDS[control].parse(raw)', () => {
  it('reads whole numbers and names the field otherwise', () => {
    expect(FIELDS.sh.parse(' 3 ')).toEqual({ ok: true, value: 3 });
    expect(FIELDS.pad.parse('−1')).toEqual({ ok: true, value: -1 });
    expect(FIELDS.k.parse('abc')).toEqual({
      ok: false,
      error: 'kernel size k: "abc" is not a number.',
    });
    expect(FIELDS.k.parse('2.5')).toMatchObject({ ok: false, error: /must be a whole number/ });
  });
  it('passes a stride, dilation or padding below its range on, for the engine to refuse', () => {
    expect(FIELDS.sw.parse('0')).toEqual({ ok: true, value: 0 });
    expect(FIELDS.d.parse('-2')).toEqual({ ok: true, value: -2 });
    expect(FIELDS.sw.parse('5')).toEqual({
      ok: false,
      error:
        'horizontal stride must be a whole number from 1 to 4 (the range this figure draws), got 5.',
    });
    expect(FIELDS.k.parse('0')).toMatchObject({ ok: false });
  });
});

describe('steps, footprints and announcements', () => {
  it('stepCell(g, step) walks rows then columns', () => {
    const r = ok(withS({}));
    expect(stepCount(r)).toBe(16);
    expect(stepCell(r.g, 0)).toEqual({ row: 0, col: 0 });
    expect(stepCell(r.g, 6)).toEqual({ row: 1, col: 2 });
    expect(stepCell(r.g, 16)).toEqual({ row: 0, col: 0 });
  });
  it('footprint(g, row, col) skips the dilation gaps on the padded grid', () => {
    const r = ok(withS({ h: 5, w: 5, k: 2, sh: 1, sw: 1, pad: 0, d: 2 }));
    // padded grid 5 wide; taps at (0,0),(0,2),(2,0),(2,2) for output (0,0)
    expect(footprint(r.g, 0, 0)).toEqual([0, 2, 10, 12]);
    expect(footprint(r.g, 1, 2)).toEqual([7, 9, 17, 19]);
  });
  it('paddingCells(g) is the ring around the real input', () => {
    const r = ok(withS({ h: 3, w: 3, k: 1, sh: 1, sw: 1, pad: 1 }));
    expect(paddingCells(r.g)).toEqual([0, 1, 2, 3, 4, 5, 9, 10, 14, 15, 19, 20, 21, 22, 23, 24]);
  });
  it('announce(result, step) says where the footprint is and the value', () => {
    const r = ok(withS({}));
    expect(announce(r, 5)).toBe(
      'Step 6 of 16: output row 1, column 1 = 153. The 3×3 kernel covers input rows 1 to 3, columns 1 to 3.',
    );
    expect(announce(r, 0)).toContain('partly on the padding');
  });
});

describe('transposed convolution mode', () => {
  it('H=3, k=3, s=2, p=0 → 7×7; overlaps sum (hand-checked)', () => {
    const r = ok(withS({ mode: 'transpose', h: 3, w: 3, k: 3, sh: 2, sw: 2, pad: 0 }));
    expect(r.y.shape).toEqual([1, 1, 7, 7]);
    expect(stepCount(r)).toBe(9);
    // output (0,0) only from input (0,0) = 1; (0,2) from inputs (0,0) and (0,1) = 1 + 2
    expect(r.y.data[0]).toBe(1);
    expect(r.y.data[2]).toBe(3);
    // (2,2) from inputs (0,0),(0,1),(1,0),(1,1) = 1+2+4+5
    expect(r.y.data[2 * 7 + 2]).toBe(12);
    // input (1,1) scatters onto output rows 2..4, cols 2..4
    expect(footprint(r.g, 1, 1)).toEqual([16, 17, 18, 23, 24, 25, 30, 31, 32]);
  });
  it('padding crops the output: p=1 → 5×5', () => {
    const r = ok(withS({ mode: 'transpose', h: 3, w: 3, k: 3, sh: 2, sw: 2, pad: 1 }));
    expect(r.y.shape).toEqual([1, 1, 5, 5]);
    expect(r.full).toEqual([7, 7]);
    expect(formulaTex(r, 'h')).toContain('= 5');
  });
});

describe('URL state', () => {
  it('round-trips through toParams / fromParams', () => {
    const s = withS({
      h: 9,
      w: 6,
      k: 2,
      sh: 3,
      sw: 1,
      padMode: 'asymmetric',
      pads: [0, 1, 2, 0],
      d: 2,
    });
    const back = fromParams(link(toParams(s, 4)));
    expect(back.notes).toEqual([]);
    expect(back.step).toBe(4);
    expect(back.settings).toMatchObject({
      h: 9,
      w: 6,
      k: 2,
      sh: 3,
      sw: 1,
      pads: [0, 1, 2, 0],
      d: 2,
    });
  });
  it('tolerates garbage: defaults for what it cannot read, and says so', () => {
    const back = fromParams(
      new Map([
        ['h', 'abc'],
        ['s', '2x'],
        ['pad', 'same'],
        ['step', '-3'],
        ['mode', 'x'],
      ]),
    );
    expect(back.settings.h).toBe(DEFAULTS.h);
    expect(back.settings.padMode).toBe('same');
    expect(back.notes).toEqual([
      'From the link: mode: "x" is not one of conv, transpose. Using conv.',
      'From the link: input height H: "abc" is not a number. Using 7.',
      'From the link: stride: "2x" is not a number or a pair like 2x1. Using 2.',
      'From the link: step must be a whole number from 0 to 999, got -3. Using 0.',
    ]);
  });
  it('an impossible combination falls back to the defaults with the reason', () => {
    const back = fromParams(
      new Map([
        ['k', '7'],
        ['d', '4'],
        ['pad', '0'],
      ]),
    );
    expect(back.settings).toEqual(DEFAULTS);
    expect(back.notes.at(-1)).toMatch(/spans 25 px/);
  });
  it('clamps a step past the end', () => {
    expect(fromParams(new Map([['step', '999']])).step).toBe(15);
  });
});

describe('formulaTex(result, axis)', () => {
  it('substitutes the reader numbers and ends with the geometry output', () => {
    const r = ok(withS({}));
    expect(formulaTex(r, 'h')).toContain(
      '\\frac{7 + 1 + 1 - 1\\cdot(3-1) - 1}{2} \\right\\rfloor + 1 = 4',
    );
  });
});

describe('toParams(settings, step)', () => {
  it('leaves the defaults out and keeps the old keys', () => {
    expect(link(toParams(DEFAULTS, 0)).size).toBe(0);
    expect(
      Object.fromEntries(link(toParams(withS({ sh: 3, sw: 1, padMode: 'same', d: 2 }), 5))),
    ).toEqual({
      s: '3x1',
      pad: 'same',
      d: '2',
      step: '5',
    });
  });
});

describe('reduceArith(state, action)', () => {
  const start: ArithState = stateFor(DEFAULTS);
  const edit = (s: ArithState, control: keyof typeof FIELDS, raw: string) =>
    reduceArith(s, { kind: 'edit', control, raw });

  it('starts on the controls of its settings, at step 0 of its walk', () => {
    expect(start.text.h).toBe('7');
    expect(start.text['pads-bottom']).toBe('1');
    expect(start.walk).toEqual({ count: 16, cols: 4 });
    expect(stateFor(DEFAULTS, 99).step).toBe(15);
  });
  it('a valid edit draws the new settings from step 0', () => {
    const moved = reduceArith(start, { kind: 'step', step: 6 });
    const s = edit(moved, 'sh', '1');
    expect(s.settings).toMatchObject({ sh: 1, sw: 2 });
    expect(s.walk).toEqual({ count: 28, cols: 4 });
    expect(s.step).toBe(0);
    expect(s.message).toBe('');
  });
  it('text that is not a number keeps the last valid settings and names the field', () => {
    const s = edit(start, 'k', 'abc');
    expect(s.settings).toBe(start.settings);
    expect(s.text.k).toBe('abc');
    expect(s.errors).toEqual({ k: 'kernel size k: "abc" is not a number.' });
    expect(s.message).toBe(FIX_FIELD);
    const fixed = edit(s, 'k', '3');
    expect(fixed.errors).toEqual({});
    expect(fixed.message).toBe('');
  });
  it("stride 0 gets the engine's message on the stride control", () => {
    const s = edit(start, 'sh', '0');
    expect(s.errors.sh).toContain('stride must be a positive integer, got 0');
    expect(s.message).toBe(FIX_COMBINATION);
    expect(s.settings).toBe(start.settings);
  });
  it('asymmetric padding reads the four sides; a bad side goes on their shared line', () => {
    const asym = reduceArith(start, { kind: 'padMode', padMode: 'asymmetric' });
    expect(asym.settings.pads).toEqual([1, 1, 1, 1]);
    const s = edit(asym, 'pads-right', '9');
    expect(s.errors.pads).toBe(
      'right padding must be a whole number from 0 to 6 (the range this figure draws), got 9.',
    );
    expect(edit(s, 'pads-right', '0').settings.pads).toEqual([1, 1, 1, 0]);
  });
  it("'same' in transpose mode: the engine's refusal by the padding select", () => {
    const same = reduceArith(start, { kind: 'padMode', padMode: 'same' });
    const s = reduceArith(same, { kind: 'mode', mode: 'transpose' });
    expect(s.mode).toBe('transpose');
    expect(s.settings.mode).toBe('conv');
    expect(s.errors.padMode).toContain("pads 'same' is not supported for transposed convolution");
  });
  it('a step is clamped to the walk; the same step is the same state', () => {
    expect(reduceArith(start, { kind: 'step', step: 40 }).step).toBe(15);
    expect(reduceArith(start, { kind: 'step', step: 0 })).toBe(start);
    expect(edit(start, 'h', '7')).toBe(start);
  });
});
