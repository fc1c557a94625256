/**
 * The convolution stepper's state: one immutable value (the kernel as last validly typed and the
 * editor's text, bias, mode, the input image, the step and playback, what the pointer inspects)
 * and `reduce`, the pure update for every reader action. No DOM; unit-tested in
 * tests/unit/widgets/conv-stepper.test.ts. Presets live in kernels.ts, the arithmetic in conv.ts,
 * the link's fields in link.ts.
 */
import { clampStep, STEPS } from './conv';
import { effectiveKernel, matchPreset, presetById, presetForSize, sideOf } from './kernels';
import type { Mode, Size } from './kernels';
import { kernelCell, urlParams, weight } from './link';
import type { LinkState, UrlState } from './link';

export * from './conv';
export * from './kernels';
export * from './link';

export interface Sample {
  readonly label: number;
  readonly pixels: readonly number[];
}

/** A line under the drawing pad or the upload control; `state` colours it. */
export interface Message {
  readonly text: string;
  readonly state?: 'busy' | 'ok' | 'error';
}

export interface ConvState extends LinkState {
  /** The embedded MNIST digits, 28×28 each. */
  readonly samples: readonly Float32Array[];
  /** The chosen input: `d0`…`d3` (a sample), `drawn` or `upload`. */
  readonly source: string;
  /** The 28×28 image the maps are computed from, and a number that changes with it. */
  readonly image: Float32Array;
  readonly imageId: number;
  readonly drawn: Float32Array | null;
  readonly uploaded: Float32Array | null;
  readonly drawMsg: string;
  readonly upload: Message;
  /** The text of each kernel box (size² of them), which may not be a number. */
  readonly cells: readonly string[];
  /** Boxes holding text that is not a number (the kernel keeps their last valid value). */
  readonly invalid: readonly number[];
  readonly kernelError: string;
  readonly biasText: string;
  readonly biasError: string;
  readonly playing: boolean;
  /** The step playback started from: the link keeps it while playing. */
  readonly playedFrom: number;
  /** The output cell the pointer previews (null: none). */
  readonly preview: number | null;
  /** The cell of the full feature map the pointer reads (null: none). */
  readonly inspect: number | null;
}

export type ConvAction =
  | { readonly kind: 'cell'; readonly index: number; readonly raw: string }
  | { readonly kind: 'bias'; readonly raw: string }
  | { readonly kind: 'preset'; readonly id: string }
  | { readonly kind: 'size'; readonly size: Size }
  | { readonly kind: 'flip'; readonly on: boolean }
  | { readonly kind: 'go'; readonly step: number }
  | { readonly kind: 'toggle' }
  | { readonly kind: 'tick' }
  | { readonly kind: 'preview'; readonly step: number | null }
  | { readonly kind: 'inspect'; readonly index: number | null }
  | { readonly kind: 'speed'; readonly speed: number }
  | { readonly kind: 'source'; readonly value: string }
  | { readonly kind: 'drawn'; readonly image: Float32Array }
  | { readonly kind: 'draw-msg'; readonly text: string }
  | { readonly kind: 'upload-start'; readonly name: string }
  | { readonly kind: 'uploaded'; readonly name: string; readonly image: Float32Array }
  | { readonly kind: 'upload-failed'; readonly message: string };

/** The first state: the link's settings on the embedded samples. */
export function initState(samples: readonly Sample[], url: UrlState): ConvState {
  const images = samples.map((s) => Float32Array.from(s.pixels));
  return {
    bias: url.bias,
    mode: url.mode,
    step: url.step,
    digit: url.digit,
    speed: url.speed,
    samples: images,
    source: `d${url.digit}`,
    image: images[url.digit] ?? new Float32Array(28 * 28),
    imageId: 0,
    drawn: null,
    uploaded: null,
    drawMsg: '',
    upload: { text: '' },
    ...editor(url.kernel),
    biasText: String(url.bias),
    biasError: '',
    playing: false,
    playedFrom: url.step,
    preview: null,
    inspect: null,
  };
}

/** The editor showing `kernel` with nothing invalid. */
const editor = (kernel: readonly number[]) => ({
  kernel,
  cells: kernel.map(String),
  invalid: [],
  kernelError: '',
});

/** "(row 1, col 0)": a kernel cell, 0-based as k_{p,q}. */
const where = (i: number, size: number) => `(row ${Math.floor(i / size)}, col ${i % size})`;

function editCell(s: ConvState, index: number, raw: string): ConvState {
  const size = sideOf(s.kernel);
  if (!Number.isInteger(index) || index < 0 || index >= size * size) return s;
  const r = kernelCell(Math.floor(index / size), index % size).parse(raw);
  const cells = s.cells.map((t, i) => (i === index ? raw : t));
  const others = s.invalid.filter((i) => i !== index);
  if (!r.ok)
    return {
      ...s,
      cells,
      invalid: [...others, index],
      kernelError: `${r.error} The last valid kernel is still in use.`,
    };
  return {
    ...s,
    cells,
    invalid: others,
    kernel: s.kernel.map((v, i) => (i === index ? r.value : v)),
    kernelError: others.length
      ? `Kernel cell ${others.map((i) => where(i, size)).join(', ')} still holds text that is not a number.`
      : '',
  };
}

function useImage(s: ConvState, image: Float32Array, source: string): ConvState {
  return { ...s, image, source, imageId: s.imageId + 1, inspect: null };
}

export function reduce(s: ConvState, a: ConvAction): ConvState {
  switch (a.kind) {
    case 'cell':
      return editCell(s, a.index, a.raw);
    case 'bias': {
      const r = weight('b', 'bias').parse(a.raw);
      return r.ok
        ? { ...s, biasText: a.raw, bias: r.value, biasError: '' }
        : {
            ...s,
            biasText: a.raw,
            biasError: `${r.error} The last valid bias is still in use.`,
          };
    }
    case 'preset': {
      const p = presetById(a.id);
      if (!p || p.values.length !== s.kernel.length) return s;
      return { ...s, ...editor(p.values) };
    }
    case 'size': {
      if (a.size === sideOf(s.kernel)) return s;
      return {
        ...s,
        ...editor(presetForSize(matchPreset(s.kernel)?.id ?? 'identity', a.size).values),
      };
    }
    case 'flip': {
      const mode: Mode = a.on ? 'conv' : 'xcorr';
      return mode === s.mode ? s : { ...s, mode };
    }
    case 'go':
      return { ...s, step: clampStep(a.step), playing: false, preview: null };
    case 'toggle':
      if (s.playing) return { ...s, playing: false };
      return {
        ...s,
        playing: true,
        playedFrom: s.step,
        preview: null,
        step: s.step >= STEPS - 1 ? 0 : s.step,
      };
    case 'tick': {
      if (!s.playing) return s;
      const step = clampStep(s.step + 1);
      return { ...s, step, playing: step < STEPS - 1 };
    }
    case 'preview':
      return a.step === s.preview
        ? s
        : { ...s, preview: a.step === null ? null : clampStep(a.step) };
    case 'inspect':
      return a.index === s.inspect ? s : { ...s, inspect: a.index };
    case 'speed':
      return { ...s, speed: a.speed };
    case 'source': {
      const digit = /^d(\d+)$/.exec(a.value);
      if (digit) {
        const i = Number(digit[1]);
        const image = s.samples[i];
        return image ? { ...useImage(s, image, a.value), digit: i } : s;
      }
      if (a.value === 'drawn' && s.drawn) return useImage(s, s.drawn, 'drawn');
      if (a.value === 'upload' && s.uploaded) return useImage(s, s.uploaded, 'upload');
      return s;
    }
    case 'drawn':
      return {
        ...useImage(s, a.image, 'drawn'),
        drawn: a.image,
        drawMsg: 'Your drawing, centred and scaled like an MNIST digit, is the input now.',
      };
    case 'draw-msg':
      return { ...s, drawMsg: a.text };
    case 'upload-start':
      return { ...s, upload: { text: `Reading "${a.name}"…`, state: 'busy' } };
    case 'uploaded':
      return {
        ...useImage(s, a.image, 'upload'),
        uploaded: a.image,
        upload: {
          text: `"${a.name}", downscaled and centred like an MNIST digit, is the input now.`,
          state: 'ok',
        },
      };
    case 'upload-failed':
      return {
        ...s,
        upload: {
          text: `That picture could not be used: ${a.message}. The previous input stays.`,
          state: 'error',
        },
      };
  }
}

/** The kernel as slid over the image (flipped for true convolution). */
export const slid = (s: ConvState): number[] => effectiveKernel(s.kernel, s.mode);

/** Same key ⇒ same feature maps: the slid kernel, the bias and the image. */
export const computeKey = (s: ConvState): string => `${slid(s).join(',')}|${s.bias}|${s.imageId}`;

/** The link of a state: while playing it keeps the step playback started from. */
export const stateParams = (s: ConvState): Record<string, string | undefined> =>
  urlParams({ ...s, step: s.playing ? s.playedFrom : s.step }, s.samples.length);

/**
 * Whether the live region should speak for this change: every step change while paused, the stop
 * of playback, and while playing one step in every 2 s (2·speed steps), so readers are not flooded.
 */
export function speaks(prev: ConvState | undefined, next: ConvState): boolean {
  if (!prev) return true;
  if (prev.playing && !next.playing) return true;
  if (prev.step === next.step) return false;
  return !next.playing || next.step % (2 * next.speed) === 0;
}
