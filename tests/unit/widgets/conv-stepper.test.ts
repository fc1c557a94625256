import { describe, expect, it } from 'vitest';
import { stepperModel } from '../../../src/widgets/conv-stepper/model';
import { createSession } from '../helpers/ort-node';
import { checkUpload } from '../../../src/widgets/shared/upload-check';
import {
  PRESETS,
  PRESETS_5,
  presetForSize,
  SMALL,
  STEPS,
  announcement,
  cellToStep,
  cellTrace,
  clampStep,
  downsample2,
  effectiveKernel,
  featureMap,
  flipKernel,
  fullTrace,
  initState,
  kernelCell,
  matchPreset,
  parseUrlState,
  reduce,
  speaks,
  stateParams,
  stepForInputCell,
  stepForKey,
  stepToCell,
  sumLine,
  traceEquation,
  urlParams,
  windowIndices,
} from '../../../src/widgets/conv-stepper/state';

const params = (o: Record<string, string>) => new Map(Object.entries(o));

/** A 14×14 image that is 0 everywhere except the cells given as [row, col, value]. */
function small(cells: [number, number, number][]): Float32Array {
  const img = new Float32Array(SMALL * SMALL);
  for (const [r, c, v] of cells) img[r * SMALL + c] = v;
  return img;
}

describe('kernelCell(row, col).parse(text)', () => {
  it('accepts numbers, a Unicode minus and a decimal comma', () => {
    expect(kernelCell(0, 0).parse('0.25')).toEqual({ ok: true, value: 0.25 });
    expect(kernelCell(0, 0).parse(' −2 ')).toEqual({ ok: true, value: -2 });
    expect(kernelCell(0, 0).parse('1,5')).toEqual({ ok: true, value: 1.5 });
  });
  it('names the cell (0-based) and echoes the text for "abc", empty text, Infinity and huge values', () => {
    expect(kernelCell(1, 0).parse('abc')).toEqual({
      ok: false,
      error: 'kernel cell (row 1, col 0): "abc" is not a number.',
    });
    expect(kernelCell(2, 2).parse('')).toMatchObject({ ok: false });
    expect(kernelCell(0, 1).parse('Infinity')).toMatchObject({ ok: false });
    expect(kernelCell(0, 1).parse('1e9')).toEqual({
      ok: false,
      error: 'kernel cell (row 0, col 1) must be between -100 and 100, got 1e9.',
    });
  });
});

describe('presets and flipping', () => {
  it('has the eight presets, each 3×3; the blurs sum to 1 and the edge kernels to 0', () => {
    expect(PRESETS.map((p) => p.id)).toEqual([
      'identity',
      'box',
      'gaussian',
      'sharpen',
      'vertical',
      'horizontal',
      'sobel-x',
      'sobel-y',
    ]);
    for (const p of PRESETS) expect(p.values).toHaveLength(9);
    const sum = (id: string) => PRESETS.find((p) => p.id === id)!.values.reduce((a, b) => a + b);
    expect(sum('gaussian')).toBe(1);
    expect(sum('box')).toBeCloseTo(1, 3);
    expect(sum('sharpen')).toBe(1);
    for (const id of ['vertical', 'horizontal', 'sobel-x', 'sobel-y']) expect(sum(id)).toBe(0);
  });
  it('flipKernel rotates by 180°; true convolution uses it, cross-correlation does not', () => {
    const k = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(flipKernel(k)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(effectiveKernel(k, 'xcorr')).toEqual(k);
    expect(effectiveKernel(k, 'conv')).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    const sobelX = PRESETS.find((p) => p.id === 'sobel-x')!.values;
    expect(flipKernel(sobelX)).toEqual(sobelX.map((v) => -v || 0));
  });
  it('matchPreset finds a preset by value and nothing for an edited kernel', () => {
    expect(matchPreset([0, 0, 0, 0, 1, 0, 0, 0, 0])?.id).toBe('identity');
    expect(matchPreset([0, 0, 0, 0, 2, 0, 0, 0, 0])).toBeUndefined();
  });
});

describe('steps', () => {
  it('stepToCell / cellToStep walk the 14×14 output row by row', () => {
    expect(STEPS).toBe(196);
    expect(stepToCell(0)).toEqual({ row: 0, col: 0 });
    expect(stepToCell(15)).toEqual({ row: 1, col: 1 });
    expect(stepToCell(195)).toEqual({ row: 13, col: 13 });
    expect(cellToStep(1, 1)).toBe(15);
    expect(clampStep(500)).toBe(195);
    expect(clampStep(-3)).toBe(0);
    expect(clampStep(Number.NaN)).toBe(0);
  });
  it('stepForKey: arrows step by one cell or one row, Home/End jump, Space toggles, other keys are ignored', () => {
    expect(stepForKey('ArrowRight', 5)).toBe(6);
    expect(stepForKey('ArrowLeft', 0)).toBe(0);
    expect(stepForKey('ArrowDown', 5)).toBe(19);
    expect(stepForKey('ArrowUp', 19)).toBe(5);
    // grid-nav's one model: ↑ on the top row (and ↓ on the bottom one) stays in its column.
    expect(stepForKey('ArrowUp', 5)).toBe(5);
    expect(stepForKey('ArrowDown', 190)).toBe(190);
    expect(stepForKey('End', 5)).toBe(195);
    expect(stepForKey('Home', 100)).toBe(0);
    expect(stepForKey(' ', 100)).toBe('toggle');
    expect(stepForKey('x', 5)).toBeNull();
  });
});

describe('cellTrace(small, kernel, bias, step): the written-out multiply-add', () => {
  it('matches the lesson example: Sobel x on a stroke edge, bias −0.5 → 2.9', () => {
    // The window of output (row 5, col 5) is input rows 4…6, cols 4…6 (padding 1).
    const img = small([
      [4, 4, 0.1],
      [4, 5, 0.4],
      [4, 6, 0.9],
      [5, 4, 0],
      [5, 5, 0.6],
      [5, 6, 1],
      [6, 4, 0.2],
      [6, 5, 0.5],
      [6, 6, 0.8],
    ]);
    const sobelX = PRESETS.find((p) => p.id === 'sobel-x')!.values;
    const t = cellTrace(img, sobelX, -0.5, cellToStep(5, 5));
    // −0.1 + 0.9 − 0 + 2·1 − 0.2 + 0.8 − 0.5 = 2.9 (by hand)
    expect(t.sum).toBeCloseTo(2.9, 6);
    const hand = [-0.1, 0, 0.9, 0, 0, 2, -0.2, 0, 0.8];
    t.terms.forEach((term, i) => expect(term.product).toBeCloseTo(hand[i], 6));
    expect(windowIndices(t)).toEqual([60, 61, 62, 74, 75, 76, 88, 89, 90]);
    expect(traceEquation(t)).toBe(
      '0.1·−1 + 0.4·0 + 0.9·1 + 0·−2 + 0.6·0 + 1·2 + 0.2·−1 + 0.5·0 + 0.8·1 + −0.5 = 2.9',
    );
    expect(announcement(cellToStep(5, 5), t)).toBe('Cell 76 of 196: output row 5, column 5 = 2.9');
    expect(sumLine(t)).toBe(
      'y(5, 5) = −0.1 + 0 + 0.9 + 0 + 0 + 2 + −0.2 + 0 + 0.8 + bias −0.5 = 2.9',
    );
    // The same number as the forward op's feature map at that cell.
    expect(featureMap(img, SMALL, sobelX, -0.5)[cellToStep(5, 5)]).toBe(t.sum);
  });
  it('marks taps in the zero padding at the corner and leaves them out of the window', () => {
    const img = small([
      [0, 0, 1],
      [0, 1, 2],
      [1, 0, 3],
      [1, 1, 4],
    ]);
    const t = cellTrace(img, [1, 1, 1, 1, 1, 1, 1, 1, 1], 0, 0);
    expect(t.terms.filter((x) => x.inPadding)).toHaveLength(5);
    expect(windowIndices(t)).toEqual([0, 1, 14, 15]);
    expect(t.sum).toBe(10); // 1 + 2 + 3 + 4
  });
  it('on the input drawn with its ring, the first window is a full 3 × 3 in the corner', () => {
    const t = cellTrace(small([]), [1, 1, 1, 1, 1, 1, 1, 1, 1], 0, 0);
    // 16 columns: ring cells (0,0) (0,1) (0,2) (1,0) (2,0), image cells at (1,1) (1,2) (2,1) (2,2)
    expect(windowIndices(t, SMALL, 1)).toEqual([0, 1, 2, 16, 17, 18, 32, 33, 34]);
    const t5 = cellTrace(small([]), new Array(25).fill(1), 0, cellToStep(13, 13));
    // 5 × 5 with a ring 2 wide: 18 columns; the last window's corner is (17, 17) = 323
    const w5 = windowIndices(t5, SMALL, 2);
    expect(w5).toHaveLength(25);
    expect(w5[0]).toBe(13 * 18 + 13);
    expect(w5[24]).toBe(17 * 18 + 17);
  });
  it('a click on the padded input goes to the output cell centred there; the ring, to the nearest', () => {
    expect(stepForInputCell(9 * 16 + 7, 1)).toBe(cellToStep(8, 6));
    expect(stepForInputCell(0, 1)).toBe(0); // the ring's corner → pixel (0, 0)
    expect(stepForInputCell(16 * 16 - 1, 1)).toBe(STEPS - 1);
    expect(stepForInputCell(2 * 18 + 17, 2)).toBe(cellToStep(0, 13)); // ring, right of row 0
  });
  it('true convolution = cross-correlation with the flipped kernel (hand example)', () => {
    const img = small([[5, 6, 1]]); // one ink pixel right of the centre of output (5, 5)
    const k = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    // Cross-correlation: the pixel sits under k[1][2] = 6. True convolution: under k̃[1][2] = k[1][0] = 4.
    expect(cellTrace(img, effectiveKernel(k, 'xcorr'), 0, cellToStep(5, 5)).sum).toBe(6);
    expect(cellTrace(img, effectiveKernel(k, 'conv'), 0, cellToStep(5, 5)).sum).toBe(4);
  });
});

describe('fullTrace(image, kernel, bias, index)', () => {
  it('writes out a cell of the full 28×28 map, equal to the forward op there', () => {
    const img = new Float32Array(28 * 28);
    img[10 * 28 + 11] = 0.5; // one pixel right of the centre of output (10, 10)
    img[11 * 28 + 10] = 0.25; // one pixel below it
    const sobelX = PRESETS.find((p) => p.id === 'sobel-x')!.values;
    const t = fullTrace(img, sobelX, 0.1, 10 * 28 + 10);
    // 0.5 under k[1][2] = 2, 0.25 under k[2][1] = 0: 1 + 0 + 0.1 = 1.1
    expect(t.sum).toBeCloseTo(1.1, 6);
    expect(windowIndices(t, 28)).toEqual([261, 262, 263, 289, 290, 291, 317, 318, 319]);
    expect(featureMap(img, 28, sobelX, 0.1)[10 * 28 + 10]).toBe(t.sum);
    expect(fullTrace(img, sobelX, 0, 99999).row).toBe(27); // clamped, never throws
  });
});

describe('downsample2(image)', () => {
  it('averages 2×2 blocks of the 28×28 image', () => {
    const img = new Float32Array(28 * 28);
    img[0] = 1;
    img[1] = 0.5;
    img[28] = 0.5;
    img[29] = 0;
    img[28 * 27 + 27] = 1;
    const out = downsample2(img);
    expect(out).toHaveLength(196);
    expect(out[0]).toBe(0.5);
    expect(out[195]).toBe(0.25);
  });
  it('rejects a wrongly sized image with its size in the message', () => {
    expect(() => downsample2(new Float32Array(10))).toThrow(/got 10 values for side 28/);
  });
});

describe('parseUrlState(params, samples)', () => {
  it('gives the defaults for an empty link', () => {
    const s = parseUrlState(params({}), 4);
    expect(s).toMatchObject({ bias: 0, mode: 'xcorr', step: 0, digit: 0, speed: 5, notes: [] });
    expect(s.kernel).toEqual([-1, 0, 1, -1, 0, 1, -1, 0, 1]);
  });
  it('restores a shared state and round-trips through urlParams', () => {
    const s = parseUrlState(
      params({ k: '1,2,3,4,5,6,7,8,9', b: '-0.5', m: 'conv', s: '40', d: '3', v: '10' }),
      4,
    );
    expect(s).toEqual({
      kernel: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      bias: -0.5,
      mode: 'conv',
      step: 39,
      digit: 2,
      speed: 10,
      notes: [],
    });
    const back = urlParams(s);
    expect(back).toEqual({
      preset: undefined,
      k: '1,2,3,4,5,6,7,8,9',
      b: '-0.5',
      m: 'conv',
      s: '40',
      d: '3',
      v: '10',
    });
    const again = parseUrlState(
      new Map(Object.entries(back).filter((e): e is [string, string] => e[1] !== undefined)),
      4,
    );
    expect(again).toEqual(s);
  });
  it('writes a preset kernel as its id', () => {
    const s = parseUrlState(params({ preset: 'sobel-y' }), 4);
    expect(s.kernel).toEqual([-1, -2, -1, 0, 0, 0, 1, 2, 1]);
    expect(urlParams(s).preset).toBe('sobel-y');
    expect(urlParams(s).k).toBeUndefined();
  });
  it('tolerates garbage: every bad value falls back to its default with a note', () => {
    const s = parseUrlState(
      params({
        k: '1,abc,3,4,5,6,7,8,9',
        preset: '<script>',
        b: 'NaN',
        m: 'upside-down',
        s: '9999',
        d: '-1',
        v: '7',
      }),
      4,
    );
    expect(s).toMatchObject({ bias: 0, mode: 'xcorr', step: 0, digit: 0, speed: 5 });
    expect(s.kernel).toEqual([-1, 0, 1, -1, 0, 1, -1, 0, 1]);
    expect(s.notes).toHaveLength(7);
    expect(s.notes.join(' ')).toContain('kernel cell (row 0, col 1): "abc" is not a number.');
    expect(s.notes.join(' ')).toContain(
      'From the link: cell must be a whole number from 1 to 196, got 9999. Using 1.',
    );
    expect(s.notes.join(' ')).toContain('kernel preset: "<script>" is not one of identity, box');
    expect(s.notes.join(' ')).toContain(
      'speed (cells per second): "7" is not one of 1, 2, 5, 10, 20.',
    );
    expect(parseUrlState(params({ k: '1,2,3' }), 4).notes[0]).toContain(
      'kernel must be 9 numbers (3×3, row by row), got 3.',
    );
    expect(parseUrlState(params({ s: 'x'.repeat(5000) }), 4).notes[0].length).toBeLessThan(200);
  });
});

describe('checkUpload(type, name, bytes) for the stepper’s digit upload', () => {
  it('accepts images and names the file otherwise', () => {
    expect(checkUpload('image/png', 'a.png', 1000)).toBeNull();
    expect(checkUpload('application/pdf', 'notes.pdf', 1000)).toBe(
      '“notes.pdf” is not an image (type application/pdf); choose a PNG, JPEG, GIF, WebP or BMP file.',
    );
    expect(checkUpload('', 'x', 1000)).toContain('type unknown');
  });
});

describe('stepperModel() on onnxruntime-web (Node, wasm)', () => {
  it('computes both maps like the reference, for cross-correlation and for the flipped kernel', async () => {
    const session = await createSession(stepperModel());
    const image = Float32Array.from({ length: 28 * 28 }, (_, i) => ((i * 37) % 101) / 100);
    const small = downsample2(image);
    const sobelX = PRESETS.find((p) => p.id === 'sobel-x')!.values;
    for (const mode of ['xcorr', 'conv'] as const) {
      const k = effectiveKernel(sobelX, mode);
      const out = await session.run({
        x: { shape: [1, 1, 28, 28], data: image },
        xSmall: { shape: [1, 1, 14, 14], data: small },
        kernel: { shape: [1, 1, 3, 3], data: Float32Array.from(k) },
        bias: { shape: [1], data: Float32Array.of(0.25) },
      });
      const full = featureMap(image, 28, k, 0.25);
      const part = featureMap(small, SMALL, k, 0.25);
      expect(out.featureMap.shape).toEqual([1, 1, 28, 28]);
      expect(out.stepperMap.shape).toEqual([1, 1, 14, 14]);
      for (let i = 0; i < full.length; i++) expect(out.featureMap.data[i]).toBeCloseTo(full[i], 5);
      for (let i = 0; i < part.length; i++) expect(out.stepperMap.data[i]).toBeCloseTo(part[i], 5);
    }
    await session.release();
  });
});

describe('5×5 kernels', () => {
  it('has 5×5 presets of 25 values; blurs sum to 1, edges to 0; flipping reverses', () => {
    for (const p of PRESETS_5) expect(p.values).toHaveLength(25);
    const sum = (id: string) => PRESETS_5.find((p) => p.id === id)!.values.reduce((a, b) => a + b);
    expect(sum('gaussian-5')).toBe(1);
    expect(sum('box-5')).toBeCloseTo(1, 9);
    expect(sum('vertical-5')).toBe(0);
    const k = Array.from({ length: 25 }, (_, i) => i);
    expect(flipKernel(k)).toEqual(k.map((_, i) => 24 - i));
    expect(matchPreset(PRESETS_5[2].values)?.id).toBe('gaussian-5');
    expect(presetForSize('vertical', 5).id).toBe('vertical-5');
    expect(presetForSize('sobel-x', 5).id).toBe('identity-5');
    expect(presetForSize('gaussian-5', 3).id).toBe('gaussian');
  });
  it('pads by 2 so the output keeps 14×14; a corner cell sums the 3×3 inside the image (hand)', () => {
    const img = small([
      [0, 0, 1],
      [0, 2, 2],
      [2, 2, 3],
      [3, 3, 5], // outside the corner window (row 3)
    ]);
    const ones = Array.from({ length: 25 }, () => 1);
    const t = cellTrace(img, ones, 0.5, 0);
    expect(t.terms).toHaveLength(25);
    expect(t.terms.filter((x) => x.inPadding)).toHaveLength(16);
    expect(t.sum).toBe(6.5); // 1 + 2 + 3 + bias 0.5
    expect(featureMap(img, SMALL, ones, 0.5)).toHaveLength(196);
    // Identity 5×5 copies the pixel under its centre.
    expect(cellTrace(img, PRESETS_5[0].values, 0, cellToStep(2, 2)).sum).toBe(3);
  });
  it('reads n=5 from the link with a 25-number kernel, and notes a size/kernel mismatch', () => {
    const k25 = Array.from({ length: 25 }, (_, i) => (i === 12 ? 2 : 0));
    const s = parseUrlState(params({ n: '5', k: k25.join(',') }), 4);
    expect(s.kernel).toEqual(k25);
    expect(s.notes).toEqual([]);
    expect(urlParams(s)).toMatchObject({ n: '5', k: k25.join(',') });
    const g = parseUrlState(params({ n: '5', preset: 'gaussian-5' }), 4);
    expect(g.kernel).toEqual(PRESETS_5[2].values);
    expect(urlParams(g)).toMatchObject({ n: '5', preset: 'gaussian-5', k: undefined });
    const bad = parseUrlState(params({ n: '5', k: '1,2,3,4,5,6,7,8,9' }), 4);
    expect(bad.kernel).toEqual(PRESETS_5.find((p) => p.id === 'vertical-5')!.values);
    expect(bad.notes[0]).toMatch(
      /^From the link: kernel must be 25 numbers \(5×5, row by row\), got 9\. Using -1,-1,0,1,1,-1,/,
    );
    expect(parseUrlState(params({ n: '7' }), 4).notes[0]).toContain(
      'kernel size: "7" is not one of 3, 5.',
    );
    expect(parseUrlState(params({ n: '3', preset: 'gaussian-5' }), 4).notes[0]).toContain(
      'kernel preset: "gaussian-5" is not one of',
    );
  });
});

describe('reduce(state, action)', () => {
  const samples = [0, 1, 2, 3].map((label) => ({
    label,
    pixels: Array.from({ length: 28 * 28 }, (_, i) => (i % 29 === label ? 1 : 0)),
  }));
  const start = () => initState(samples, parseUrlState(params({}), 4));

  it('starts on the link: vertical edge, sample 0, cell 0, paused', () => {
    const s = start();
    expect(s).toMatchObject({ step: 0, digit: 0, source: 'd0', playing: false, invalid: [] });
    expect(s.cells).toEqual(['-1', '0', '1', '-1', '0', '1', '-1', '0', '1']);
    expect(s.image).toEqual(Float32Array.from(samples[0].pixels));
  });

  it('a valid cell edit changes the kernel; "abc" keeps the text and the last valid kernel', () => {
    const edited = reduce(start(), { kind: 'cell', index: 5, raw: '2' });
    expect(edited.kernel).toEqual([-1, 0, 1, -1, 0, 2, -1, 0, 1]);
    expect(edited.kernelError).toBe('');
    const bad = reduce(edited, { kind: 'cell', index: 3, raw: 'abc' });
    expect(bad.kernel).toBe(edited.kernel);
    expect(bad.cells[3]).toBe('abc');
    expect(bad.invalid).toEqual([3]);
    expect(bad.kernelError).toBe(
      'kernel cell (row 1, col 0): "abc" is not a number. The last valid kernel is still in use.',
    );
    // Another valid edit: the message now names the cell that still holds text.
    const other = reduce(bad, { kind: 'cell', index: 0, raw: '−0,5' });
    expect(other.kernel[0]).toBe(-0.5);
    expect(other.kernelError).toBe(
      'Kernel cell (row 1, col 0) still holds text that is not a number.',
    );
    const fixed = reduce(other, { kind: 'cell', index: 3, raw: '1' });
    expect(fixed.invalid).toEqual([]);
    expect(fixed.kernelError).toBe('');
    // A box outside the 3×3 kernel is not part of it.
    expect(reduce(start(), { kind: 'cell', index: 9, raw: '1' })).toEqual(start());
  });

  it('a preset replaces the kernel and clears the editor; a 5×5 preset is refused on 3×3', () => {
    const bad = reduce(start(), { kind: 'cell', index: 3, raw: 'abc' });
    const p = reduce(bad, { kind: 'preset', id: 'sobel-y' });
    expect(p.kernel).toEqual([-1, -2, -1, 0, 0, 0, 1, 2, 1]);
    expect(p).toMatchObject({ invalid: [], kernelError: '' });
    expect(p.cells[3]).toBe('0');
    expect(reduce(p, { kind: 'preset', id: 'gaussian-5' })).toBe(p);
    expect(reduce(p, { kind: 'preset', id: 'nope' })).toBe(p);
  });

  it('switching size takes the same idea at the new size', () => {
    const s = start();
    const five = reduce(s, { kind: 'size', size: 5 });
    expect(five.kernel).toEqual(PRESETS_5.find((p) => p.id === 'vertical-5')!.values);
    expect(five.cells).toHaveLength(25);
    expect(reduce(five, { kind: 'size', size: 5 })).toBe(five);
    expect(reduce(five, { kind: 'size', size: 3 }).kernel).toEqual(s.kernel);
  });

  it('the bias: a number is used; "x" keeps its text, the last bias and says so', () => {
    const b = reduce(start(), { kind: 'bias', raw: '0,5' });
    expect(b).toMatchObject({ bias: 0.5, biasText: '0,5', biasError: '' });
    const bad = reduce(b, { kind: 'bias', raw: 'x' });
    expect(bad).toMatchObject({ bias: 0.5, biasText: 'x' });
    expect(bad.biasError).toBe('bias: "x" is not a number. The last valid bias is still in use.');
    expect(reduce(bad, { kind: 'bias', raw: '101' }).biasError).toContain(
      'bias must be between -100 and 100, got 101.',
    );
  });

  it('flip, go, play, tick: the walk stops at the last cell and starts over from it', () => {
    const s = reduce(start(), { kind: 'flip', on: true });
    expect(s.mode).toBe('conv');
    expect(reduce(s, { kind: 'flip', on: true })).toBe(s);
    expect(reduce(s, { kind: 'go', step: 500 }).step).toBe(195);
    const playing = reduce(reduce(s, { kind: 'go', step: 40 }), { kind: 'toggle' });
    expect(playing).toMatchObject({ playing: true, step: 40, playedFrom: 40 });
    const ticked = reduce(playing, { kind: 'tick' });
    expect(ticked).toMatchObject({ playing: true, step: 41 });
    // The link keeps the step playback started from until it stops.
    expect(stateParams(ticked).s).toBe('41');
    expect(stateParams(reduce(ticked, { kind: 'toggle' })).s).toBe('42');
    const nearEnd = reduce(reduce(s, { kind: 'go', step: 194 }), { kind: 'toggle' });
    const end = reduce(nearEnd, { kind: 'tick' });
    expect(end).toMatchObject({ step: 195, playing: false });
    expect(reduce(end, { kind: 'tick' })).toBe(end);
    expect(reduce(end, { kind: 'toggle' })).toMatchObject({ step: 0, playing: true });
    // A key or a click on a cell stops playback there.
    expect(reduce(ticked, { kind: 'go', step: 7 })).toMatchObject({ step: 7, playing: false });
  });

  it('preview and inspect follow the pointer; a new image drops the inspected cell', () => {
    const s = reduce(start(), { kind: 'preview', step: 132 });
    expect(s.preview).toBe(132);
    expect(reduce(s, { kind: 'preview', step: 132 })).toBe(s);
    expect(reduce(s, { kind: 'go', step: 3 }).preview).toBeNull();
    const i = reduce(s, { kind: 'inspect', index: 6 * 28 + 11 });
    expect(i.inspect).toBe(179);
    expect(reduce(i, { kind: 'source', value: 'd2' }).inspect).toBeNull();
  });

  it('input: a sample sets the digit; drawing and upload need a picture first', () => {
    const s = start();
    const d2 = reduce(s, { kind: 'source', value: 'd2' });
    expect(d2).toMatchObject({ digit: 2, source: 'd2', imageId: 1 });
    expect(stateParams(d2).d).toBe('3');
    expect(reduce(s, { kind: 'source', value: 'drawn' })).toBe(s);
    expect(reduce(s, { kind: 'source', value: 'd9' })).toBe(s);
    const ink = new Float32Array(28 * 28).fill(0.5);
    const drawn = reduce(d2, { kind: 'drawn', image: ink });
    expect(drawn).toMatchObject({ source: 'drawn', image: ink, drawn: ink, digit: 2 });
    expect(drawn.drawMsg).toContain('is the input now');
    const back = reduce(reduce(drawn, { kind: 'source', value: 'd0' }), {
      kind: 'source',
      value: 'drawn',
    });
    expect(back.image).toBe(ink);
    const busy = reduce(s, { kind: 'upload-start', name: 'a.png' });
    expect(busy.upload).toEqual({ text: 'Reading "a.png"…', state: 'busy' });
    const failed = reduce(busy, { kind: 'upload-failed', message: 'it looks blank' });
    expect(failed.upload).toEqual({
      text: 'That picture could not be used: it looks blank. The previous input stays.',
      state: 'error',
    });
    expect(failed.image).toBe(s.image);
    const up = reduce(busy, { kind: 'uploaded', name: 'a.png', image: ink });
    expect(up).toMatchObject({ source: 'upload', uploaded: ink, upload: { state: 'ok' } });
  });

  it('speaks: every step while paused, the stop, and one step in 2 s while playing', () => {
    const s = start();
    expect(speaks(undefined, s)).toBe(true);
    expect(speaks(s, reduce(s, { kind: 'go', step: 1 }))).toBe(true);
    expect(speaks(s, reduce(s, { kind: 'preview', step: 9 }))).toBe(false);
    const playing = reduce(s, { kind: 'toggle' }); // 5 cells/s: every 10th step
    const t1 = reduce(playing, { kind: 'tick' });
    expect(speaks(playing, t1)).toBe(false);
    let t = t1;
    for (let i = 0; i < 9; i++) t = reduce(t, { kind: 'tick' });
    expect(t.step).toBe(10);
    expect(speaks(reduce(t1, { kind: 'go', step: 9 }), t)).toBe(true);
    expect(speaks(t, reduce(t, { kind: 'toggle' }))).toBe(true);
  });
});
