/**
 * The tutorial net trained the textbook way, as a reader might first write it in JavaScript:
 * one image at a time, nested loops over output cells and kernel taps, no im2col, no skipping of
 * zeros. conv 8@5×5 → relu → maxpool 2 → conv 16@5×5 → relu → maxpool 2 → dense 10, softmax
 * cross-entropy (mean over the batch), SGD with momentum. Parameters use the reference engine's
 * layouts (kernel [F, C, kh, kw], dense weight [units, inputs]), so a unit test can hold its
 * gradients to the engine's (tests/unit/bench/naive.test.ts).
 */

export interface NaiveParams {
  k1: Float32Array; // [8, 1, 5, 5]
  b1: Float32Array; // [8]
  k2: Float32Array; // [16, 8, 5, 5]
  b2: Float32Array; // [16]
  w: Float32Array; // [10, 256]
  b: Float32Array; // [10]
}
type Name = keyof NaiveParams;
const NAMES: readonly Name[] = ['k1', 'b1', 'k2', 'b2', 'w', 'b'];

/** out[f, i, j] = b[f] + Σ_c,p,q x[c, i+p, j+q]·k[f, c, p, q] (stride 1, no padding). */
function conv(
  x: Float32Array,
  C: number,
  H: number,
  k: Float32Array,
  bias: Float32Array,
  F: number,
) {
  const K = 5;
  const oh = H - K + 1;
  const out = new Float32Array(F * oh * oh);
  for (let f = 0; f < F; f++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < oh; j++) {
        let s = bias[f]!;
        for (let c = 0; c < C; c++)
          for (let p = 0; p < K; p++)
            for (let q = 0; q < K; q++)
              s += x[(c * H + i + p) * H + j + q]! * k[((f * C + c) * K + p) * K + q]!;
        out[(f * oh + i) * oh + j] = s;
      }
  return out;
}

/** dx, dk and db of conv from dy (added into dk and db). */
function convBack(
  x: Float32Array,
  C: number,
  H: number,
  k: Float32Array,
  F: number,
  dy: Float32Array,
  dk: Float32Array,
  db: Float32Array,
  wantDx: boolean,
) {
  const K = 5;
  const oh = H - K + 1;
  const dx = wantDx ? new Float32Array(C * H * H) : null;
  for (let f = 0; f < F; f++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < oh; j++) {
        const g = dy[(f * oh + i) * oh + j]!;
        db[f] += g;
        for (let c = 0; c < C; c++)
          for (let p = 0; p < K; p++)
            for (let q = 0; q < K; q++) {
              const xi = (c * H + i + p) * H + j + q;
              const ki = ((f * C + c) * K + p) * K + q;
              dk[ki] += g * x[xi]!;
              if (dx) dx[xi] += g * k[ki]!;
            }
      }
  return dx;
}

/** ReLU then 2×2 max pool; `arg` keeps each window's winner (first maximum in reading order). */
function reluPool(y: Float32Array, F: number, H: number) {
  const h = H / 2;
  const out = new Float32Array(F * h * h);
  const arg = new Int32Array(F * h * h);
  for (let f = 0; f < F; f++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < h; j++) {
        let best = -Infinity;
        let at = 0;
        for (let p = 0; p < 2; p++)
          for (let q = 0; q < 2; q++) {
            const k = (f * H + 2 * i + p) * H + 2 * j + q;
            const v = Math.max(0, y[k]!);
            if (v > best) [best, at] = [v, k];
          }
        out[(f * h + i) * h + j] = best;
        arg[(f * h + i) * h + j] = at;
      }
  return { out, arg };
}

/** dy of the conv from d(pooled): each window's gradient to its winner, blocked where relu was 0. */
function reluPoolBack(y: Float32Array, arg: Int32Array, dPooled: Float32Array) {
  const dy = new Float32Array(y.length);
  for (let k = 0; k < arg.length; k++) if (y[arg[k]!]! > 0) dy[arg[k]!] += dPooled[k]!;
  return dy;
}

export function naiveInit(seed = 3): NaiveParams {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 2;
  const he = (n: number, fanIn: number) =>
    Float32Array.from({ length: n }, () => rand() * Math.sqrt(6 / fanIn));
  return {
    k1: he(8 * 25, 25),
    b1: new Float32Array(8),
    k2: he(16 * 8 * 25, 200),
    b2: new Float32Array(16),
    w: he(10 * 256, 256),
    b: new Float32Array(10),
  };
}

const zerosLike = (p: NaiveParams): NaiveParams =>
  Object.fromEntries(
    NAMES.map((n) => [n, new Float32Array(p[n].length)]),
  ) as unknown as NaiveParams;

/** Mean cross-entropy over the batch and its gradients (images: batch × 784 in [0, 1]). */
export function naiveGradients(p: NaiveParams, images: Float32Array, labels: ArrayLike<number>) {
  const g = zerosLike(p);
  const n = labels.length;
  let loss = 0;
  for (let m = 0; m < n; m++) {
    const x = images.subarray(m * 784, (m + 1) * 784);
    const y1 = conv(x, 1, 28, p.k1, p.b1, 8); // 8×24×24
    const a1 = reluPool(y1, 8, 24); // 8×12×12
    const y2 = conv(a1.out, 8, 12, p.k2, p.b2, 16); // 16×8×8
    const a2 = reluPool(y2, 16, 8); // 16×4×4 = 256
    const logits = new Float32Array(10);
    for (let u = 0; u < 10; u++) {
      let s = p.b[u]!;
      for (let i = 0; i < 256; i++) s += p.w[u * 256 + i]! * a2.out[i]!;
      logits[u] = s;
    }
    const max = Math.max(...logits);
    let z = 0;
    for (const v of logits) z += Math.exp(v - max);
    const label = labels[m]!;
    loss += Math.log(z) - (logits[label]! - max);
    const dLogits = logits.map((v, u) => (Math.exp(v - max) / z - (u === label ? 1 : 0)) / n);
    const dA2 = new Float32Array(256);
    for (let u = 0; u < 10; u++) {
      g.b[u] += dLogits[u]!;
      for (let i = 0; i < 256; i++) {
        g.w[u * 256 + i] += dLogits[u]! * a2.out[i]!;
        dA2[i] += dLogits[u]! * p.w[u * 256 + i]!;
      }
    }
    const dY2 = reluPoolBack(y2, a2.arg, dA2);
    const dA1 = convBack(a1.out, 8, 12, p.k2, 16, dY2, g.k2, g.b2, true)!;
    const dY1 = reluPoolBack(y1, a1.arg, dA1);
    convBack(x, 1, 28, p.k1, 8, dY1, g.k1, g.b1, false);
  }
  return { loss: loss / n, grads: g };
}

/** v ← μ·v + g; w ← w − lr·v, in place. */
export function naiveStep(p: NaiveParams, v: NaiveParams, g: NaiveParams, lr = 0.05, mu = 0.9) {
  for (const name of NAMES) {
    const [w, vel, grad] = [p[name], v[name], g[name]];
    for (let i = 0; i < w.length; i++) {
      vel[i] = mu * vel[i]! + grad[i]!;
      w[i] -= lr * vel[i]!;
    }
  }
}

export const naiveVelocity = zerosLike;
