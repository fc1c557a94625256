/**
 * The parameter counter of the channels figure: a convolution, a dense layer on the same input
 * and output, and a depthwise separable one, with the reader's sizes (one field each).
 */
import { convGeometry } from '../../cnn/index.ts';
import { integer } from '../shared/fields';

export interface CountInputs {
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly k: number;
  readonly f: number;
}
export const COUNT_DEFAULTS: CountInputs = { h: 16, w: 16, c: 3, k: 3, f: 4 };
/** One field per size; its key is the link's (`nf`: `f` is the selected feature map there). */
export const COUNT_FIELDS = {
  h: integer('h', 'height H', { min: 1, max: 4096, initial: COUNT_DEFAULTS.h }),
  w: integer('w', 'width W', { min: 1, max: 4096, initial: COUNT_DEFAULTS.w }),
  c: integer('c', 'channels C', { min: 1, max: 4096, initial: COUNT_DEFAULTS.c }),
  k: integer('k', 'kernel size k', { min: 1, max: 15, initial: COUNT_DEFAULTS.k }),
  f: integer('nf', 'filters F', { min: 1, max: 4096, initial: COUNT_DEFAULTS.f }),
} as const;
export type CountKey = keyof CountInputs;

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
