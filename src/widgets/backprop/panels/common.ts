/** What backprop's panels share: their type, "did what I draw change?", and number formats. */
import type { Panel } from '../../shared/define';
import { num } from '../../shared/format';
import type { BackpropResult } from '../compute';
import { computeKey } from '../state';
import type { BackpropState } from '../state';
import type { Grids } from './grids';

export type BackpropPanel = Panel<BackpropState, BackpropResult>;

/** What a panel draws into: the root (its data-* readouts), the part lookup and the grids. */
export interface PanelParts {
  readonly root: HTMLElement;
  readonly $: (s: string) => HTMLElement;
  readonly grids: Grids;
}

/** True the first time, when the result changed, or when one of `keys` did. */
export function changed(
  prev: BackpropState | undefined,
  s: BackpropState,
  ...keys: readonly (keyof BackpropState)[]
): boolean {
  return !prev || computeKey(prev) !== computeKey(s) || keys.some((k) => prev[k] !== s[k]);
}

/** k → "ₖ" digits: δ₁₂. */
export const sub = (k: number) => String(k).replace(/\d/g, (ch) => '₀₁₂₃₄₅₆₇₈₉'[Number(ch)]);

/** Six decimals for ordinary sizes, else scientific with a real minus sign. */
export function sci(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? num(v, 6) : v.toExponential(4).replace('-', '−');
}

/** Sets `data-<key>` on `el`, or removes it for undefined. */
export function data(el: HTMLElement, key: string, value: string | number | undefined): void {
  if (value === undefined) delete el.dataset[key];
  else el.dataset[key] = String(value);
}
