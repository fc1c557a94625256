/**
 * Area-averaging resampling (a box filter with exact fractional coverage): each output cell is the
 * average of the input it covers, weighted by overlap. Anti-aliased when shrinking, blocky (nearest)
 * when enlarging. Separable, and fed one source row at a time, so memory is bounded by the output
 * size plus one row, whatever the input size.
 */

/**
 * For a line of `srcLen` cells resampled to `dstLen` cells: for each source cell i, the destination
 * cells it overlaps (`dst[offsets[i] … offsets[i+1]−1]`) and the overlap in destination units
 * (`weight`). The weights landing on one destination cell sum to 1.
 */
export interface AreaSpans {
  readonly offsets: Int32Array;
  readonly dst: Int32Array;
  readonly weight: Float64Array;
}

export function areaSpans(srcLen: number, dstLen: number): AreaSpans {
  if (!Number.isInteger(srcLen) || srcLen < 1 || !Number.isInteger(dstLen) || dstLen < 1) {
    throw new RangeError(`lengths must be positive integers, got ${srcLen} → ${dstLen}`);
  }
  const s = dstLen / srcLen;
  const offsets = new Int32Array(srcLen + 1);
  const dst: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < srcLen; i++) {
    const a = i * s;
    const b = Math.min(dstLen, (i + 1) * s);
    for (let j = Math.floor(a); j < Math.min(dstLen, Math.ceil(b)); j++) {
      const overlap = Math.min(b, j + 1) - Math.max(a, j);
      if (overlap > 1e-12) {
        dst.push(j);
        weight.push(overlap);
      }
    }
    offsets[i + 1] = dst.length;
  }
  return { offsets, dst: Int32Array.from(dst), weight: Float64Array.from(weight) };
}

/** Accumulates source rows into a dstWidth × dstHeight area-averaged image. */
export class AreaResampler {
  readonly srcWidth: number;
  readonly srcHeight: number;
  readonly dstWidth: number;
  readonly dstHeight: number;
  private readonly cols: AreaSpans;
  private readonly rows: AreaSpans;
  private readonly acc: Float64Array;
  private readonly line: Float64Array;

  constructor(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number) {
    this.srcWidth = srcWidth;
    this.srcHeight = srcHeight;
    this.dstWidth = dstWidth;
    this.dstHeight = dstHeight;
    this.cols = areaSpans(srcWidth, dstWidth);
    this.rows = areaSpans(srcHeight, dstHeight);
    this.acc = new Float64Array(dstWidth * dstHeight);
    this.line = new Float64Array(dstWidth);
  }

  /** Adds source row `y`; `value(x)` gives its cell x. */
  addRow(y: number, value: (x: number) => number): void {
    const { cols, rows, line, acc, dstWidth } = this;
    line.fill(0);
    for (let x = 0; x < this.srcWidth; x++) {
      const v = value(x);
      if (v === 0) continue;
      for (let k = cols.offsets[x]; k < cols.offsets[x + 1]; k++)
        line[cols.dst[k]] += cols.weight[k] * v;
    }
    for (let k = rows.offsets[y]; k < rows.offsets[y + 1]; k++) {
      const at = rows.dst[k] * dstWidth;
      const w = rows.weight[k];
      for (let j = 0; j < dstWidth; j++) acc[at + j] += w * line[j];
    }
  }

  /** The resampled image (call after adding every source row once). */
  result(): Float32Array {
    return Float32Array.from(this.acc);
  }
}

/** Area-resamples a srcWidth × srcHeight single-channel image to dstWidth × dstHeight. */
export function resampleArea(
  src: ArrayLike<number>,
  srcWidth: number,
  srcHeight: number,
  dstWidth: number,
  dstHeight: number,
): Float32Array {
  if (src.length !== srcWidth * srcHeight) {
    throw new RangeError(`image has ${src.length} values, expected ${srcWidth}×${srcHeight}`);
  }
  const r = new AreaResampler(srcWidth, srcHeight, dstWidth, dstHeight);
  for (let y = 0; y < srcHeight; y++) r.addRow(y, (x) => src[y * srcWidth + x]);
  return r.result();
}
