import { describe, expect, test } from 'vitest';
import { conv2d, conv2dBackward } from '../../../src/cnn/ops/conv2d.ts';
import {
  conv2dInputGradTrace,
  conv2dKernelGradTrace,
  conv2dTrace,
} from '../../../src/cnn/ops/conv2dTrace.ts';
import { maxPool2dArgmax, maxPool2dTrace } from '../../../src/cnn/ops/maxPool2d.ts';
import { avgPool2d, avgPool2dTrace } from '../../../src/cnn/ops/avgPool2d.ts';
import { convGeometry } from '../../../src/cnn/geometry.ts';
import { fromNested, tensor } from '../../../src/cnn/tensor.ts';
import { createRng, randomTensor } from './helpers.ts';

const nine = fromNested([
  [
    [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ],
  ],
]);

describe('conv2dTrace, hand-checked', () => {
  test("conv2dTrace(x, box 3×3, corner cell, {pads: 'same'}) marks the 5 padded taps", () => {
    const box = tensor([1, 1, 3, 3], new Array(9).fill(1));
    const trace = conv2dTrace(
      nine,
      box,
      { n: 0, filter: 0, row: 0, col: 0 },
      { pads: 'same', bias: fromNested([0.5]) },
    );
    expect(trace.terms.map((t) => [t.inputRow, t.inputCol, t.inPadding])).toEqual([
      [-1, -1, true],
      [-1, 0, true],
      [-1, 1, true],
      [0, -1, true],
      [0, 0, false],
      [0, 1, false],
      [1, -1, true],
      [1, 0, false],
      [1, 1, false],
    ]);
    expect(trace.terms.map((t) => t.product)).toEqual([0, 0, 0, 0, 1, 2, 0, 4, 5]);
    expect(trace.sum).toBe(12.5);
  });

  test('conv2dTrace with strides 2 and dilations 2 reports where each tap lands', () => {
    const x = tensor(
      [1, 1, 7, 7],
      Array.from({ length: 49 }, (_, k) => k),
    );
    const kernel = tensor([1, 1, 2, 2], [1, 1, 1, 1]);
    const trace = conv2dTrace(
      x,
      kernel,
      { n: 0, filter: 0, row: 1, col: 0 },
      { strides: 2, dilations: 2 },
    );
    // row i = 1 starts at input row 2; taps at rows 2, 4 and cols 0, 2
    expect(trace.terms.map((t) => [t.inputRow, t.inputCol, t.input])).toEqual([
      [2, 0, 14],
      [2, 2, 16],
      [4, 0, 28],
      [4, 2, 30],
    ]);
    expect(trace.sum).toBe(88);
  });

  test('conv2dKernelGradTrace and conv2dInputGradTrace list the gradient paths by hand', () => {
    const kernel = fromNested([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    const dy = fromNested([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    // dKernel[0,0,1,1] = Σ_ij dy[i,j]·x[i+1, j+1] = 1·5 + 2·6 + 3·8 + 4·9 = 77
    const k = conv2dKernelGradTrace(nine, kernel.shape, dy, {
      filter: 0,
      channel: 0,
      kernelRow: 1,
      kernelCol: 1,
    });
    expect(k.terms.map((t) => [t.outRow, t.outCol, t.inputRow, t.inputCol])).toEqual([
      [0, 0, 1, 1],
      [0, 1, 1, 2],
      [1, 0, 2, 1],
      [1, 1, 2, 2],
    ]);
    expect(k.sum).toBe(77);
    // dx[0,0,1,1] (the centre) is met by every (output cell, tap) pair: Σ dy[i,j]·k[1−i, 1−j] = 4+6+6+4
    const i = conv2dInputGradTrace(nine.shape, kernel, dy, { n: 0, channel: 0, row: 1, col: 1 });
    expect(i.terms.map((t) => [t.kernelRow, t.kernelCol, t.outRow, t.outCol])).toEqual([
      [0, 0, 1, 1],
      [0, 1, 1, 0],
      [1, 0, 0, 1],
      [1, 1, 0, 0],
    ]);
    expect(i.sum).toBe(20);
  });
});

describe('traces agree with the ops on random cases', () => {
  for (let seed = 0; seed < 25; seed++) {
    const rng = createRng(7000 + seed);
    const group = 1 + rng.int(2);
    const x = randomTensor(rng, [2, group * (1 + rng.int(2)), 4 + rng.int(4), 4 + rng.int(4)]);
    const kernel = randomTensor(rng, [
      group * (1 + rng.int(6)), // up to 6 filters per group: the blocked loop and its leftovers
      x.shape[1] / group,
      1 + rng.int(3),
      1 + rng.int(3),
    ]);
    const attrs = {
      strides: [1 + rng.int(2), 1 + rng.int(2)] as [number, number],
      dilations: [1 + rng.int(2), 1 + rng.int(2)] as [number, number],
      pads: [rng.int(2), rng.int(2), rng.int(2), rng.int(2)] as [number, number, number, number],
      group,
    };
    try {
      convGeometry({
        inputShape: x.shape,
        kernelShape: [kernel.shape[2], kernel.shape[3]],
        ...attrs,
      });
    } catch {
      continue;
    }
    test(`conv2dTrace sums equal conv2d outputs bit for bit; gradient traces equal conv2dBackward, seed ${seed}`, () => {
      const bias = randomTensor(rng, [kernel.shape[0]]);
      const y = conv2d(x, kernel, { ...attrs, bias });
      const [N, M, OH, OW] = y.shape;
      let k = 0;
      for (let n = 0; n < N; n++)
        for (let m = 0; m < M; m++)
          for (let i = 0; i < OH; i++)
            for (let j = 0; j < OW; j++) {
              const trace = conv2dTrace(
                x,
                kernel,
                { n, filter: m, row: i, col: j },
                { ...attrs, bias },
              );
              expect(trace.sum).toBe(y.data[k++]);
            }
      const dy = randomTensor(rng, [...y.shape]);
      const g = conv2dBackward(x, kernel, dy, attrs);
      const [, Cg, KH, KW] = kernel.shape;
      for (let m = 0; m < M; m++)
        for (let c = 0; c < Cg; c++)
          for (let p = 0; p < KH; p++)
            for (let q = 0; q < KW; q++) {
              const t = conv2dKernelGradTrace(
                x,
                kernel.shape,
                dy,
                { filter: m, channel: c, kernelRow: p, kernelCol: q },
                attrs,
              );
              expect(t.sum).toBeCloseTo(g.dKernel.data[((m * Cg + c) * KH + p) * KW + q], 4);
            }
      const [, C, H, W] = x.shape;
      for (let c = 0; c < C; c++)
        for (let row = 0; row < H; row++)
          for (let col = 0; col < W; col++) {
            const t = conv2dInputGradTrace(
              x.shape,
              kernel,
              dy,
              { n: 1, channel: c, row, col },
              attrs,
            );
            expect(t.sum).toBeCloseTo(g.dx!.data[((C + c) * H + row) * W + col], 4);
          }
    });
  }

  test('maxPool2dTrace winners are maxPool2dArgmax; avgPool2dTrace means are avgPool2d outputs', () => {
    const rng = createRng(99);
    const x = randomTensor(rng, [2, 2, 7, 6]);
    const attrs = {
      kernelShape: [3, 2] as [number, number],
      strides: [2, 1] as [number, number],
      pads: [1, 0, 2, 1] as [number, number, number, number],
    };
    const argmax = maxPool2dArgmax(x, attrs);
    const avg = avgPool2d(x, attrs);
    const [N, C, OH, OW] = avg.shape;
    let o = 0;
    for (let n = 0; n < N; n++)
      for (let channel = 0; channel < C; channel++)
        for (let row = 0; row < OH; row++)
          for (let col = 0; col < OW; col++, o++) {
            const t = maxPool2dTrace(x, attrs, { n, channel, row, col });
            expect(((n * C + channel) * 7 + t.winner.row) * 6 + t.winner.col).toBe(argmax[o]);
            expect(avgPool2dTrace(x, attrs, { n, channel, row, col }).mean).toBe(avg.data[o]);
          }
  });

  test('conv2dTrace refuses a cell outside the output', () => {
    expect(() =>
      conv2dTrace(nine, tensor([1, 1, 2, 2]), { n: 0, filter: 0, row: 2, col: 0 }),
    ).toThrow('conv2dTrace: cell [0, 0, 2, 0] is outside shape [1, 1, 2, 2]');
  });
});
