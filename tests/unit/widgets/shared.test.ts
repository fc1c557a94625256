import { afterEach, describe, expect, it, vi } from 'vitest';
import { badgeText, formatError } from '../../../src/widgets/shared/agreement';
import { preferredBackend } from '../../../src/widgets/shared/backend-pref';
import {
  channelRgb,
  divergingRgb,
  inkRgb,
  maxAbs,
  textOn,
} from '../../../src/widgets/shared/palette';
import { cellColour, formatCell } from '../../../src/widgets/shared/heatmap';
import { mountWidgets } from '../../../src/widgets/shared/visible';
import { crossCheck } from '../../../src/runtime/crosscheck';

describe('agreement badge', () => {
  it('formatError writes powers of ten with superscripts', () => {
    expect(formatError(7.2e-7)).toBe('7.2 × 10⁻⁷');
    expect(formatError(1e-4)).toBe('1.0 × 10⁻⁴');
    expect(formatError(0)).toBe('0');
    expect(formatError(Number.POSITIVE_INFINITY)).toBe('∞');
  });
  it('badgeText names the backend, the error and the tolerance', () => {
    expect(badgeText(crossCheck('wasm', [1], [1]))).toBe(
      '✓ agree: ORT · WebAssembly vs reference, max error 0 (tolerance 1.0 × 10⁻⁴)',
    );
  });
});

describe('preferredBackend(search, stored)', () => {
  it('prefers the URL, then storage, and ignores unknown names', () => {
    expect(preferredBackend('?backend=webgpu', 'wasm')).toBe('webgpu');
    expect(preferredBackend('', 'wasm')).toBe('wasm');
    expect(preferredBackend('?backend=cuda', 'nonsense')).toBeUndefined();
  });
});

describe('palette', () => {
  it('divergingRgb maps −max, 0, +max to blue, near-white, orange and clamps', () => {
    expect(divergingRgb(-2, 2)).toEqual([33, 102, 172]);
    expect(divergingRgb(0, 2)).toEqual([247, 247, 247]);
    expect(divergingRgb(5, 2)).toEqual([214, 96, 16]);
    expect(divergingRgb(Number.NaN, 1)).toEqual([128, 128, 128]);
  });
  it('inkRgb maps 0 to white and 1 to near-black', () => {
    expect(inkRgb(0)).toEqual([255, 255, 255]);
    expect(inkRgb(1)).toEqual([20, 20, 20]);
  });
  it('channelRgb draws a channel in its own colour: the red square is red, not black', () => {
    expect(channelRgb(1, 0)).toEqual([255, 0, 0]);
    expect(channelRgb(0.5, 1)).toEqual([0, 128, 0]);
    expect(channelRgb(2, 2)).toEqual([0, 0, 255]); // clamped
    expect(channelRgb(0, 0)).toEqual([0, 0, 0]);
    expect(cellColour(1, { kind: 'channel', channel: 0 })).toEqual([255, 0, 0]);
  });
  it('textOn picks the colour with at least 4.5:1 contrast', () => {
    expect(textOn([255, 255, 255])).toBe('#000');
    expect(textOn([20, 20, 20])).toBe('#fff');
    expect(textOn([33, 102, 172])).toBe('#fff');
  });
  it('maxAbs ignores non-finite values', () => {
    expect(maxAbs([1, -3, Number.NaN, 2])).toBe(3);
  });
  it('formatCell uses a true minus and names non-finite values', () => {
    expect(formatCell(-1.25, 1)).toBe('−1.3');
    expect(formatCell(Number.NaN, 2)).toBe('NaN');
    expect(formatCell(Number.NEGATIVE_INFINITY, 2)).toBe('−∞');
  });
});

describe('mountWidgets(name, mount, failure)', () => {
  /** A page with two widgets called `name`; no IntersectionObserver in Node, so they start at once. */
  function fakePage(selectors: string[]) {
    const roots = [0, 1].map(() => {
      const out = { textContent: '' };
      return {
        dataset: {} as Record<string, string>,
        out,
        querySelector: (sel: string) => (selectors.includes(sel) ? out : null),
      };
    });
    vi.stubGlobal('document', {
      querySelectorAll: (sel: string) => (sel === '[data-widget="demo"]' ? roots : []),
    });
    return roots;
  }
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('mounts every widget of that name', () => {
    const roots = fakePage(['[data-badge]']);
    const mounted: unknown[] = [];
    mountWidgets('demo', (root) => void mounted.push(root));
    expect(mounted).toEqual(roots);
    expect(roots[0]!.dataset.state).toBeUndefined();
  });

  it('a throw marks the widget as failed and writes the default text in [data-badge]', () => {
    const [root] = fakePage(['[data-badge]']);
    mountWidgets('demo', () => {
      throw new Error('no canvas');
    });
    expect(root!.dataset.state).toBe('error');
    expect(root!.out.textContent).toBe('This figure failed to start: no canvas');
  });

  it('a rejected promise does the same, where and with the words given', async () => {
    const [root] = fakePage(['[data-status]']);
    mountWidgets('demo', () => Promise.reject(new Error('no worker')), {
      where: '[data-status]',
      prefix: 'The lab could not start: ',
    });
    await vi.waitFor(() => expect(root!.dataset.state).toBe('error'));
    expect(root!.out.textContent).toBe('The lab could not start: no worker');
  });
});
