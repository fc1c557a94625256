/** How widgets print numbers: one formatter, a real minus sign. */

/** "1,234,567" */
export function thousands(n: number | bigint): string {
  return n.toLocaleString('en-US');
}

/** Numbers as the widgets print them: fixed decimals, a real minus sign. */
export function num(v: number, decimals = 3): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const s = v.toFixed(decimals);
  return s.startsWith('-') && Number(s) !== 0 ? `−${s.slice(1)}` : s.replace(/^-/, '');
}
