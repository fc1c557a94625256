import { describe, expect, it } from 'vitest';
import {
  conv2d,
  conv2dBackward,
  maxPool2d,
  maxPool2dBackward,
  maxPool2dWithArgmax,
  relu,
  reluBackward,
  zeros,
} from '../../../src/cnn/index.ts';
import type { Tensor } from '../../../src/cnn/index.ts';
import { runChecker } from '../../../src/widgets/cell/checker';
import type { CheckCase } from '../../../src/widgets/cell/checker';
import {
  conv2dBackwardCases,
  maxPoolBackwardCases,
  numericGradient,
  reluBackwardCases,
} from '../../../src/widgets/cell/gradcheck';
import { convGradWindow, elementWindow, poolGradWindow } from '../../../src/widgets/cell/windows';

type Opts = CheckCase['options'];
const pool = (o: Opts) => ({
  kernelShape: o.kernelShape as [number, number],
  strides: o.strides as [number, number],
});

/** A reader's ReLU backward, written out, with the bug of passing dy where x < 0. */
function myReluBackward(x: Tensor, dy: Tensor, bug = false): Tensor {
  const dx = zeros(x.shape);
  for (let k = 0; k < x.data.length; k++) dx.data[k] = x.data[k]! > 0 || bug ? dy.data[k]! : 0;
  return dx;
}

/** A reader's max-pool backward: each window's dy to its maximum (or, bug, its last cell). */
function myPoolBackward(x: Tensor, dy: Tensor, o: Opts, bug: 'none' | 'last' | 'assign' = 'none') {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [kh, kw] = o.kernelShape as [number, number];
  const [sh, sw] = o.strides as [number, number];
  const [, , oh, ow] = dy.shape as [number, number, number, number];
  const dx = zeros(x.shape);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let best = -Infinity;
          let at = -1;
          for (let p = 0; p < kh; p++)
            for (let q = 0; q < kw; q++) {
              const k = ((n * C + c) * H + i * sh + p) * W + j * sw + q;
              if (x.data[k]! > best || bug === 'last') [best, at] = [x.data[k]!, k];
            }
          const g = dy.data[((n * C + c) * oh + i) * ow + j]!;
          // 'assign' forgets that overlapping windows add up at a cell that wins twice.
          dx.data[at] = bug === 'assign' ? g : dx.data[at]! + g;
        }
  return dx;
}

const reluRef = ([x, dy]: readonly Tensor[]) => reluBackward(x!, dy!);
const poolRef = ([x, dy]: readonly Tensor[], o: Opts) =>
  maxPool2dBackward(x!.shape, maxPool2dWithArgmax(x!, pool(o)).argmax, dy!);

const checkRelu = (bug: boolean) =>
  runChecker(
    'reluBackward',
    ['x', 'dy'],
    reluBackwardCases(),
    ([x, dy]) => myReluBackward(x!, dy!, bug),
    reluRef,
    {
      output: 'dx',
      window: elementWindow(['x', 'dy']),
      numeric: ({ inputs: [x, dy] }) => numericGradient(relu, x!, dy!),
    },
  );

const checkPool = (bug: Parameters<typeof myPoolBackward>[3]) =>
  runChecker(
    'maxPool2dBackward',
    ['x', 'dy'],
    maxPoolBackwardCases(),
    ([x, dy], o) => myPoolBackward(x!, dy!, o, bug),
    poolRef,
    {
      output: 'dx',
      window: poolGradWindow,
      numeric: ({ inputs: [x, dy], options: o }) =>
        numericGradient((v) => maxPool2d(v, pool(o)), x!, dy!),
    },
  );

/** The first cell where two tensors differ, found without the checker. */
function firstDiff(a: Tensor, b: Tensor): { k: number; index: number[] } {
  const k = a.data.findIndex((v, i) => Math.abs(v - b.data[i]!) > 1e-4);
  const [, C, H, W] = a.shape as [number, number, number, number];
  return {
    k,
    index: [Math.floor(k / (C * H * W)), Math.floor(k / (H * W)) % C, Math.floor(k / W) % H, k % W],
  };
}

describe('numericGradient(f, x, dy)', () => {
  it('equals the engine’s ReLU and max-pool backward on every checker case', () => {
    for (const c of reluBackwardCases()) {
      const [x, dy] = c.inputs as [Tensor, Tensor];
      const fd = numericGradient(relu, x, dy);
      const exact = reluBackward(x, dy);
      for (let k = 0; k < fd.data.length; k++) expect(fd.data[k]).toBeCloseTo(exact.data[k]!, 4);
    }
    for (const c of maxPoolBackwardCases()) {
      const [x, dy] = c.inputs as [Tensor, Tensor];
      const fd = numericGradient((v) => maxPool2d(v, pool(c.options)), x, dy);
      const exact = poolRef(c.inputs, c.options);
      for (let k = 0; k < fd.data.length; k++) expect(fd.data[k]).toBeCloseTo(exact.data[k]!, 4);
    }
  });

  it('the max-pool cases tile, overlap (a cell wins twice) and leave gaps', () => {
    const cases = maxPoolBackwardCases();
    const s = (c: CheckCase, d: number) => [c.options.kernelShape![d]!, c.options.strides![d]!];
    expect(cases.some((c) => s(c, 0)[1]! < s(c, 0)[0]!)).toBe(true);
    expect(cases.some((c) => s(c, 0)[1]! > s(c, 0)[0]!)).toBe(true);
    const twice = cases.some((c) => {
      const { argmax } = maxPool2dWithArgmax(c.inputs[0]!, pool(c.options));
      return new Set(argmax).size < argmax.length;
    });
    expect(twice).toBe(true);
  });
});

describe('runChecker(reluBackward)', () => {
  it('accepts a right implementation, on the engine and on finite differences', () => {
    expect(checkRelu(false)).toEqual({
      pass: true,
      cases: 12,
      text: '✓ your reluBackward matches the reference engine on all 12 random cases (and finite differences)',
    });
  });

  it('rejects a backward that passes gradient at x < 0, at the first such cell', () => {
    const r = checkRelu(true);
    expect(r.pass).toBe(false);
    if (r.pass) return;
    const c = reluBackwardCases()[r.failedCase]!;
    const [x, dy] = c.inputs as [Tensor, Tensor];
    const { k, index } = firstDiff(myReluBackward(x, dy, true), reluBackward(x, dy));
    expect(x.data[k]).toBeLessThan(0);
    const at = index.join(',');
    expect(r.text).toBe(
      `✗ case ${r.failedCase + 1} of 12 (x [${x.shape.join(', ')}], dy [${dy.shape.join(', ')}]): ` +
        `your dx[${at}] = ${dy.data[k]}, expected 0 (finite differences: 0); ` +
        `x[${at}] = ${x.data[k]}, dy[${at}] = ${dy.data[k]}`,
    );
  });
});

describe('runChecker(maxPool2dBackward)', () => {
  it('accepts a right implementation', () => {
    expect(checkPool('none').pass).toBe(true);
  });

  it('rejects the gradient sent to the wrong cell, naming the windows that cell wins', () => {
    const r = checkPool('last');
    expect(r.pass).toBe(false);
    if (r.pass) return;
    const c = maxPoolBackwardCases()[r.failedCase]!;
    const [x, dy] = c.inputs as [Tensor, Tensor];
    const want = poolRef(c.inputs, c.options);
    const { k, index } = firstDiff(myPoolBackward(x, dy, c.options, 'last'), want);
    expect(r.text).toContain(
      `your dx[${index.join(',')}] = ${+myPoolBackward(x, dy, c.options, 'last').data[k]!.toPrecision(6)}, expected ${+want.data[k]!.toPrecision(6)}`,
    );
    expect(r.text).toContain(`(finite differences: ${+want.data[k]!.toPrecision(6)})`);
    expect(r.text).toContain(`; ${poolGradWindow(c, index)}`);
    expect(r.text).toMatch(
      /x\[[\d,]+\] = -?[\d.]+ is (the first maximum of the window of y|the maximum of no window)/,
    );
  });

  it('rejects one that overwrites instead of adding where windows overlap', () => {
    const r = checkPool('assign');
    expect(r.pass).toBe(false);
    if (r.pass) return;
    const c = maxPoolBackwardCases()[r.failedCase]!;
    expect(
      c.options.strides![0]! < c.options.kernelShape![0]! ||
        c.options.strides![1]! < c.options.kernelShape![1]!,
    ).toBe(true);
    // The cell wins two windows: both are named, each with its dy.
    expect(r.text).toMatch(
      /is the first maximum of the window of y\[[\d,]+\] \(dy [-\d.]+\) and of y/,
    );
  });

  it('blames the checker, not the reader, when the engine disagrees with finite differences', () => {
    const r = runChecker(
      'maxPool2dBackward',
      ['x', 'dy'],
      maxPoolBackwardCases(),
      () => zeros([1]),
      ([x]) => zeros(x!.shape),
      {
        output: 'dx',
        numeric: ({ inputs: [x, dy], options: o }) =>
          numericGradient((v) => maxPool2d(v, pool(o)), x!, dy!),
      },
    );
    expect(r.text).toMatch(
      /^✗ case 1 of 12 .*: the engine's dx\[.*\] = 0 but finite differences give .*: the checker itself is wrong here$/,
    );
  });
});

/** A reader's conv2d input gradient, written out; `bug` drops the padding offset. */
function myConvBackward(x: Tensor, k: Tensor, dy: Tensor, o: Opts, bug = false): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [M, , kh, kw] = k.shape as [number, number, number, number];
  const [, , oh, ow] = dy.shape as [number, number, number, number];
  const [sh, sw] = o.strides as [number, number];
  const [top, left] = bug ? [0, 0] : (o.pads as [number, number]);
  const dx = zeros(x.shape);
  for (let n = 0; n < N; n++)
    for (let m = 0; m < M; m++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          const g = dy.data[((n * M + m) * oh + i) * ow + j]!;
          for (let c = 0; c < C; c++)
            for (let p = 0; p < kh; p++)
              for (let q = 0; q < kw; q++) {
                const r = i * sh + p - top;
                const s = j * sw + q - left;
                if (r < 0 || r >= H || s < 0 || s >= W) continue;
                dx.data[((n * C + c) * H + r) * W + s] +=
                  g * k.data[((m * C + c) * kh + p) * kw + q]!;
              }
        }
  return dx;
}

describe('runChecker(conv2d backward)', () => {
  const convRef = ([x, k, dy]: readonly Tensor[], o: Opts) => conv2dBackward(x!, k!, dy!, o).dx!;
  const checkConv = (bug: boolean) =>
    runChecker(
      'conv2d backward',
      ['x', 'kernel', 'dy'],
      conv2dBackwardCases(),
      ([x, k, dy], o) => myConvBackward(x!, k!, dy!, o, bug),
      convRef,
      {
        output: 'dx',
        window: convGradWindow,
        numeric: ({ inputs: [x, k, dy], options: o }) =>
          numericGradient((v) => conv2d(v, k!, o), x!, dy!),
      },
    );

  it('accepts a right input gradient, on the engine and on finite differences', () => {
    expect(checkConv(false).pass).toBe(true);
  });

  it('rejects one that forgets the padding, naming the output cells that reach the cell', () => {
    const r = checkConv(true);
    expect(r.pass).toBe(false);
    if (r.pass) return;
    const c = conv2dBackwardCases()[r.failedCase]!;
    expect(c.options.pads!.some((p) => p > 0)).toBe(true);
    const [x, k, dy] = c.inputs as [Tensor, Tensor, Tensor];
    const want = convRef(c.inputs, c.options);
    const got = myConvBackward(x, k, dy, c.options, true);
    const { k: at, index } = firstDiff(got, want);
    expect(r.text).toContain(
      `your dx[${index.join(',')}] = ${+got.data[at]!.toPrecision(6)}, expected ${+want.data[at]!.toPrecision(6)} (finite differences: ${+want.data[at]!.toPrecision(6)})`,
    );
    expect(r.text).toMatch(
      /; x\[[\d,]+\] is (under y\[[\d,]+\] \(dy -?[\d.]+\) × kernel\[[\d,]+\] = -?[\d.]+|in no output cell's window)/,
    );
    expect(r.text).toContain(`; ${convGradWindow(c, index)}`);
  });

  it('the window lists exactly the terms whose sum the engine’s dx is', () => {
    for (const c of conv2dBackwardCases()) {
      const want = convRef(c.inputs, c.options);
      const [, C, H, W] = want.shape as [number, number, number, number];
      for (let f = 0; f < want.data.length; f += 7) {
        const index = [
          Math.floor(f / (C * H * W)),
          Math.floor(f / (H * W)) % C,
          Math.floor(f / W) % H,
          f % W,
        ];
        const text = convGradWindow(c, index);
        const terms = [...text.matchAll(/\(dy (-?[\d.]+)\) × kernel\[[\d,]+\] = (-?[\d.]+)/g)];
        if (/and \d+ more/.test(text)) continue;
        const sum = terms.reduce((s, m) => s + Number(m[1]) * Number(m[2]), 0);
        expect(sum).toBeCloseTo(want.data[f]!, 4);
      }
    }
  });
});
