/**
 * shift-match, declared on the widget kernel: arrow buttons and keys move the digit; the grids,
 * the scores, the ten templates' match and the badge follow. ORT checks the score, the
 * difference, the MSD and the ten templates' products.
 */
import { float32 } from '../../runtime/client';
import type { WidgetSpec } from '../shared/define';
import { embedded } from '../shared/dom';
import { num } from '../shared/format';
import { inkThumbnail } from '../shared/thumbnail';
import { maxAbs } from '../shared/palette';
import { PixelMap } from '../shared/pixel-map';
import { readParams } from '../shared/url-state';
import { shiftMatchModel } from './model';
import {
  announce,
  computeShift,
  describeShift,
  MOVES,
  parseShiftParams,
  reduceShift,
  shiftParams,
  SIZE,
  unitRows,
  verdict,
} from './state';
import type { ShiftAction, ShiftResult, ShiftState } from './state';

/**
 * One canvas per grid, not 784 cells: three grids of cells took a 40–90 ms layout when the
 * figure started (they show no numbers and take no focus, so a PixelMap looks the same).
 */
const grid = (label: string, diverging = false) =>
  new PixelMap({
    rows: SIZE,
    cols: SIZE,
    scale: diverging ? { kind: 'diverging', maxAbs: 1 } : { kind: 'ink' },
    cell: 'var(--shift-cell)', // ShiftMatch.astro: 0.55rem, less on a narrow screen
    label,
  });

export const shiftWidget: WidgetSpec<ShiftState, ShiftAction, ShiftResult> = {
  name: 'shift-match',
  ns: 'shift',
  init(root) {
    const { label, pixels } = embedded<{ label: number; pixels: number[] }>(root, 'digit');
    const rivals = embedded<{ label: number; pixels: number[] }[]>(root, 'rivals').map((r) => ({
      label: r.label,
      pixels: Float32Array.from(r.pixels),
    }));
    const { state, notes } = parseShiftParams(readParams('shift'));
    return { state: { ...state, template: Float32Array.from(pixels), label, rivals }, notes };
  },
  reduce: reduceShift,
  compute: {
    key: (s) => `${s.dx},${s.dy}`,
    run: computeShift,
    check: (s, r) => ({
      key: `shift-match:${s.rivals.length}`,
      model: () => shiftMatchModel(s.template.length, s.rivals.length),
      feeds: {
        x: float32([1, s.template.length], r.x),
        t: float32([1, s.template.length], s.template),
        templates: float32([s.rivals.length, s.template.length], unitRows(s.rivals)),
      },
      expected: {
        score: Float32Array.of(r.score),
        diff: r.diff,
        msd: Float32Array.of(r.msd),
        dots: r.dots,
      },
    }),
  },
  params: shiftParams,
  announce: (prev, s, r) =>
    prev?.dx === s.dx && prev.dy === s.dy ? undefined : announce(s, r.score, r.score0, r.msd),
  view({ root, $, dispatch, state, say }) {
    const shifted = grid('The shifted digit');
    const template = grid('The template: the unshifted digit');
    const diff = grid('Difference, shifted minus template', true);
    $('[data-grid="shifted"]').append(shifted.el);
    $('[data-grid="template"]').append(template.el);
    $('[data-grid="diff"]').append(diff.el);
    template.update(state().template);
    // One thumbnail per digit's template, with its match score under it.
    const scores = new Map<number, HTMLElement>();
    const tiles = state().rivals.map((t) => {
      const li = document.createElement('li');
      li.dataset.label = String(t.label);
      const score = document.createElement('span');
      score.className = 'score';
      scores.set(t.label, score);
      li.append(inkThumbnail(t.pixels, SIZE, `Template of a ${t.label}`, '2.6rem'), score);
      return li;
    });
    $('[data-rivals]').replaceChildren(...tiles);

    const move = ([ddx, ddy]: readonly [number, number]): void => {
      const before = state();
      dispatch({ kind: 'move', ddx, ddy });
      if (state() === before)
        say(`Already shifted as far as the widget allows (${describeShift(before)}).`);
    };
    for (const button of root.querySelectorAll<HTMLButtonElement>('[data-move]'))
      button.addEventListener('click', () => move(MOVES[button.dataset.move!]));
    $('[data-reset]').addEventListener('click', () => dispatch({ kind: 'reset' }));
    $('[data-keys]').addEventListener('keydown', (e) => {
      const step = MOVES[e.key];
      if (!step) return;
      e.preventDefault();
      move(step);
    });

    const grids = (_s: ShiftState, r: ShiftResult) => {
      shifted.update(r.x);
      diff.update(r.diff, { kind: 'diverging', maxAbs: Math.max(maxAbs(r.diff), 1e-6) });
    };
    const stats = (s: ShiftState, r: ShiftResult) => {
      root.dataset.dx = String(s.dx);
      root.dataset.dy = String(s.dy);
      root.dataset.score = r.score.toFixed(4);
      root.dataset.msd = r.msd.toFixed(6);
      $('[data-out="shift"]').textContent = describeShift(s);
      $('[data-out="score"]').textContent = num(r.score, 2);
      $('[data-out="percent"]').textContent = `${Math.round((100 * r.score) / r.score0)}%`;
      $('[data-out="msd"]').textContent = num(r.msd, 4);
      $('[data-out="differing"]').textContent = `${r.cellsDiffering} of ${r.x.length}`;
    };
    const rivals = (s: ShiftState, r: ShiftResult) => {
      for (const m of r.matches)
        scores.get(m.label)!.textContent = `${m.label}: ${num(m.score, 3)}`;
      for (const li of tiles) {
        li.classList.toggle('is-best', li.dataset.label === String(r.winner));
        li.classList.toggle('is-own', li.dataset.label === String(s.label));
      }
      root.dataset.winner = String(r.winner);
      const v = $('[data-out="verdict"]');
      v.textContent = verdict(s.label, r);
      v.dataset.state = r.winner === s.label ? 'ok' : 'error';
    };
    return [grids, stats, rivals];
  },
};
