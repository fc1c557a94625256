/**
 * Colour-blind-safe colour maps. Diverging: blue (negative) – near-white (0) – orange (positive),
 * after ColorBrewer's PuOr/RdBu family, distinguishable with protanopia and deuteranopia.
 * Sequential (pixel intensity): white → near-black, as ink on paper.
 */
const NEG: readonly [number, number, number] = [33, 102, 172]; // #2166ac
const MID: readonly [number, number, number] = [247, 247, 247]; // #f7f7f7
const POS: readonly [number, number, number] = [214, 96, 16]; // #d66010

function mix(a: readonly number[], b: readonly number[], t: number): [number, number, number] {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)) as [number, number, number];
}

/** RGB for v on a symmetric scale [−maxAbs, maxAbs]; values outside are clamped. */
export function divergingRgb(v: number, maxAbs: number): [number, number, number] {
  if (!Number.isFinite(v)) return [128, 128, 128];
  const t = maxAbs > 0 ? Math.max(-1, Math.min(1, v / maxAbs)) : 0;
  return t < 0 ? mix(MID, NEG, -t) : mix(MID, POS, t);
}

/** RGB for v in [0, 1] (clamped): 0 is paper white, 1 full ink. */
export function inkRgb(v: number): [number, number, number] {
  const t = Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
  const c = Math.round(255 - 235 * t);
  return [c, c, c];
}

/** RGB for v in [0, 1] (clamped) of colour channel `channel` (0 red, 1 green, 2 blue), drawn in
 * its own colour: 0 is black, 1 the pure colour, as the screen would light that channel alone. */
export function channelRgb(v: number, channel: number): [number, number, number] {
  const t = Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
  return [0, 1, 2].map((k) => (k === channel ? Math.round(255 * t) : 0)) as [
    number,
    number,
    number,
  ];
}

export function css([r, g, b]: readonly number[]): string {
  return `rgb(${r} ${g} ${b})`;
}

/** Black or white text, whichever keeps WCAG 4.5:1 contrast on this background. */
export function textOn([r, g, b]: readonly number[]): string {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const L = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return L > 0.179 ? '#000' : '#fff';
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (Number.isFinite(a) && a > m) m = a;
  }
  return m;
}

/**
 * The colour scale of a signed feature map: the 99th percentile of |y| inside the border ring.
 * On the ring the zero padding meets a bright photo and gives the largest values of all; scaled
 * by them, every edge inside the photo would be drawn nearly white.
 */
export function signedScale(y: ArrayLike<number>, width: number, height: number): number {
  const ring = width > 2 && height > 2;
  const inside = new Float32Array(ring ? (width - 2) * (height - 2) : y.length);
  let n = 0;
  if (ring) {
    for (let r = 1; r < height - 1; r++)
      for (let c = 1; c < width - 1; c++) inside[n++] = Math.abs(y[r * width + c]);
  } else for (let i = 0; i < y.length; i++) inside[n++] = Math.abs(y[i]);
  inside.sort(); // a typed array sorts numerically, without a comparator call per pair
  return Math.max(inside[Math.floor(0.99 * (n - 1))] ?? 0, 1e-6);
}
