import { describe, expect, it } from 'vitest';
import { conv2d, maxPool2d, zeros } from '../../../src/cnn/index.ts';
import type { Tensor } from '../../../src/cnn/index.ts';
import { conv2dCases, maxPool2dCases, runChecker } from '../../../src/widgets/cell/checker';
import { convWindow, poolWindow } from '../../../src/widgets/cell/windows';

type Opts = Readonly<Record<string, readonly number[]>>;

/** A plain conv2d with knobs to break it the ways readers do. */
function myConv(
  x: Tensor,
  k: Tensor,
  o: Opts,
  bug: 'none' | 'pad-off-by-one' | 'no-stride' = 'none',
): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [M, , kh, kw] = k.shape as [number, number, number, number];
  const [sh, sw] = bug === 'no-stride' ? [1, 1] : (o.strides as [number, number]);
  const [top, left, bottom, right] = o.pads as [number, number, number, number];
  const oh = Math.floor((H + top + bottom - kh) / sh) + 1;
  const ow = Math.floor((W + left + right - kw) / sw) + 1;
  const shift = bug === 'pad-off-by-one' ? 1 : 0;
  const y = zeros([N, M, oh, ow]);
  for (let n = 0; n < N; n++)
    for (let m = 0; m < M; m++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let s = 0;
          for (let c = 0; c < C; c++)
            for (let p = 0; p < kh; p++)
              for (let q = 0; q < kw; q++) {
                const r = i * sh + p - top + (top ? shift : 0);
                const col = j * sw + q - left;
                if (r < 0 || r >= H || col < 0 || col >= W) continue;
                s +=
                  x.data[((n * C + c) * H + r) * W + col]! *
                  k.data[((m * C + c) * kh + p) * kw + q]!;
              }
          y.data[((n * M + m) * oh + i) * ow + j] = s;
        }
  return y;
}

const refConv = ([x, k]: readonly Tensor[], o: Opts) => conv2d(x!, k!, o);
const check = (bug: Parameters<typeof myConv>[3]) =>
  runChecker(
    'conv2d',
    ['x', 'kernel'],
    conv2dCases(),
    ([x, k], o) => myConv(x!, k!, o, bug),
    refConv,
  );

/** The first differing cell, found independently of the checker. */
function expectedMismatch(got: Tensor, want: Tensor): string {
  const k = want.data.findIndex((v, i) => Math.abs(v - got.data[i]!) > 1e-4);
  const [, C, H, W] = want.shape as [number, number, number, number];
  const idx = [
    Math.floor(k / (C * H * W)),
    Math.floor(k / (H * W)) % C,
    Math.floor(k / W) % H,
    k % W,
  ];
  return `your y[${idx.join(',')}] = ${+got.data[k]!.toPrecision(6)}, expected ${+want.data[k]!.toPrecision(6)}`;
}

describe('runChecker(conv2d)', () => {
  it('accepts a right implementation on every random case', () => {
    const r = check('none');
    expect(r).toEqual({
      pass: true,
      cases: 12,
      text: '✓ your conv2d matches the reference engine on all 12 random cases',
    });
  });

  it('the cases vary shapes, strides and pads', () => {
    const cases = conv2dCases();
    expect(new Set(cases.map((c) => c.options.strides!.join())).size).toBeGreaterThan(1);
    expect(cases.some((c) => c.options.pads!.some((p) => p > 0))).toBe(true);
    expect(new Set(cases.map((c) => c.inputs[0]!.shape.join())).size).toBeGreaterThan(3);
  });

  it('rejects an off-by-one pad with the first mismatching cell', () => {
    const r = check('pad-off-by-one');
    expect(r.pass).toBe(false);
    if (r.pass) return;
    const c = conv2dCases()[r.failedCase]!;
    const want = conv2d(c.inputs[0]!, c.inputs[1]!, c.options);
    const got = myConv(c.inputs[0]!, c.inputs[1]!, c.options, 'pad-off-by-one');
    expect(r.text).toContain(
      `case ${r.failedCase + 1} of 12 (x [${c.inputs[0]!.shape.join(', ')}]`,
    );
    expect(r.text).toContain(expectedMismatch(got, want));
    // Every earlier case really did agree.
    for (const e of conv2dCases().slice(0, r.failedCase))
      expect([...myConv(e.inputs[0]!, e.inputs[1]!, e.options, 'pad-off-by-one').data]).toEqual([
        ...conv2d(e.inputs[0]!, e.inputs[1]!, e.options).data,
      ]);
  });

  it('rejects a wrong stride by its output shape', () => {
    const r = check('no-stride');
    expect(r.pass).toBe(false);
    expect(r.text).toMatch(/your y has shape \[[\d, ]+\], expected \[[\d, ]+\]/);
  });

  it('reports a function that throws or returns no tensor', () => {
    const threw = runChecker(
      'conv2d',
      ['x', 'kernel'],
      conv2dCases(),
      () => {
        throw new Error('not yet');
      },
      refConv,
    );
    expect(threw.text).toContain('your conv2d threw: not yet');
    const nothing = runChecker('conv2d', ['x', 'kernel'], conv2dCases(), () => 3, refConv);
    expect(nothing.text).toContain('your function returned 3, not a tensor');
  });
});

describe('runChecker(maxPool2d)', () => {
  const ref = ([x]: readonly Tensor[], o: Opts) =>
    maxPool2d(x!, {
      kernelShape: o.kernelShape as [number, number],
      strides: o.strides as [number, number],
    });
  it('accepts the engine’s own maxPool2d and rejects a min-pool', () => {
    expect(runChecker('maxPool2d', ['x'], maxPool2dCases(), ref, ref).pass).toBe(true);
    const minPool = ([x]: readonly Tensor[], o: Opts) => {
      const y = ref([x!], o);
      return { shape: y.shape, data: y.data.map((v) => v - 0.5) };
    };
    const r = runChecker('maxPool2d', ['x'], maxPool2dCases(), minPool, ref);
    expect(r.pass).toBe(false);
    expect(r.text).toMatch(
      /case 1 of 12 \(x \[.*\], kernelShape \[.*\], strides \[.*\]\): your y\[0,0,0,0\] = /,
    );
  });
});

describe('the windows a mismatch names', () => {
  it('conv2d: every channel under the kernel, padding said and shown', () => {
    // x [1, 2, 3, 3] holds 0…17; a 2 × 2 kernel with stride 2 and pads 1: y[0,0,0,1] reads
    // rows −1…0 (row −1 is padding) and columns 1…2 of both channels.
    const x = { shape: [1, 2, 3, 3], data: Float32Array.from({ length: 18 }, (_, i) => i) };
    const c = {
      inputs: [x, zeros([1, 2, 2, 2])],
      options: { strides: [2, 2], pads: [1, 1, 1, 1] },
    };
    expect(convWindow(c, [0, 0, 0, 1])).toBe(
      'its window: x[0, 0…1, rows -1…0 (outside 0…2 is padding), columns 1…2] = ' +
        '[[[pad, pad], [1, 2]], [[pad, pad], [10, 11]]]',
    );
  });

  it('maxPool2d: the one channel’s window', () => {
    const x = { shape: [1, 2, 4, 4], data: Float32Array.from({ length: 32 }, (_, i) => i / 2) };
    const c = { inputs: [x], options: { kernelShape: [2, 3], strides: [2, 1] } };
    expect(poolWindow(c, [0, 1, 1, 0])).toBe(
      'its window: x[0, 1, rows 2…3, columns 0…2] = [[12, 12.5, 13], [14, 14.5, 15]]',
    );
  });
});
