/**
 * photo-filter (lesson 4): one filter that spans all three colour channels of a real photo — a
 * 3 × 3 kernel per channel, the reader editing all 27 weights and the bias. Each channel's partial
 * map is its kernel slid over its own channel (a depthwise conv2d, group 3); the feature map is
 * the full conv2d, which is their sum plus the bias. Pure.
 */
import { conv2d, tensor } from '../../cnn/index.ts';
import type { Tensor } from '../../cnn/index.ts';
import { choice, decimal } from '../shared/fields';
import type { Field, Parsed } from '../shared/fields';
import * as photoState from '../shared/photo-state';
import { PHOTO_IDS, photoPlanes } from '../shared/photos';
import type { Photo } from '../shared/photos';
import { FILTER_IDS, filterById } from './filters';

export const CHANNEL_NAMES = ['red', 'green', 'blue'] as const;
export const WEIGHT_LIMIT = 10;

const weightsField: Field<readonly number[]> = {
  key: 'w',
  label: 'weights',
  initial: [],
  parse(raw): Parsed<readonly number[]> {
    const parts = raw.split(/[\s,;]+/).filter((t) => t !== '');
    const values = parts.map((t) => Number(t.replace(/^−/, '-')));
    if (parts.length !== 27)
      return { ok: false, error: `weights: 27 numbers are needed, got ${parts.length}.` };
    const bad = values.findIndex((v) => !Number.isFinite(v) || Math.abs(v) > WEIGHT_LIMIT);
    if (bad >= 0)
      return {
        ok: false,
        error: `weights: number ${bad + 1} (${parts[bad]}) is not between −${WEIGHT_LIMIT} and ${WEIGHT_LIMIT}.`,
      };
    return { ok: true, value: values };
  },
  format: (v) => v.map((x) => String(Number(x.toPrecision(4)))).join(','),
};

export const FIELDS = {
  photo: choice('p', 'photo', PHOTO_IDS, 'chelsea'),
  filter: choice('f', 'filter', FILTER_IDS, 'red-not-green'),
  weights: weightsField,
  bias: decimal('b', 'bias', { min: -10, max: 10, initial: 0 }),
} as const;

/** One weight's field: `red weight (row 0, column 2)`, in [−10, 10]. */
export const weightCell = (index: number): Field<number> =>
  decimal(
    `w${index}`,
    `${CHANNEL_NAMES[Math.floor(index / 9)]} weight (row ${Math.floor((index % 9) / 3)}, column ${index % 3})`,
    { min: -WEIGHT_LIMIT, max: WEIGHT_LIMIT, initial: 0 },
  );

export interface FilterState extends photoState.Slice {
  /** 27 weights, [channel][row][column]. */
  readonly weights: readonly number[];
  readonly bias: number;
  /** The preset the weights are, or 'custom' once the reader edits one. */
  readonly filter: string;
  /** What the reader typed that is not a number in range, by `w<index>` or `b`. */
  readonly errors: Readonly<Record<string, string>>;
}

export type FilterAction =
  | photoState.Action
  | { readonly kind: 'preset'; readonly id: string }
  | { readonly kind: 'weight'; readonly index: number; readonly raw: string }
  | { readonly kind: 'bias'; readonly raw: string };

export function initialFilter(
  photo: Photo,
  v: { filter: string; weights: readonly number[]; bias: number },
): FilterState {
  const preset = filterById(v.filter)!;
  const custom = v.weights.length === 27;
  return {
    ...photoState.initial(photo),
    weights: custom ? v.weights : preset.weights,
    bias: v.bias,
    filter: custom ? 'custom' : preset.id,
    errors: {},
  };
}

const without = (errors: Readonly<Record<string, string>>, key: string) => {
  const { [key]: _, ...rest } = errors;
  return rest;
};

export function reduceFilter(s: FilterState, a: FilterAction): FilterState {
  if (photoState.isAction(a)) return photoState.reduce(s, a);
  switch (a.kind) {
    case 'preset': {
      const f = filterById(a.id);
      if (!f) return s;
      const errors = Object.fromEntries(Object.entries(s.errors).filter(([k]) => k === 'b'));
      return { ...s, filter: f.id, weights: f.weights, errors };
    }
    case 'weight': {
      if (!Number.isInteger(a.index) || a.index < 0 || a.index > 26) return s;
      const r = weightCell(a.index).parse(a.raw);
      const key = `w${a.index}`;
      if (!r.ok) return { ...s, errors: { ...s.errors, [key]: r.error } };
      if (r.value === s.weights[a.index]) return { ...s, errors: without(s.errors, key) };
      const weights = s.weights.map((w, i) => (i === a.index ? r.value : w));
      return { ...s, weights, filter: 'custom', errors: without(s.errors, key) };
    }
    case 'bias': {
      const r = FIELDS.bias.parse(a.raw);
      if (!r.ok) return { ...s, errors: { ...s.errors, b: r.error } };
      return { ...s, bias: r.value, errors: without(s.errors, 'b') };
    }
  }
}

/** The link: photo, preset (or the 27 weights once edited), bias. */
export function filterParams(s: FilterState): Record<string, string | undefined> {
  const custom = s.filter === 'custom';
  return {
    p: s.photo.key === FIELDS.photo.initial ? undefined : s.photo.key,
    f: custom || s.filter === FIELDS.filter.initial ? undefined : s.filter,
    w: custom ? FIELDS.weights.format(s.weights) : undefined,
    b: s.bias === 0 ? undefined : FIELDS.bias.format(s.bias),
  };
}

export interface FilterResult {
  readonly x: Tensor; // [1, 3, H, W] in [0, 1]
  /** The same weights as three one-channel filters [3, 1, 3, 3] (depthwise: group 3). */
  readonly perChannel: Tensor;
  /** The filter [1, 3, 3, 3] and its bias [1]. */
  readonly kernel: Tensor;
  readonly bias: Tensor;
  /** Each channel's partial map [1, 3, H, W]: its kernel over its own channel, no bias. */
  readonly parts: Tensor;
  /** The feature map [1, 1, H, W] = Σ parts + bias. */
  readonly y: Tensor;
}

/**
 * Both convolutions on the reference engine, one ring of zero padding (maps keep the size). The
 * page asks reference.worker.ts for them: longer than a frame.
 */
export function computeFilter(s: Pick<FilterState, 'photo' | 'weights' | 'bias'>): FilterResult {
  const { width: w, height: h } = s.photo;
  const x = tensor([1, 3, h, w], photoPlanes(s.photo));
  const perChannel = tensor([3, 1, 3, 3], [...s.weights]);
  const kernel = tensor([1, 3, 3, 3], [...s.weights]);
  const bias = tensor([1], [s.bias]);
  return {
    x,
    perChannel,
    kernel,
    bias,
    parts: conv2d(x, perChannel, { pads: 1, group: 3 }),
    y: conv2d(x, kernel, { pads: 1, bias }),
  };
}

/** The pointed pixel: each channel's share, the bias and the feature map's value there. */
export function pixelSum(
  s: FilterState,
  r: FilterResult,
): { row: number; col: number; parts: number[]; bias: number; y: number } {
  const n = s.photo.width * s.photo.height;
  return {
    row: Math.floor(s.cursor / s.photo.width),
    col: s.cursor % s.photo.width,
    parts: [0, 1, 2].map((c) => r.parts.data[c * n + s.cursor]!),
    bias: s.bias,
    y: r.y.data[s.cursor]!,
  };
}
