/**
 * What the convolution-arithmetic figure shows, computed: the geometry (always from the reference
 * engine's `convGeometry`, the one geometry function), the output (its `conv2d` or
 * `convTranspose2d`), which cells the kernel's footprint covers at each step, the formula with
 * the reader's numbers, and the sentence to announce.
 */
import {
  CnnError,
  conv2d,
  convGeometry,
  convTranspose2d,
  inputCol,
  inputRow,
  tensor,
} from '../../cnn/index.ts';
import type { ConvGeometry, Tensor } from '../../cnn/index.ts';
import { MAX_TRANSPOSE_SIDE, padding, rangeProblem } from './settings';
import type { ArithSettings, Slot } from './settings';

/** A control whose message an engine refusal is (see `fieldOfError`). */
export type Field = Exclude<Slot, 'padMode'>;

export type ArithResult =
  | {
      readonly ok: true;
      readonly settings: ArithSettings;
      /** Conv mode: the convolution's geometry. Transpose mode: the convolution it reverses. */
      readonly g: ConvGeometry;
      readonly x: Tensor;
      readonly kernel: Tensor;
      readonly y: Tensor;
      /** Transpose mode: output size before the padding crops it. */
      readonly full: readonly [number, number];
    }
  | { readonly ok: false; readonly field: Slot | 'form'; readonly message: string };
export type ArithOk = Extract<ArithResult, { ok: true }>;

/** The numbered input: cell (i, j) holds i·W + j + 1, so the reader can name every cell. */
export function numberedInput(h: number, w: number): Tensor {
  return tensor(
    [1, 1, h, w],
    Array.from({ length: h * w }, (_, i) => i + 1),
  );
}
/** The fixed kernel: all ones, so an output cell is the sum of the input numbers it covers. */
export function onesKernel(k: number): Tensor {
  return tensor([1, 1, k, k], new Array<number>(k * k).fill(1));
}

/**
 * Which control an engine refusal is about, from the argument the engine names (`CnnError`):
 * strides → the stride that is wrong, dilations, pads (the padding control in use), the kernel.
 */
export function fieldOfError(error: unknown, s: ArithSettings): Field | 'form' {
  if (!(error instanceof CnnError)) return 'form';
  switch (error.argument) {
    case 'strides':
      return Number.isInteger(s.sh) && s.sh >= 1 ? 'sw' : 'sh';
    case 'dilations':
      return 'd';
    case 'pads':
    case 'outputPadding':
      return s.padMode === 'asymmetric' ? 'pads' : 'pad';
    case 'kernelShape':
    case 'kernel':
      return 'k';
    default:
      return 'form';
  }
}

/** Validates, computes the geometry with `convGeometry`, and the reference output. */
export function computeArith(s: ArithSettings): ArithResult {
  const range = rangeProblem(s);
  if (range) return { ok: false, field: range.slot, message: range.message };
  const pads = padding(s);
  const x = numberedInput(s.h, s.w);
  const kernel = onesKernel(s.k);
  const attrs = { strides: [s.sh, s.sw] as const, pads, dilations: s.d };
  try {
    if (s.mode === 'conv') {
      const g = convGeometry({
        op: 'conv2d',
        inputShape: x.shape,
        kernelShape: s.k,
        strides: attrs.strides,
        pads,
        dilations: s.d,
      });
      const y = conv2d(x, kernel, attrs);
      return { ok: true, settings: s, g, x, kernel, y, full: [g.outHeight, g.outWidth] };
    }
    if (pads === 'same') {
      // The engine refuses this with its own message; call it so the reader sees that message.
      convTranspose2d(x, kernel, { ...attrs, pads: pads as unknown as 'valid' });
    }
    const tPads = pads as number | readonly [number, number, number, number] | 'valid';
    const y = convTranspose2d(x, kernel, { ...attrs, pads: tPads });
    // The convolution this transposed convolution reverses: its input is y, its output is x.
    const g = convGeometry({
      op: 'convTranspose2d',
      inputShape: y.shape,
      kernelShape: s.k,
      strides: attrs.strides,
      pads: tPads,
      dilations: s.d,
    });
    const full: [number, number] = [
      g.inHeight + g.pads[0] + g.pads[2],
      g.inWidth + g.pads[1] + g.pads[3],
    ];
    if (Math.max(...full) > MAX_TRANSPOSE_SIDE) {
      return {
        ok: false,
        field: 'form',
        message: `this transposed convolution's output would be ${full[0]}×${full[1]} before cropping; this figure draws at most ${MAX_TRANSPOSE_SIDE} cells a side — use a smaller input, stride or dilation`,
      };
    }
    return { ok: true, settings: s, g, x, kernel, y, full };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, field: fieldOfError(error, s), message };
  }
}

/** Number of steps: output cells (conv) or input cells (transpose). */
export function stepCount(r: ArithOk): number {
  // Conv: one step per output cell. Transpose: one per input cell, which is the output of the
  // convolution it reverses, so the count is the same expression.
  return r.g.outHeight * r.g.outWidth;
}

export function stepCell(g: ConvGeometry, step: number): { row: number; col: number } {
  const n = g.outHeight * g.outWidth;
  const s = ((step % n) + n) % n;
  return { row: Math.floor(s / g.outWidth), col: s % g.outWidth };
}

/**
 * The kernel's footprint for output cell (row, col) of the convolution g, as flat indices into
 * the padded grid ((H + top + bottom) × (W + left + right)): one index per tap, dilation gaps
 * left out. In transpose mode the same footprint, read backwards, is where input cell (row, col)
 * scatters its value in the uncropped output.
 */
export function footprint(g: ConvGeometry, row: number, col: number): number[] {
  const paddedW = g.inWidth + g.pads[1] + g.pads[3];
  const out: number[] = [];
  for (let p = 0; p < g.kernelHeight; p++) {
    for (let q = 0; q < g.kernelWidth; q++) {
      const r = inputRow(g, row, p) + g.pads[0];
      const c = inputCol(g, col, q) + g.pads[1];
      out.push(r * paddedW + c);
    }
  }
  return out;
}

/** Padded-grid indices that are padding (outside the real input). */
export function paddingCells(g: ConvGeometry): number[] {
  const H = g.inHeight + g.pads[0] + g.pads[2];
  const W = g.inWidth + g.pads[1] + g.pads[3];
  const out: number[] = [];
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) {
      const inside =
        r >= g.pads[0] && r < g.pads[0] + g.inHeight && c >= g.pads[1] && c < g.pads[1] + g.inWidth;
      if (!inside) out.push(r * W + c);
    }
  }
  return out;
}

/** Values on the padded grid: the real grid's values inside, 0 on the padding ring. */
export function padValues(g: ConvGeometry, values: ArrayLike<number>): Float32Array {
  const W = g.inWidth + g.pads[1] + g.pads[3];
  const out = new Float32Array((g.inHeight + g.pads[0] + g.pads[2]) * W);
  for (let r = 0; r < g.inHeight; r++)
    for (let c = 0; c < g.inWidth; c++)
      out[(r + g.pads[0]) * W + c + g.pads[1]] = values[r * g.inWidth + c];
  return out;
}

/** Range of real (unpadded) rows/cols the footprint touches, for the announcement. */
function span(g: ConvGeometry, row: number, col: number) {
  const r0 = inputRow(g, row, 0);
  const r1 = inputRow(g, row, g.kernelHeight - 1);
  const c0 = inputCol(g, col, 0);
  const c1 = inputCol(g, col, g.kernelWidth - 1);
  return { r0, r1, c0, c1 };
}

/** One sentence for screen readers about the current step. */
export function announce(r: ArithOk, step: number): string {
  const { g } = r;
  const { row, col } = stepCell(g, step);
  const { r0, r1, c0, c1 } = span(g, row, col);
  const n = g.outHeight * g.outWidth;
  const k = `${g.kernelHeight}×${g.kernelWidth} kernel${g.dilationHeight > 1 ? ` with dilation ${g.dilationHeight}` : ''}`;
  const padded =
    r0 < 0 || c0 < 0 || r1 >= g.inHeight || c1 >= g.inWidth ? ', partly on the padding' : '';
  if (r.settings.mode === 'conv') {
    const v = r.y.data[row * g.outWidth + col];
    return `Step ${step + 1} of ${n}: output row ${row}, column ${col} = ${v}. The ${k} covers input rows ${r0} to ${r1}, columns ${c0} to ${c1}${padded}.`;
  }
  const v = r.x.data[row * g.outWidth + col];
  return `Step ${step + 1} of ${n}: input row ${row}, column ${col} (value ${v}) adds ${v} × the ${k} onto output rows ${r0} to ${r1}, columns ${c0} to ${c1}${padded ? ', partly on the cropped border' : ''}.`;
}

/** Output-size formula for one axis, in TeX, with the reader's numbers substituted. */
export function formulaTex(r: ArithOk, axis: 'h' | 'w'): string {
  const { g, settings: s } = r;
  const H = axis === 'h' ? 'H' : 'W';
  const [b, e] = axis === 'h' ? ['top', 'bottom'] : ['left', 'right'];
  const size = axis === 'h' ? g.inHeight : g.inWidth;
  const [pb, pe] = axis === 'h' ? [g.pads[0], g.pads[2]] : [g.pads[1], g.pads[3]];
  const k = axis === 'h' ? g.kernelHeight : g.kernelWidth;
  const d = axis === 'h' ? g.dilationHeight : g.dilationWidth;
  const st = axis === 'h' ? g.strideHeight : g.strideWidth;
  const out = axis === 'h' ? g.outHeight : g.outWidth;
  if (s.mode === 'conv') {
    return (
      `${H}_\\text{out} = \\left\\lfloor \\frac{${H} + p_\\text{${b}} + p_\\text{${e}} - d\\,(k-1) - 1}{s} \\right\\rfloor + 1` +
      ` = \\left\\lfloor \\frac{${size} + ${pb} + ${pe} - ${d}\\cdot(${k}-1) - 1}{${st}} \\right\\rfloor + 1 = ${out}`
    );
  }
  // Transpose: the reversed convolution's input (size) is this op's output.
  return (
    `${H}_\\text{out} = s\\,(${H}-1) + d\\,(k-1) + 1 - p_\\text{${b}} - p_\\text{${e}}` +
    ` = ${st}\\cdot(${out}-1) + ${d}\\cdot(${k}-1) + 1 - ${pb} - ${pe} = ${size}`
  );
}
