/** How the cost figure writes its numbers. */
import { thousands } from '../shared/format';

/** 1_234_567 → "1.23 M"; small counts exactly. */
export function count(n: number): string {
  if (n < 10_000) return thousands(n);
  const [d, unit] = n >= 1e9 ? [1e9, 'G'] : n >= 1e6 ? [1e6, 'M'] : [1e3, 'k'];
  return `${(n / d).toLocaleString('en-US', { maximumFractionDigits: n / d < 100 ? 2 : 0 })} ${unit}`;
}

/** Bytes in decimal units: 18,432 → "18.4 kB". */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toLocaleString('en-US', { maximumFractionDigits: v < 10 ? 2 : 1 })} ${units[i]}`;
}

/** A median time: "0.042", "12.3", "—" for none. */
export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return v < 1 ? v.toFixed(3) : v < 100 ? v.toFixed(2) : v.toFixed(0);
}

export const shape = (dims: readonly number[]) => dims.join('×');
