/**
 * augment-dropout (lesson 10): what the two regularisers do to one training step, live. A strip of
 * training digits as the augmentation settings transform them (src/data's augmentBatch, the
 * lab's own function), and the dropout mask of the larger preset's dense layer on a step
 * (src/cnn's dropoutMask, the very tensor the lab feeds to both engines). Pure.
 */
import { dropoutLayerSeed, dropoutMask, mnistLargeNet, outputShapes } from '../../cnn/index';
import type { NetworkSpec } from '../../cnn/index';
import { augmentBatch, augmentDraws, mulberry32 } from '../../data/mnist';
import type { AugmentDraw } from '../../data/mnist';
import { decimal, integer } from '../shared/fields';

export const FIELDS = {
  // the training lab's own ranges (training-lab/config.ts), so any setting here can be trained
  shift: integer('shift', 'shift (± px)', { min: 0, max: 4, initial: 2 }),
  rotate: decimal('rotate', 'rotation (± degrees)', { min: 0, max: 30, initial: 10 }),
  scale: decimal('scale', 'scale (± fraction)', { min: 0, max: 0.3, initial: 0.1 }),
  rate: decimal('rate', 'dropout rate p', {
    min: 0,
    max: 0.9,
    initial: 0.25,
    why: 'p = 1 would drop every unit',
  }),
  step: integer('step', 'step', { min: 0, max: 1_000_000, initial: 0 }),
} as const;
export type AugField = keyof typeof FIELDS;
export type AugValues = { -readonly [K in AugField]: number };

export interface AugState {
  readonly values: AugValues;
  readonly errors: Readonly<Partial<Record<AugField, string>>>;
}

export type AugAction =
  | { readonly kind: 'edit'; readonly field: AugField; readonly raw: string }
  | { readonly kind: 'next' };

export function reduceAug(s: AugState, a: AugAction): AugState {
  if (a.kind === 'next') {
    const step = Math.min(1_000_000, s.values.step + 1);
    const errors = { ...s.errors };
    delete errors.step;
    return { values: { ...s.values, step }, errors };
  }
  const r = FIELDS[a.field].parse(a.raw);
  const errors = { ...s.errors };
  if (r.ok) delete errors[a.field];
  else errors[a.field] = `${r.error} The figure shows the last valid value.`;
  return { values: r.ok ? { ...s.values, [a.field]: r.value } : s.values, errors };
}

/** The seed of step `step`'s augmentation draws (one stream per step, as in the lab). */
export const augSeed = (step: number): number => (0x5eed + Math.imul(step, 0x9e3779b9)) >>> 0;

/** The strip: each digit (784 values in [0, 1], concatenated) as step `step` augments it. */
export function augmentStrip(
  digits: Float32Array,
  v: Pick<AugValues, 'shift' | 'rotate' | 'scale' | 'step'>,
): { images: Float32Array; draws: AugmentDraw[] } {
  const aug = { shift: v.shift, rotate: v.rotate, scale: v.scale };
  const n = digits.length / 784;
  return {
    images: augmentBatch(digits, aug, mulberry32(augSeed(v.step))),
    draws: augmentDraws(n, aug, mulberry32(augSeed(v.step))),
  };
}

const signed = (v: number, digits: number) =>
  `${v < 0 ? '−' : v > 0 ? '+' : ''}${Math.abs(v).toFixed(digits)}`;

/** What one digit got, in words: "rotated +10.0°, ×1.10, moved (+1.0, −2.0) px". */
export function describeDraw(d: AugmentDraw): string {
  if (d.kind === 'none') return 'unchanged';
  const moved = (digits: number) => `moved (${signed(d.dx, digits)}, ${signed(d.dy, digits)}) px`;
  if (d.kind === 'shift') return moved(0);
  return `rotated ${signed((d.angle * 180) / Math.PI, 1)}°, ×${d.scale.toFixed(2)}, ${moved(1)}`;
}

/** Where dropout sits in a network: its layer index and the [C, H, W] (or [n]) it drops from. */
export function dropoutSite(net: NetworkSpec): { layer: number; shape: readonly number[] } {
  const layer = net.layers.findIndex((l) => l.type === 'dropout');
  if (layer < 0) throw new RangeError(`${net.name} has no dropout layer`);
  // the shape before the flatten that feeds it, so the grid keeps the feature maps' layout
  const outputs = outputShapes(net); // [1, …] per layer
  const inputOf = (i: number) => (i === 0 ? [1, ...net.inputShape] : outputs[i - 1]!);
  const from = net.layers[layer - 1]?.type === 'flatten' ? inputOf(layer - 1) : inputOf(layer);
  return { layer, shape: from.slice(1) };
}

export const DROPOUT_NET = mnistLargeNet;

export interface MaskView {
  /** 1 kept, 0 dropped, one per unit, in the flattened order the dense layer reads. */
  readonly kept: Uint8Array;
  readonly shape: readonly number[];
  readonly dropped: number;
  /** What a kept unit is multiplied by: 1 / (1 − p). */
  readonly scaleKept: number;
}

/**
 * The mask the larger preset's dropout layer draws for one digit on step `step` (a batch of one):
 * dropoutMask(dropoutLayerSeed(step, layer), [1, units], p), the engine's own function.
 */
export function maskOfStep(step: number, rate: number, net: NetworkSpec = DROPOUT_NET): MaskView {
  const { layer, shape } = dropoutSite(net);
  const units = shape.reduce((a, b) => a * b, 1);
  const mask = dropoutMask(dropoutLayerSeed(step, layer), [1, units], rate);
  const kept = new Uint8Array(units);
  let dropped = 0;
  mask.data.forEach((m, k) => {
    kept[k] = m > 0 ? 1 : 0;
    if (m === 0) dropped += 1;
  });
  return { kept, shape, dropped, scaleKept: Math.fround(1 / (1 - rate)) };
}
