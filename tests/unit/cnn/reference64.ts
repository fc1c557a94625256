/**
 * Independent float64 oracles, written straight from the lesson equations with the plainest
 * loops (no patches, no shared helpers with src/cnn). The tests compare the engine's float32 ops
 * with these, and take finite differences of these to check the engine's gradients.
 */
export interface T64 {
  shape: number[];
  data: Float64Array;
}
export type Pads4 = [number, number, number, number];

export const t64 = (shape: number[], data: ArrayLike<number>): T64 => ({
  shape,
  data: Float64Array.from(data),
});

export function conv64(
  x: T64,
  k: T64,
  b: T64 | null,
  s: [number, number],
  pads: Pads4,
  d: [number, number],
  group: number,
): T64 {
  const [N, C, H, W] = x.shape;
  const [M, Cg, KH, KW] = k.shape;
  const OH = Math.floor((H + pads[0] + pads[2] - (d[0] * (KH - 1) + 1)) / s[0]) + 1;
  const OW = Math.floor((W + pads[1] + pads[3] - (d[1] * (KW - 1) + 1)) / s[1]) + 1;
  const out = new Float64Array(N * M * OH * OW);
  for (let n = 0; n < N; n++)
    for (let m = 0; m < M; m++)
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) {
          let sum = b ? b.data[m] : 0;
          const g = Math.floor(m / (M / group));
          for (let c = 0; c < Cg; c++)
            for (let p = 0; p < KH; p++)
              for (let q = 0; q < KW; q++) {
                const y = i * s[0] - pads[0] + p * d[0];
                const xx = j * s[1] - pads[1] + q * d[1];
                if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
                sum +=
                  x.data[((n * C + g * Cg + c) * H + y) * W + xx] *
                  k.data[((m * Cg + c) * KH + p) * KW + q];
              }
          out[((n * M + m) * OH + i) * OW + j] = sum;
        }
  return { shape: [N, M, OH, OW], data: out };
}

/** ConvTranspose by its scatter definition: out[n, m, i·s−pad+p·d, …] += x[n,c,i,j]·w[c,m',p,q]. */
export function convTranspose64(
  x: T64,
  w: T64,
  s: [number, number],
  pads: Pads4,
  d: [number, number],
  group: number,
  outputPadding: [number, number],
): T64 {
  const [N, C, H, W] = x.shape;
  const [, Mg, KH, KW] = w.shape;
  const M = Mg * group;
  const OH = s[0] * (H - 1) + outputPadding[0] + d[0] * (KH - 1) + 1 - pads[0] - pads[2];
  const OW = s[1] * (W - 1) + outputPadding[1] + d[1] * (KW - 1) + 1 - pads[1] - pads[3];
  const out = new Float64Array(N * M * OH * OW);
  const Cg = C / group;
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let mm = 0; mm < Mg; mm++)
        for (let i = 0; i < H; i++)
          for (let j = 0; j < W; j++)
            for (let p = 0; p < KH; p++)
              for (let q = 0; q < KW; q++) {
                const y = i * s[0] - pads[0] + p * d[0];
                const xx = j * s[1] - pads[1] + q * d[1];
                if (y < 0 || y >= OH || xx < 0 || xx >= OW) continue;
                const m = Math.floor(c / Cg) * Mg + mm;
                out[((n * M + m) * OH + y) * OW + xx] +=
                  x.data[((n * C + c) * H + i) * W + j] * w.data[((c * Mg + mm) * KH + p) * KW + q];
              }
  return { shape: [N, M, OH, OW], data: out };
}

export function pool64(
  kind: 'max' | 'avg',
  x: T64,
  k: [number, number],
  s: [number, number],
  pads: Pads4,
  countIncludePad = false,
): T64 {
  const [N, C, H, W] = x.shape;
  const OH = Math.floor((H + pads[0] + pads[2] - k[0]) / s[0]) + 1;
  const OW = Math.floor((W + pads[1] + pads[3] - k[1]) / s[1]) + 1;
  const out = new Float64Array(N * C * OH * OW);
  for (let nc = 0; nc < N * C; nc++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++) {
        let max = -Infinity;
        let sum = 0;
        let count = 0;
        for (let p = 0; p < k[0]; p++)
          for (let q = 0; q < k[1]; q++) {
            const y = i * s[0] - pads[0] + p;
            const xx = j * s[1] - pads[1] + q;
            if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
            const v = x.data[(nc * H + y) * W + xx];
            max = Math.max(max, v);
            sum += v;
            count++;
          }
        out[(nc * OH + i) * OW + j] =
          kind === 'max' ? max : sum / (countIncludePad ? k[0] * k[1] : count);
      }
  return { shape: [N, C, OH, OW], data: out };
}

export function linear64(x: T64, w: T64, b: T64 | null): T64 {
  const [N, F] = x.shape;
  const U = w.shape[0];
  const out = new Float64Array(N * U);
  for (let n = 0; n < N; n++)
    for (let u = 0; u < U; u++) {
      let sum = b ? b.data[u] : 0;
      for (let f = 0; f < F; f++) sum += x.data[n * F + f] * w.data[u * F + f];
      out[n * U + u] = sum;
    }
  return { shape: [N, U], data: out };
}

export const map64 = (x: T64, f: (v: number) => number): T64 => ({
  shape: x.shape,
  data: x.data.map(f),
});

export function crossEntropy64(logits: T64, labels: ArrayLike<number>): number {
  const [N, K] = logits.shape;
  let total = 0;
  for (let n = 0; n < N; n++) {
    const row = Array.from(logits.data.subarray(n * K, (n + 1) * K));
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0));
    total += lse - row[labels[n]];
  }
  return total / N;
}

/** Σ w·y: the scalar whose gradient with respect to y is w. */
export const dot64 = (w: ArrayLike<number>, y: T64): number => {
  let sum = 0;
  for (let k = 0; k < y.data.length; k++) sum += w[k] * y.data[k];
  return sum;
};

/**
 * Central differences of f at every coordinate of `values` (changed in place and restored).
 * In float64 with eps 1e-6 the truncation and rounding errors are ~1e-10, far below the
 * float32 analytic gradients' own error.
 */
export function numericGradient(
  values: Float64Array,
  f: () => number,
  eps = 1e-6,
  only?: number[],
) {
  const grad = new Float64Array(values.length);
  for (const k of only ?? values.keys()) {
    const keep = values[k];
    values[k] = keep + eps;
    const plus = f();
    values[k] = keep - eps;
    const minus = f();
    values[k] = keep;
    grad[k] = (plus - minus) / (2 * eps);
  }
  return grad;
}

/** max |a − b| / max(|b|, floor): one honest relative error for a whole gradient. */
export function relativeError(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  floor = 1e-3,
  only?: number[],
) {
  let worst = 0;
  let scale = floor;
  for (const k of only ?? Array.from({ length: b.length }, (_, i) => i)) {
    worst = Math.max(worst, Math.abs(a[k] - b[k]));
    scale = Math.max(scale, Math.abs(b[k]));
  }
  return worst / scale;
}
