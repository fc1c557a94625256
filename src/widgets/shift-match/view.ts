/**
 * shift-match, declared on the widget kernel: arrow buttons and keys move the digit; the grids,
 * the scores and the badge follow. ORT checks the score, the difference and the MSD.
 */
import { float32 } from '../../runtime/client';
import type { WidgetSpec } from '../shared/define';
import { embedded } from '../shared/dom';
import { num } from '../shared/format';
import { Heatmap } from '../shared/heatmap';
import { maxAbs } from '../shared/palette';
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
  type ShiftAction,
  type ShiftResult,
  type ShiftState,
} from './state';

const grid = (label: string, diverging = false) =>
  new Heatmap({
    rows: SIZE,
    cols: SIZE,
    scale: diverging ? { kind: 'diverging', maxAbs: 1 } : { kind: 'ink' },
    cell: '0.55rem',
    label,
  });

export const shiftWidget: WidgetSpec<ShiftState, ShiftAction, ShiftResult> = {
  name: 'shift-match',
  ns: 'shift',
  init(root) {
    const { pixels } = embedded<{ pixels: number[] }>(root, 'digit');
    const { state, notes } = parseShiftParams(readParams('shift'));
    return { state: { ...state, template: Float32Array.from(pixels) }, notes };
  },
  reduce: reduceShift,
  compute: {
    key: (s) => `${s.dx},${s.dy}`,
    run: computeShift,
    check: (s, r) => ({
      key: 'shift-match',
      model: () => shiftMatchModel(s.template.length),
      feeds: {
        x: float32([1, s.template.length], r.x),
        t: float32([1, s.template.length], s.template),
      },
      expected: { score: Float32Array.of(r.score), diff: r.diff, msd: Float32Array.of(r.msd) },
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
    return [grids, stats];
  },
};
