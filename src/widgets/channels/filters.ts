/**
 * What the channels figure computes: the procedural RGB picture, the filter bank (presets, one
 * bias each), ordinary and depthwise (group = C) convolution through the reference engine, and
 * the trace of one feature-map cell split by channel.
 */
import { conv2d, conv2dTrace, tensor } from '../../cnn/index.ts';
import type { ConvForwardTrace, Tensor } from '../../cnn/index.ts';

export const SIZE = 16;
export const CHANNELS = ['red', 'green', 'blue'] as const;
export type Mode = 'full' | 'depthwise';

/**
 * A 16×16 RGB picture, generated the same way every time: a dim grey background (0.1), a red
 * square (rows 2–6, columns 2–6), a green stripe (columns 11–12) and a blue disc of radius 3
 * centred on row 11, column 5. Shape [1, 3, 16, 16], values in [0, 1].
 */
export function picture(): Tensor {
  const data = new Float32Array(3 * SIZE * SIZE).fill(0.1);
  const set = (c: number, r: number, col: number, v: number) => {
    data[(c * SIZE + r) * SIZE + col] = v;
  };
  for (let r = 0; r < SIZE; r++) {
    for (let c = 0; c < SIZE; c++) {
      if (r >= 2 && r <= 6 && c >= 2 && c <= 6) set(0, r, c, 1);
      if (c === 11 || c === 12) set(1, r, c, 0.9);
      if ((r - 11) ** 2 + (c - 5) ** 2 <= 9) set(2, r, c, 1);
    }
  }
  return { shape: [1, 3, SIZE, SIZE], data };
}

export interface FilterPreset {
  readonly name: string;
  readonly about: string;
  /** [channel][row][col], 3 × 3 × 3 */
  readonly weights: readonly (readonly (readonly number[])[])[];
}

const fill3 = (v: number) => [
  [v, v, v],
  [v, v, v],
  [v, v, v],
];
const centre = (v: number) => [
  [0, 0, 0],
  [0, v, 0],
  [0, 0, 0],
];
const EDGE = [
  [-0.125, -0.125, -0.125],
  [-0.125, 1, -0.125],
  [-0.125, -0.125, -0.125],
];
const round = (x: number) => Math.round(x * 1000) / 1000;

export const PRESETS: readonly FilterPreset[] = [
  {
    name: 'red detector',
    about: 'averages red minus green minus blue over the 3×3 window',
    weights: [fill3(round(1 / 9)), fill3(round(-1 / 9)), fill3(round(-1 / 9))],
  },
  {
    name: 'edge in any channel',
    about: 'centre minus the mean of its neighbours, in every channel, added up',
    weights: [EDGE, EDGE, EDGE],
  },
  {
    name: 'green minus red',
    about: 'the centre pixel’s green value minus its red value',
    weights: [centre(-1), centre(1), centre(0)],
  },
  {
    name: 'luminance blur',
    about: 'brightness (0.299 R + 0.587 G + 0.114 B) averaged over 3×3',
    weights: [fill3(round(0.299 / 9)), fill3(round(0.587 / 9)), fill3(round(0.114 / 9))],
  },
];

/**
 * Depthwise mode: one vertical-edge kernel per channel, each seeing only its channel — lesson 2's
 * Sobel x, [−1 0 1; −2 0 2; −1 0 1], scaled by ¼ so a full 0 → 1 edge gives 1.
 */
export const SOBEL_X = [
  [-0.25, 0, 0.25],
  [-0.5, 0, 0.5],
  [-0.25, 0, 0.25],
];

export function kernelFor(mode: Mode): Tensor {
  if (mode === 'depthwise') return tensor([3, 1, 3, 3], [SOBEL_X, SOBEL_X, SOBEL_X].flat(2));
  return tensor(
    [4, 3, 3, 3],
    PRESETS.flatMap((p) => p.weights.flat(2)),
  );
}

export function filterCount(mode: Mode): number {
  return mode === 'depthwise' ? 3 : PRESETS.length;
}

export function filterName(mode: Mode, f: number): string {
  return mode === 'depthwise' ? `vertical edges in ${CHANNELS[f]} only` : PRESETS[f].name;
}

export interface ChannelsSettings {
  readonly mode: Mode;
  /** One bias per filter (4; depthwise uses the first 3). */
  readonly biases: readonly number[];
  readonly filter: number;
}
export const DEFAULTS: ChannelsSettings = { mode: 'full', biases: [0, 0, 0, 0], filter: 0 };

export function attrs(mode: Mode) {
  return { pads: 1, strides: 1, dilations: 1, group: mode === 'depthwise' ? 3 : 1 } as const;
}

export interface ChannelsResult {
  readonly x: Tensor;
  readonly kernel: Tensor;
  readonly bias: Tensor;
  readonly y: Tensor;
}

export function compute(s: ChannelsSettings): ChannelsResult {
  const x = picture();
  const kernel = kernelFor(s.mode);
  const bias = tensor([filterCount(s.mode)], s.biases.slice(0, filterCount(s.mode)));
  const y = conv2d(x, kernel, { ...attrs(s.mode), bias });
  return { x, kernel, bias, y };
}

export function stepCell(step: number): { row: number; col: number } {
  const n = SIZE * SIZE;
  const s = ((step % n) + n) % n;
  return { row: Math.floor(s / SIZE), col: s % SIZE };
}

export interface CellBreakdown {
  readonly trace: ConvForwardTrace;
  /** Σ of the products per input channel (3 entries in full mode, 1 in depthwise). */
  readonly perChannel: readonly { channel: number; sum: number }[];
}

export function breakdown(r: ChannelsResult, s: ChannelsSettings, step: number): CellBreakdown {
  const { row, col } = stepCell(step);
  const trace = conv2dTrace(
    r.x,
    r.kernel,
    { n: 0, filter: s.filter, row, col },
    { ...attrs(s.mode), bias: r.bias },
  );
  const sums = new Map<number, number>();
  for (const t of trace.terms) sums.set(t.channel, (sums.get(t.channel) ?? 0) + t.product);
  return { trace, perChannel: [...sums].map(([channel, sum]) => ({ channel, sum })) };
}

const fmt = (v: number) => {
  const s = (Math.round(v * 1000) / 1000).toFixed(3);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
};
export { fmt as formatValue };

export function announce(r: ChannelsResult, s: ChannelsSettings, step: number): string {
  const { trace, perChannel } = breakdown(r, s, step);
  const parts = perChannel.map((p) => `${CHANNELS[p.channel]} ${fmt(p.sum)}`).join(', ');
  return `Feature map ${s.filter + 1} (${filterName(s.mode, s.filter)}), row ${trace.row}, column ${trace.col}: ${parts}, plus bias ${fmt(trace.bias)}, gives ${fmt(trace.sum)}.`;
}
