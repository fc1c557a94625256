/**
 * Pure state of the channels widget: the procedural RGB picture, the filter bank (presets, one
 * bias each), ordinary and depthwise (group = C) convolution through the reference engine, the
 * trace of one feature-map cell split by channel, parameter counts, and URL state.
 */
import {
  conv2d,
  conv2dTrace,
  convGeometry,
  tensor,
  type ConvForwardTrace,
  type Tensor,
} from '../../cnn/index.ts';

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

/** Depthwise mode: one vertical-edge (Sobel) kernel per channel, each seeing only its channel. */
export const SOBEL_X = [
  [0.25, 0, -0.25],
  [0.5, 0, -0.5],
  [0.25, 0, -0.25],
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

/** A bias typed by the reader: a finite number in [−5, 5], or a message. */
export function parseBias(raw: string, f: number): number | string {
  const t = raw.trim().replace(/^[−–]/, '-');
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(t)) return `bias of filter ${f + 1}: “${raw}” is not a number`;
  const v = Number(t);
  if (Math.abs(v) > 5) return `bias of filter ${f + 1} must be between −5 and 5, got ${v}`;
  return v;
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

// ---- parameter counts --------------------------------------------------------------------------

export interface CountInputs {
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly k: number;
  readonly f: number;
}
export const COUNT_DEFAULTS: CountInputs = { h: 16, w: 16, c: 3, k: 3, f: 4 };
const COUNT_LIMITS: Readonly<Record<keyof CountInputs, [number, number, string]>> = {
  h: [1, 4096, 'height H'],
  w: [1, 4096, 'width W'],
  c: [1, 4096, 'channels C'],
  k: [1, 15, 'kernel size k'],
  f: [1, 4096, 'filters F'],
};

export function parseCount(key: keyof CountInputs, raw: string): number | string {
  const [lo, hi, label] = COUNT_LIMITS[key];
  const t = raw.trim();
  if (!/^\d+$/.test(t)) return `${label}: “${raw}” is not a whole number`;
  const v = Number(t);
  if (v < lo || v > hi) return `${label} must be between ${lo} and ${hi}, got ${v}`;
  return v;
}

export interface Counts {
  readonly outH: number;
  readonly outW: number;
  readonly conv: number;
  readonly dense: number;
  readonly depthwise: number;
  readonly separable: number;
}

/** Parameter counts; H′ × W′ comes from convGeometry with 'same' padding and stride 1. */
export function counts(n: CountInputs): Counts {
  const g = convGeometry({
    op: 'conv2d',
    inputShape: [1, n.c, n.h, n.w],
    kernelShape: n.k,
    pads: 'same',
  });
  const outs = g.outHeight * g.outWidth * n.f;
  return {
    outH: g.outHeight,
    outW: g.outWidth,
    conv: n.f * (n.c * n.k * n.k) + n.f,
    dense: n.h * n.w * n.c * outs + outs,
    depthwise: n.c * n.k * n.k + n.c,
    separable: n.c * n.k * n.k + n.c + (n.c * n.f + n.f),
  };
}

/** 1234567 → "1{,}234{,}567" (TeX thousands separators). */
export function texNumber(v: number): string {
  return v.toLocaleString('en-US').replace(/,/g, '{,}');
}

export function countsTex(
  n: CountInputs,
  c: Counts,
): { conv: string; dense: string; depthwise: string } {
  const t = texNumber;
  return {
    conv: `P_\\text{conv} = F\\,(C \\cdot k \\cdot k) + F = ${n.f} \\cdot (${n.c} \\cdot ${n.k} \\cdot ${n.k}) + ${n.f} = ${t(c.conv)}`,
    dense: `P_\\text{dense} = (H W C)\\,(H' W' F) + H' W' F = (${n.h} \\cdot ${n.w} \\cdot ${n.c}) \\cdot (${c.outH} \\cdot ${c.outW} \\cdot ${n.f}) + ${t(c.outH * c.outW * n.f)} = ${t(c.dense)}`,
    depthwise: `P_\\text{depthwise} = C \\cdot k \\cdot k + C = ${n.c} \\cdot ${n.k} \\cdot ${n.k} + ${n.c} = ${t(c.depthwise)}, \\quad P_\\text{depthwise} + P_{1\\times1} = ${t(c.depthwise)} + (${n.c} \\cdot ${n.f} + ${n.f}) = ${t(c.separable)}`,
  };
}

// ---- URL state ----------------------------------------------------------------------------------

export const NAMESPACE = 'chan';
/** URL names of the parameter-count inputs ('f' is the selected feature map). */
const COUNT_PARAM: Readonly<Record<keyof CountInputs, string>> = {
  h: 'h',
  w: 'w',
  c: 'c',
  k: 'k',
  f: 'nf',
};

export interface Restored {
  readonly settings: ChannelsSettings;
  readonly step: number;
  readonly count: CountInputs;
  readonly ignored: readonly string[];
}

export function fromParams(params: ReadonlyMap<string, string>): Restored {
  const ignored: string[] = [];
  let settings = DEFAULTS;
  const mode = params.get('mode');
  if (mode === 'full' || mode === 'depthwise') settings = { ...settings, mode };
  else if (mode !== undefined) ignored.push(`mode=${mode}`);
  const bias = params.get('bias');
  if (bias !== undefined) {
    const parts = bias.split(',');
    const values = parts.map((p, i) => parseBias(p, i));
    if (parts.length === 4 && values.every((v) => typeof v === 'number'))
      settings = { ...settings, biases: values };
    else ignored.push(`bias=${bias}`);
  }
  const f = params.get('f');
  if (f !== undefined) {
    if (/^\d$/.test(f) && Number(f) < filterCount(settings.mode))
      settings = { ...settings, filter: Number(f) };
    else ignored.push(`f=${f}`);
  }
  let step = 0;
  const st = params.get('step');
  if (st !== undefined) {
    if (/^\d{1,3}$/.test(st) && Number(st) < SIZE * SIZE) step = Number(st);
    else ignored.push(`step=${st}`);
  }
  const count: Record<string, number> = { ...COUNT_DEFAULTS };
  for (const key of Object.keys(COUNT_DEFAULTS) as (keyof CountInputs)[]) {
    const raw = params.get(COUNT_PARAM[key]);
    if (raw === undefined) continue;
    const v = parseCount(key, raw);
    if (typeof v === 'number') count[key] = v;
    else ignored.push(`${COUNT_PARAM[key]}=${raw}`);
  }
  return { settings, step, count: count as unknown as CountInputs, ignored };
}

export function toParams(
  s: ChannelsSettings,
  step: number,
  n: CountInputs,
): Record<string, string> {
  return {
    mode: s.mode,
    bias: s.biases.join(','),
    f: String(s.filter),
    step: String(step),
    h: String(n.h),
    w: String(n.w),
    c: String(n.c),
    k: String(n.k),
    nf: String(n.f),
  };
}
