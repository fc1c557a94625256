/**
 * The agreement badge every computing widget shows, and the data-* attributes tests read:
 * data-backend, data-max-abs-error, data-agree on the widget's root element.
 */
import { BACKEND_LABEL } from '../../runtime/backends';
import type { CrossCheck } from '../../runtime/crosscheck';

const SUPERSCRIPT: Readonly<Record<string, string>> = {
  '-': '⁻',
  '+': '',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** 1.2e-7 → "1.2 × 10⁻⁷": readable in a badge and to a screen reader. */
export function formatError(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  if (x === 0) return '0';
  const [mantissa, exponent] = x.toExponential(1).split('e');
  const sup = [...exponent].map((c) => SUPERSCRIPT[c] ?? c).join('');
  return `${mantissa} × 10${sup}`;
}

export function badgeText(check: CrossCheck): string {
  const verdict = check.agree ? '✓ agree' : '✗ disagree';
  return `${verdict}: ${BACKEND_LABEL[check.backend]} vs reference, max error ${formatError(check.maxAbsError)} (tolerance ${formatError(check.tolerance)})`;
}

export function showAgreement(root: HTMLElement, badge: HTMLElement, check: CrossCheck): void {
  root.dataset.backend = check.backend;
  root.dataset.maxAbsError = String(check.maxAbsError);
  root.dataset.agree = String(check.agree);
  badge.textContent = badgeText(check);
  badge.classList.toggle('is-agree', check.agree);
  badge.classList.toggle('is-disagree', !check.agree);
}

/** While ORT loads, the badge says so; the reference result is already on screen. */
export function showPending(root: HTMLElement, badge: HTMLElement, message: string): void {
  root.dataset.state = 'loading';
  badge.textContent = message;
  badge.classList.remove('is-agree', 'is-disagree');
}
