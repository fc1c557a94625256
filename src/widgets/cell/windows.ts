/**
 * Where a checker's mismatching cell comes from: the input cells that feed it (its window), said
 * with their values, so the reader sees which part of their loop to look at. Pure; indices are
 * 0-based as in every readout ("x[0, 0, rows 1…3, columns 0…2]").
 */
import { maxPool2dArgmax } from '../../cnn/index.ts';
import type { Tensor } from '../../cnn/index.ts';
import type { CheckCase } from './checker';

const num = (v: number) => String(+v.toPrecision(6));
const at = (index: readonly number[]) => `[${index.join(',')}]`;

function pairOf(v: readonly number[] | undefined, d: number): [number, number] {
  return v && v.length >= 2 ? [v[0]!, v[1]!] : [d, d];
}

/** The values of x[n, c, r0…r0+h−1, c0…c0+w−1], padding shown as "pad". */
function windowValues(
  x: Tensor,
  n: number,
  c: number,
  r0: number,
  c0: number,
  h: number,
  w: number,
) {
  const [, C, H, W] = x.shape as [number, number, number, number];
  const rows: string[] = [];
  for (let p = 0; p < h; p++) {
    const cells: string[] = [];
    for (let q = 0; q < w; q++) {
      const r = r0 + p;
      const s = c0 + q;
      cells.push(
        r < 0 || r >= H || s < 0 || s >= W ? 'pad' : num(x.data[((n * C + c) * H + r) * W + s]!),
      );
    }
    rows.push(`[${cells.join(', ')}]`);
  }
  return `[${rows.join(', ')}]`;
}

function span(start: number, size: number, limit: number): string {
  const end = start + size - 1;
  const outside = start < 0 || end >= limit;
  return `${start}…${end}${outside ? ` (outside 0…${limit - 1} is padding)` : ''}`;
}

/** A window of size [kh, kw] at output (i, j): the rows and columns it reads, and its values. */
function windowText(
  x: Tensor,
  n: number,
  channels: readonly number[],
  [i, j]: readonly [number, number],
  [kh, kw]: readonly [number, number],
  [sh, sw]: readonly [number, number],
  [top, left]: readonly [number, number],
): string {
  const [, , H, W] = x.shape as [number, number, number, number];
  const r0 = i * sh - top;
  const c0 = j * sw - left;
  const which = channels.length === 1 ? String(channels[0]) : `0…${channels.length - 1}`;
  const values = channels.map((c) => windowValues(x, n, c, r0, c0, kh, kw));
  return (
    `its window: x[${n}, ${which}, rows ${span(r0, kh, H)}, columns ${span(c0, kw, W)}] = ` +
    (channels.length === 1 ? values[0] : `[${values.join(', ')}]`)
  );
}

/** conv2d's y[n, m, i, j]: every input channel's window under the kernel at (i, j). */
export function convWindow(c: CheckCase, [n, , i, j]: readonly number[]): string {
  const x = c.inputs[0]!;
  const [, kc, kh, kw] = c.inputs[1]!.shape as [number, number, number, number];
  const pads = c.options.pads ?? [0, 0, 0, 0];
  return windowText(
    x,
    n!,
    Array.from({ length: kc }, (_, k) => k),
    [i!, j!],
    [kh, kw],
    pairOf(c.options.strides, 1),
    [pads[0] ?? 0, pads[1] ?? 0],
  );
}

/** maxPool2d's y[n, c, i, j]: the one channel's window. */
export function poolWindow(c: CheckCase, [n, ch, i, j]: readonly number[]): string {
  const [kh, kw] = pairOf(c.options.kernelShape, 1);
  return windowText(
    c.inputs[0]!,
    n!,
    [ch!],
    [i!, j!],
    [kh, kw],
    pairOf(c.options.strides, kh),
    [0, 0],
  );
}

/** An elementwise op's backward: the one cell of each input (x and dy). */
export function elementWindow(names: readonly string[]) {
  return (c: CheckCase, index: readonly number[]): string => {
    const flat = flatIndex(c.inputs[0]!.shape, index);
    return names
      .map((name, k) => `${name}${at(index)} = ${num(c.inputs[k]!.data[flat]!)}`)
      .join(', ');
  };
}

export function flatIndex(shape: readonly number[], index: readonly number[]): number {
  return index.reduce((flat, v, d) => flat * shape[d]! + v, 0);
}

/**
 * Max pooling's backward, dx[n, c, r, s]: the windows whose first maximum that cell is (each
 * sends it its dy), or none (its dx is 0). A gradient sent to the wrong cell shows here.
 */
export function poolGradWindow(c: CheckCase, index: readonly number[]): string {
  const [x, dy] = c.inputs as [Tensor, Tensor];
  const attrs = {
    kernelShape: pairOf(c.options.kernelShape, 1),
    strides: pairOf(c.options.strides, 1),
  };
  const argmax = maxPool2dArgmax(x, attrs);
  const [, , oh, ow] = dy.shape as [number, number, number, number];
  const flat = flatIndex(x.shape, index);
  const cell = `x${at(index)} = ${num(x.data[flat]!)}`;
  const winners: string[] = [];
  // argmax[o] is the flat index in x of window o's first maximum.
  for (let o = 0; o < argmax.length; o++) {
    if (argmax[o] !== flat) continue;
    const i = Math.floor(o / ow) % oh;
    const j = o % ow;
    winners.push(`y[${index[0]},${index[1]},${i},${j}] (dy ${num(dy.data[o]!)})`);
  }
  return winners.length
    ? `${cell} is the first maximum of the window of ${winners.join(' and of ')}`
    : `${cell} is the maximum of no window, so no gradient reaches it`;
}

/**
 * conv2d's input gradient, dx[n, c, r, s]: every output cell whose window covers x[n, c, r, s],
 * with the kernel tap it meets there and that cell's dy (the terms dx is the sum of), or none.
 */
export function convGradWindow(c: CheckCase, index: readonly number[]): string {
  const [, kernel, dy] = c.inputs as [Tensor, Tensor, Tensor];
  const [n, ch, r, s] = index as [number, number, number, number];
  const [M, , kh, kw] = kernel.shape as [number, number, number, number];
  const [, , oh, ow] = dy.shape as [number, number, number, number];
  const [sh, sw] = pairOf(c.options.strides, 1);
  const pads = c.options.pads ?? [0, 0, 0, 0];
  const terms: string[] = [];
  for (let m = 0; m < M; m++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        const p = r - i * sh + (pads[0] ?? 0);
        const q = s - j * sw + (pads[1] ?? 0);
        if (p < 0 || p >= kh || q < 0 || q >= kw) continue;
        const k = num(kernel.data[((m * (kernel.shape[1] ?? 1) + ch) * kh + p) * kw + q]!);
        terms.push(
          `y[${n},${m},${i},${j}] (dy ${num(dy.data[((n * M + m) * oh + i) * ow + j]!)}) × kernel[${m},${ch},${p},${q}] = ${k}`,
        );
      }
  if (!terms.length)
    return `x${at(index)} is in no output cell's window, so no gradient reaches it`;
  const shown = terms.slice(0, 4).join(', ');
  return `x${at(index)} is under ${shown}${terms.length > 4 ? `, and ${terms.length - 4} more` : ''}`;
}
