import { describe, expect, it } from 'vitest';
import { maxPool2d } from '../../../src/cnn/index.ts';
import {
  changed,
  clampStep,
  DEFAULT_SETTINGS,
  FIELDS,
  geometry,
  gridText,
  initialPool,
  parseGrid,
  poolParams,
  reducePool,
  shiftRight,
  stepKey,
  TIES_PRESET,
} from '../../../src/widgets/pooling/state';
import type { Grid, PoolControls, PoolSettings } from '../../../src/widgets/pooling/state';
import { describeStep, stepToCell } from '../../../src/widgets/pooling/step';

const ties = (parseGrid(TIES_PRESET) as { value: Grid }).value;
const max2: PoolSettings = { mode: 'max', k: 2, s: 2, p: 0, countIncludePad: false };

function step(grid: Grid, s: PoolSettings, n: number) {
  const r = geometry(grid, s);
  if (!('g' in r)) throw new Error(r.error);
  return describeStep(grid, s, r.g, n);
}

describe('parseGrid(text)', () => {
  it('reads rows by line or semicolon', () => {
    expect(parseGrid('1 2; 3 -4')).toEqual({
      ok: true,
      value: { rows: 2, cols: 2, data: Float32Array.from([1, 2, 3, -4]) },
    });
    expect(parseGrid('1,2\n3,4')).toMatchObject({ ok: true });
  });
  it('names the bad cell or row, counted from 0', () => {
    expect(parseGrid('1 2\n3 abc')).toEqual({
      ok: false,
      error: 'input grid: row 1, column 1: "abc" is not a number.',
    });
    expect(parseGrid('1 2\n3')).toEqual({
      ok: false,
      error: 'input grid: row 1 has 1 numbers but row 0 has 2; every row needs the same count.',
    });
    expect(parseGrid('  ')).toHaveProperty('error');
    expect(parseGrid(Array(13).fill('1').join('\n'))).toHaveProperty('error');
  });
  it('round-trips through gridText', () => {
    expect(gridText(ties)).toBe(TIES_PRESET);
  });
});

describe('describeStep on the ties grid (2×2 max, stride 2)', () => {
  it('out(0,2): window 4 4 / 4 0 → 4 from the FIRST 4, input (0,4)', () => {
    const v = step(ties, max2, 2);
    expect(v.value).toBe(4);
    expect(v.winner).toEqual({ row: 0, col: 4 });
    expect(v.text).toBe(
      'Output cell row 0, column 2: max of 4, 4, 4, 0 is 4, taken from input row 0, column 4 (the first of 3 equal maxima, reading row by row).',
    );
  });
  it('out(1,1): 6 6 / 6 1 → (2,2); out(2,0): 7 0 / 0 7 → (4,0); out(2,2): 5 5 / 5 2 → (4,4)', () => {
    expect(step(ties, max2, 4).winner).toEqual({ row: 2, col: 2 });
    expect(step(ties, max2, 6).winner).toEqual({ row: 4, col: 0 });
    expect(step(ties, max2, 8).winner).toEqual({ row: 4, col: 4 });
  });
  it('the whole pooled map: 5 2 4 / 2 6 3 / 7 1 5', () => {
    const y = maxPool2d({ shape: [1, 1, 6, 6], data: ties.data }, { kernelShape: 2 });
    expect([...y.data]).toEqual([5, 2, 4, 2, 6, 3, 7, 1, 5]);
  });
});

describe('describeStep for average pooling with padding (3×3, stride 1, padding 1)', () => {
  const avg: PoolSettings = { mode: 'avg', k: 3, s: 1, p: 1, countIncludePad: false };
  it('corner (0,0): (1 + 3 + 5 + 3) / 4 = 3', () => {
    const v = step(ties, avg, 0);
    expect(v.value).toBe(3);
    expect(v.count).toBe(4);
    expect(v.text).toBe(
      'Output cell row 0, column 0: (1 + 3 + 5 + 3) / 4 = 3 (the 5 padded cells are left out).',
    );
  });
  it('counting padded cells: 12 / 9', () => {
    const v = step(ties, { ...avg, countIncludePad: true }, 0);
    expect(v.value).toBeCloseTo(12 / 9, 6);
    expect(v.count).toBe(9);
  });
  it('an inner cell (1,1) is the same either way: (1+3+2+5+3+1+0+2+6)/9 = 23/9', () => {
    expect(step(ties, avg, 7).value).toBeCloseTo(23 / 9, 6);
    expect(step(ties, { ...avg, countIncludePad: true }, 7).value).toBeCloseTo(23 / 9, 6);
  });
});

describe('geometry: the reference engine’s messages', () => {
  it('window 0', () => {
    expect(geometry(ties, { ...max2, k: 0 })).toEqual({
      error: expect.stringContaining('kernel size must be a positive integer, got 0'),
    });
  });
  it('padding as large as the window', () => {
    expect(geometry(ties, { ...max2, p: 2 })).toEqual({
      error: expect.stringContaining('padding must be smaller than the 2×2 window'),
    });
  });
  it('a window larger than the grid', () => {
    expect(geometry(ties, { ...max2, k: 7 })).toHaveProperty('error');
  });
  it('5×5 input, 2×2 stride 2 → 2×2 (floor)', () => {
    const g = parseGrid('1 1 1 1 1;1 1 1 1 1;1 1 1 1 1;1 1 1 1 1;1 1 1 1 1') as { value: Grid };
    const r = geometry(g.value, max2) as { g: { outHeight: number; outWidth: number } };
    expect([r.g.outHeight, r.g.outWidth]).toEqual([2, 2]);
  });
});

describe('stepper', () => {
  it('step ↔ cell', () => {
    expect(stepToCell(5, 3)).toEqual({ row: 1, col: 2 });
    expect(clampStep(99, 9)).toBe(8);
    expect(clampStep(-1, 9)).toBe(0);
  });
  it('keys', () => {
    expect(stepKey('ArrowRight', 8, 9)).toBe(8);
    expect(stepKey('ArrowLeft', 3, 9)).toBe(2);
    expect(stepKey('End', 0, 9)).toBe(8);
    expect(stepKey(' ', 0, 9)).toBe('toggle');
    expect(stepKey('x', 0, 9)).toBeNull();
  });
});

describe('translation tolerance', () => {
  it('shiftRight moves columns and zero-fills', () => {
    const g = (parseGrid('1 2 3;4 5 6') as { value: Grid }).value;
    expect([...shiftRight(g).data]).toEqual([0, 1, 2, 0, 4, 5]);
  });
  it('on a 1×4 row [9 0 0 0], a 1-px shift changes 2 of 4 cells but 0 of 2 max-pooled (1×2) cells', () => {
    const g = (parseGrid('9 0 0 0') as { value: Grid }).value;
    const s = shiftRight(g);
    expect(changed(g.data, s.data)).toEqual([0, 1]);
    const pool = (x: Float32Array) =>
      maxPool2d({ shape: [1, 1, 1, 4], data: x }, { kernelShape: [1, 2] }).data;
    expect([...pool(g.data)]).toEqual([9, 0]);
    expect([...pool(s.data)]).toEqual([9, 0]);
    expect(changed(pool(g.data), pool(s.data))).toEqual([]);
  });
});

describe('URL state', () => {
  const crop = (parseGrid('1 2 3 4;5 6 7 8;9 10 11 12;13 14 15 16') as { value: Grid }).value;
  it('round-trips, leaving out the defaults and the page’s crop', () => {
    const s: PoolSettings = { mode: 'avg', k: 3, s: 1, p: 1, countIncludePad: true };
    const link = {
      mode: 'avg',
      k: '3',
      s: '1',
      p: '1',
      inc: '1',
      x: TIES_PRESET.replace(/\n/g, ';'),
      step: '4',
    };
    const { state, notes } = initialPool(new Map(Object.entries(link)), crop);
    expect(notes).toEqual([]);
    expect(state.settings).toEqual(s);
    expect(gridText(state.grid)).toBe(TIES_PRESET);
    expect(state.step).toBe(4);
    expect(poolParams(state)).toEqual(link);
    const plain = initialPool(new Map(), crop).state;
    expect(plain.settings).toEqual(DEFAULT_SETTINGS);
    expect(Object.values(poolParams(plain)).filter(Boolean)).toEqual([]);
  });
  it('tolerates garbage', () => {
    const { state, notes } = initialPool(
      new Map([
        ['mode', 'min'],
        ['k', '0'],
        ['s', 'abc'],
        ['p', '-1'],
        ['inc', 'yes'],
        ['x', '1 2;3'],
        ['step', '-2'],
      ]),
      crop,
    );
    expect(state.settings).toEqual(DEFAULT_SETTINGS);
    expect(state.grid).toBe(crop);
    expect(state.step).toBe(0);
    expect(notes).toHaveLength(7);
    expect(notes[0]).toBe('From the link: pooling: "min" is not one of max, avg. Using max.');
  });
  it('settings that do not fit the grid fall back to 2×2, stride 2, with a note', () => {
    const { state, notes } = initialPool(new Map([['k', '7']]), crop);
    expect([state.settings.k, state.settings.s]).toEqual([2, 2]);
    expect(notes[0]).toContain('do not fit this grid');
  });
  it('the fields name the setting, quote the value and state the rule', () => {
    expect(FIELDS.s.parse(' 3 ')).toEqual({ ok: true, value: 3 });
    expect(FIELDS.s.parse('1.5')).toEqual({
      ok: false,
      error: 'stride must be a whole number from 1 to 12, got 1.5.',
    });
    expect(FIELDS.s.parse('abc')).toEqual({ ok: false, error: 'stride: "abc" is not a number.' });
  });
});

describe('reducePool(state, action)', () => {
  const start = initialPool(new Map(), ties).state;
  const controls: PoolControls = {
    grid: TIES_PRESET,
    mode: 'max',
    k: '2',
    s: '2',
    p: '0',
    inc: false,
  };
  it('steps within the output, clamped; the same step is no change', () => {
    expect(reducePool(start, { kind: 'step', step: 4 }).step).toBe(4);
    expect(reducePool(start, { kind: 'step', step: 99 }).step).toBe(8);
    expect(reducePool(start, { kind: 'step', step: 0 })).toBe(start);
  });
  it('a window of 0 keeps the last valid settings and says why', () => {
    const bad = reducePool(start, { kind: 'edit', controls: { ...controls, k: '0' } });
    expect(bad.settings).toBe(start.settings);
    expect(bad.errors.settings).toBe(
      'window size k must be a whole number from 1 to 12, got 0. The figures show the last valid settings.',
    );
    expect(bad.invalid).toEqual(['k']);
  });
  it('the engine’s geometry errors are the messages; a valid edit clears them', () => {
    const bad = reducePool(start, { kind: 'edit', controls: { ...controls, p: '2' } });
    expect(bad.errors.settings).toContain('padding must be smaller than the 2×2 window');
    expect(bad.invalid).toEqual(['k', 's', 'p']);
    const good = reducePool(bad, {
      kind: 'edit',
      controls: { ...controls, k: '3', s: '1', p: '1', mode: 'avg' },
    });
    expect(good.errors).toEqual({});
    expect([good.g.outHeight, good.g.outWidth]).toEqual([6, 6]);
  });
  it('a bad grid keeps the last grid; the step is clamped to a smaller output', () => {
    const at8 = reducePool(start, { kind: 'step', step: 8 });
    const bad = reducePool(at8, { kind: 'edit', controls: { ...controls, grid: '1 2\n3 x' } });
    expect(bad.grid).toBe(start.grid);
    expect(bad.errors.grid).toContain('row 1, column 1');
    const small = reducePool(at8, { kind: 'edit', controls: { ...controls, grid: '1 2;3 4' } });
    expect(small.step).toBe(0);
    expect(small.g.outHeight * small.g.outWidth).toBe(1);
  });
});
