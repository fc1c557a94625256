/**
 * The convolution stepper's pure state: kernel presets and validation, URL parsing (tolerant of
 * anything), the stepper's small input, step index ↔ output cell, what to highlight and what to
 * announce. No DOM; unit-tested in tests/unit/widgets/conv-stepper.test.ts.
 */
import {
  conv2d,
  conv2dTrace,
  tensor,
  type ConvForwardTrace,
  type Tensor,
} from '../../cnn/index.ts';

/** Kernel sides the editor offers; 3×3 is the default. */
export type Size = 3 | 5;
export const SIZES: readonly Size[] = [3, 5];
/** The default kernel side. */
export const K: Size = 3;
/** Zero padding on every side for a kernel of side `size`: (size − 1) / 2 keeps the image size. */
export const padFor = (size: number): number => (size - 1) / 2;
/** Padding of the default 3×3 kernel. */
export const PAD = padFor(K);
/** The side of a square kernel given row by row. */
export const sideOf = (k: readonly number[]): number => Math.round(Math.sqrt(k.length));
/** The full image side (MNIST) and the stepper's downsampled side. */
export const FULL = 28;
export const SMALL = 14;
/** Output cells the stepper walks through (padding 1 keeps 14×14). */
export const STEPS = SMALL * SMALL;

export type Mode = 'xcorr' | 'conv';

export interface Preset {
  readonly id: string;
  readonly label: string;
  readonly values: readonly number[];
}

const r = (x: number) => Math.round(x * 1e4) / 1e4;

export const PRESETS: readonly Preset[] = [
  { id: 'identity', label: 'Identity', values: [0, 0, 0, 0, 1, 0, 0, 0, 0] },
  { id: 'box', label: 'Box blur', values: Array.from({ length: 9 }, () => r(1 / 9)) },
  {
    id: 'gaussian',
    label: 'Gaussian 3×3',
    values: [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
  },
  { id: 'sharpen', label: 'Sharpen', values: [0, -1, 0, -1, 5, -1, 0, -1, 0] },
  { id: 'vertical', label: 'Vertical edge', values: [-1, 0, 1, -1, 0, 1, -1, 0, 1] },
  { id: 'horizontal', label: 'Horizontal edge', values: [-1, -1, -1, 0, 0, 0, 1, 1, 1] },
  { id: 'sobel-x', label: 'Sobel x', values: [-1, 0, 1, -2, 0, 2, -1, 0, 1] },
  { id: 'sobel-y', label: 'Sobel y', values: [-1, -2, -1, 0, 0, 0, 1, 2, 1] },
];

const outer = (a: readonly number[], b: readonly number[], scale = 1) =>
  a.flatMap((x) => b.map((y) => (x * y) / scale));

/** 5×5 presets (ids end in -5): the same ideas on a wider window. */
export const PRESETS_5: readonly Preset[] = [
  { id: 'identity-5', label: 'Identity 5×5', values: outer([0, 0, 1, 0, 0], [0, 0, 1, 0, 0]) },
  { id: 'box-5', label: 'Box blur 5×5', values: Array.from({ length: 25 }, () => 0.04) },
  {
    id: 'gaussian-5',
    label: 'Gaussian 5×5',
    values: outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1], 256),
  },
  {
    id: 'vertical-5',
    label: 'Vertical edge 5×5',
    values: outer([1, 1, 1, 1, 1], [-1, -1, 0, 1, 1]),
  },
  {
    id: 'horizontal-5',
    label: 'Horizontal edge 5×5',
    values: outer([-1, -1, 0, 1, 1], [1, 1, 1, 1, 1]),
  },
];

/** The presets offered for a kernel side. */
export const presetsFor = (size: number): readonly Preset[] => (size === 5 ? PRESETS_5 : PRESETS);

/** The preset to switch to when the side changes: the same idea at the new size, else identity. */
export function presetForSize(id: string, size: Size): Preset {
  const base = id.replace(/-5$/, '');
  const list = presetsFor(size);
  return (
    list.find((p) => p.id === (size === 5 ? `${base}-5` : base)) ??
    list.find((p) => p.id.startsWith('identity'))!
  );
}

export const DEFAULT_PRESET = 'vertical';
export const SPEEDS = [1, 2, 5, 10, 20] as const; // output cells per second
export const DEFAULT_SPEED = 5;

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id) ?? PRESETS_5.find((p) => p.id === id);
}

/** The preset whose values equal `kernel`, if any (for the preset menu after an edit). */
export function matchPreset(kernel: readonly number[]): Preset | undefined {
  return presetsFor(sideOf(kernel)).find(
    (p) =>
      p.values.length === kernel.length && p.values.every((v, i) => Math.abs(v - kernel[i]) < 1e-9),
  );
}

/** Rotates a square kernel by 180°: k̃[p][q] = k[n−1−p][n−1−q]. Cross-correlation with k̃ is true convolution with k. */
export function flipKernel(k: readonly number[]): number[] {
  return [...k].reverse();
}

export function effectiveKernel(k: readonly number[], mode: Mode): number[] {
  return mode === 'conv' ? flipKernel(k) : [...k];
}

/** The largest |value| a kernel cell or bias may hold (keeps the colour scale and sums readable). */
export const MAX_ABS = 100;

export type CellParse = { ok: true; value: number } | { ok: false; message: string };

/**
 * Parses what the reader typed into kernel cell (row, col), both counted from 1 as the reader
 * sees them. Accepts "−" (U+2212) and a decimal comma.
 */
export function parseNumber(text: string, what: string): CellParse {
  const t = text
    .trim()
    .replace(/\u2212/g, '-')
    .replace(',', '.');
  const value = t === '' ? Number.NaN : Number(t);
  if (!Number.isFinite(value))
    return { ok: false, message: `${what} must be a number, got "${text}"` };
  if (Math.abs(value) > MAX_ABS) {
    return {
      ok: false,
      message: `${what} must be between −${MAX_ABS} and ${MAX_ABS}, got ${value}`,
    };
  }
  return { ok: true, value };
}

export function parseKernelCell(text: string, row: number, col: number): CellParse {
  return parseNumber(text, `kernel cell (row ${row}, col ${col})`);
}

export interface Sample {
  readonly label: number;
  readonly pixels: readonly number[];
}

export interface UrlState {
  /** Row by row; its length is 9 or 25 (the side is sideOf(kernel)). */
  readonly kernel: readonly number[];
  readonly bias: number;
  readonly mode: Mode;
  readonly step: number;
  readonly digit: number;
  readonly speed: number;
  /** One line per value that could not be used (shown to the reader). */
  readonly notes: readonly string[];
}

export function defaultState(): UrlState {
  return {
    kernel: [...presetById(DEFAULT_PRESET)!.values],
    bias: 0,
    mode: 'xcorr',
    step: 0,
    digit: 0,
    speed: DEFAULT_SPEED,
    notes: [],
  };
}

const show = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);

/**
 * Reads the widget's URL parameters (namespace `conv`): k (9 numbers, comma-separated, row by
 * row) or preset (a preset id), b (bias), m (xcorr | conv), s (step, 1-based), d (sample digit),
 * v (speed). Anything unusable falls back to its default and adds a note; never throws.
 */
export function parseUrlState(params: ReadonlyMap<string, string>, samples: number): UrlState {
  const d = defaultState();
  const notes: string[] = [];
  let kernel = d.kernel;
  let size: Size = K;
  const n = params.get('n');
  if (n !== undefined) {
    if (n === '3' || n === '5') size = Number(n) as Size;
    else notes.push(`Kernel size ${show(n)} in the link is not 3 or 5; using 3×3.`);
  }
  if (size === 5) kernel = presetForSize(DEFAULT_PRESET, 5).values;
  const preset = params.get('preset');
  if (preset !== undefined) {
    const p = presetsFor(size).find((x) => x.id === preset);
    if (p) kernel = p.values;
    else
      notes.push(
        `Unknown kernel preset ${show(preset)}; using ${presetById(DEFAULT_PRESET)!.label}.`,
      );
  }
  const k = params.get('k');
  if (k !== undefined) {
    const parts = k.split(',');
    const parsed = parts.map((t, i) =>
      parseKernelCell(t, Math.floor(i / size) + 1, (i % size) + 1),
    );
    const bad = parsed.find((p) => !p.ok);
    if (parts.length !== size * size) {
      notes.push(
        `The ${size}×${size} kernel in the link needs ${size * size} numbers, got ${parts.length}; using the default kernel.`,
      );
    } else if (bad && !bad.ok) {
      notes.push(`The kernel in the link was not used: ${bad.message}.`);
    } else {
      kernel = parsed.map((p) => (p.ok ? p.value : 0));
    }
  }
  let bias = d.bias;
  const b = params.get('b');
  if (b !== undefined) {
    const p = parseNumber(b, 'bias');
    if (p.ok) bias = p.value;
    else notes.push(`The bias in the link was not used: ${p.message}.`);
  }
  let mode = d.mode;
  const m = params.get('m');
  if (m !== undefined) {
    if (m === 'xcorr' || m === 'conv') mode = m;
    else notes.push(`Unknown mode ${show(m)}; using cross-correlation.`);
  }
  /** A whole number lo…hi from the link, or the default with a note. */
  const int = (key: string, lo: number, hi: number, what: string, fallback: number) => {
    const raw = params.get(key);
    if (raw === undefined) return fallback;
    const v = /^\s*\d{1,6}\s*$/.test(raw) ? Number(raw) : Number.NaN;
    if (v >= lo && v <= hi) return v;
    notes.push(
      `${what} ${show(raw)} in the link is not a whole number from ${lo} to ${hi}; using ${fallback}.`,
    );
    return fallback;
  };
  const step = int('s', 1, STEPS, 'Step', d.step + 1) - 1;
  const digit = int('d', 1, Math.max(1, samples), 'Digit', d.digit + 1) - 1;
  let speed = int('v', 1, 20, 'Speed', d.speed);
  if (!(SPEEDS as readonly number[]).includes(speed)) {
    notes.push(
      `Speed ${speed} is not one of ${SPEEDS.join(', ')} cells per second; using ${d.speed}.`,
    );
    speed = d.speed;
  }
  return { kernel, bias, mode, step, digit, speed, notes };
}

/** The URL parameters for a state (kernel as a preset id when it is one). */
export function urlParams(s: Omit<UrlState, 'notes'>): Record<string, string | undefined> {
  const preset = matchPreset(s.kernel);
  return {
    n: s.kernel.length === 25 ? '5' : undefined,
    preset: preset?.id,
    k: preset ? undefined : s.kernel.map((v) => String(v)).join(','),
    b: s.bias === 0 ? undefined : String(s.bias),
    m: s.mode === 'xcorr' ? undefined : s.mode,
    s: String(s.step + 1),
    d: String(s.digit + 1),
    v: s.speed === DEFAULT_SPEED ? undefined : String(s.speed),
  };
}

/** 28×28 → 14×14 by averaging each 2×2 block (so every step window covers 6×6 original pixels). */
export function downsample2(image: ArrayLike<number>, side = FULL): Float32Array {
  if (image.length !== side * side || side % 2 !== 0) {
    throw new RangeError(
      `downsample2: need an even square image, got ${image.length} values for side ${side}`,
    );
  }
  const h = side / 2;
  const out = new Float32Array(h * h);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < h; j++) {
      const a = 2 * i * side + 2 * j;
      out[i * h + j] = (image[a] + image[a + 1] + image[a + side] + image[a + side + 1]) / 4;
    }
  }
  return out;
}

export function clampStep(step: number): number {
  if (!Number.isFinite(step)) return 0;
  return Math.min(STEPS - 1, Math.max(0, Math.trunc(step)));
}

/** Step index (row-major over the 14×14 output) ↔ output cell. */
export function stepToCell(step: number, cols = SMALL): { row: number; col: number } {
  const s = clampStep(step);
  return { row: Math.floor(s / cols), col: s % cols };
}
export function cellToStep(row: number, col: number, cols = SMALL): number {
  return clampStep(row * cols + col);
}

/** The step after a key press, or null for keys the stepper does not handle. */
export function stepForKey(key: string, step: number): number | null {
  switch (key) {
    case 'ArrowRight':
      return clampStep(step + 1);
    case 'ArrowLeft':
      return clampStep(step - 1);
    case 'ArrowDown':
      return clampStep(step + SMALL);
    case 'ArrowUp':
      return clampStep(step - SMALL);
    case 'Home':
      return 0;
    case 'End':
      return STEPS - 1;
    default:
      return null;
  }
}

export const asTensor = (side: number, data: ArrayLike<number>): Tensor =>
  tensor([1, 1, side, side], Array.from(data));
export const kernelTensor = (k: readonly number[]): Tensor =>
  tensor([1, 1, sideOf(k), sideOf(k)], [...k]);
export const biasTensor = (b: number): Tensor => tensor([1], [b]);

/** The feature map of one image: reference conv2d with padding 1 (what the widget shows first). */
export function featureMap(
  image: ArrayLike<number>,
  side: number,
  k: readonly number[],
  bias: number,
): Float32Array {
  return conv2d(asTensor(side, image), kernelTensor(k), {
    pads: padFor(sideOf(k)),
    bias: biasTensor(bias),
  }).data;
}

/** The multiply-add of one output cell of the stepper (same code path as conv2d). */
export function cellTrace(
  small: ArrayLike<number>,
  k: readonly number[],
  bias: number,
  step: number,
): ConvForwardTrace {
  const { row, col } = stepToCell(step);
  return conv2dTrace(
    asTensor(SMALL, small),
    kernelTensor(k),
    { n: 0, filter: 0, row, col },
    {
      pads: padFor(sideOf(k)),
      bias: biasTensor(bias),
    },
  );
}

/** The multiply-add of one cell (flat index) of the full 28×28 feature map. */
export function fullTrace(
  image: ArrayLike<number>,
  k: readonly number[],
  bias: number,
  index: number,
): ConvForwardTrace {
  const i = Math.min(FULL * FULL - 1, Math.max(0, Math.trunc(index) || 0));
  return conv2dTrace(
    asTensor(FULL, image),
    kernelTensor(k),
    { n: 0, filter: 0, row: Math.floor(i / FULL), col: i % FULL },
    { pads: padFor(sideOf(k)), bias: biasTensor(bias) },
  );
}

/** Flat indices of the input cells under the window of a trace (taps in the padding excluded). */
export function windowIndices(trace: ConvForwardTrace, side = SMALL): number[] {
  return trace.terms.filter((t) => !t.inPadding).map((t) => t.inputRow * side + t.inputCol);
}

/** Numbers as the widget writes them: 2 decimals for pixels, up to 4 for kernels; − for minus. */
export function fmt(v: number, decimals = 2): string {
  const s = Number.isInteger(v) ? String(v) : String(Number(v.toFixed(decimals)));
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

/** The written-out sum of a trace: "0.5·1 + 0·0 + … + b = y". */
export function traceEquation(trace: ConvForwardTrace): string {
  const terms = trace.terms.map((t) => `${fmt(t.input)}·${fmt(t.kernel, 4)}`);
  return `${terms.join(' + ')} + ${fmt(trace.bias, 4)} = ${fmt(trace.sum, 4)}`;
}

/** What the live region says about a step. */
export function announcement(step: number, trace: ConvForwardTrace): string {
  return `Step ${step + 1} of ${STEPS}: output row ${trace.row + 1}, column ${trace.col + 1} = ${fmt(trace.sum, 4)}`;
}

/** Throttle for the live region: speak at most once per `ms` while playing. */
export function shouldAnnounce(now: number, last: number, playing: boolean, ms = 2000): boolean {
  return !playing || now - last >= ms;
}

/** Which pictures the upload path can take, decided from the file's type and size (pure). */
export function checkUploadType(type: string, name: string): string | null {
  if (type.startsWith('image/')) return null;
  return `"${name}" is not an image (type ${type || 'unknown'}); choose a PNG, JPEG, GIF, WebP or BMP file.`;
}
