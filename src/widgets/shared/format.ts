/** How widgets print numbers: one formatter, a real minus sign. */

// One formatter for the page: toLocaleString builds a new one each call (~18 ms the first time,
// measured in the lab's first redraw).
const GROUPED = new Intl.NumberFormat('en-US');

/** "1,234,567" */
export function thousands(n: number | bigint): string {
  return GROUPED.format(n);
}

/** Numbers as the widgets print them: fixed decimals, a real minus sign. */
export function num(v: number, decimals = 3): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const s = v.toFixed(decimals);
  return s.startsWith('-') && Number(s) !== 0 ? `−${s.slice(1)}` : s.replace(/^-/, '');
}

/** Up to `decimals` decimals, trailing zeros dropped, a real minus sign, never "−0": 0.412, −0.3, 1. */
export function upTo(v: number, decimals = 3): string {
  const t = Number(v.toFixed(decimals));
  const s = String(Object.is(t, -0) ? 0 : t);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}
