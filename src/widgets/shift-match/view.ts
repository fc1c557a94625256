/** shift-match's DOM: arrow buttons and keys move the digit; grids, scores and the badge follow. */
import { linear, tensor } from '../../cnn/index.ts';
import { float32 } from '../../runtime/client';
import { Heatmap } from '../shared/heatmap';
import { maxAbs } from '../shared/palette';
import { TwiceRunner } from '../shared/twice';
import { readParams, writeParams } from '../shared/url-state';
import { embedded, q, throttledAnnouncer } from '../shared/dom';
import { num } from '../shared/format';
import { shiftMatchModel } from './model';
import {
  announce,
  compare,
  describeShift,
  nudge,
  parseShiftParams,
  shiftImage,
  shiftParams,
  type ShiftState,
} from './state';

const NS = 'shift';
const SIZE = 28;
const KEYS: Readonly<Record<string, [number, number]>> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

export function startShiftMatch(root: HTMLElement): void {
  const { pixels } = embedded<{ pixels: number[] }>(root, 'digit');
  const template = Float32Array.from(pixels);
  const n = template.length;
  const badge = q(root, '[data-badge]');
  const say = throttledAnnouncer(q(root, '[data-live]'));
  const runner = new TwiceRunner(root, badge);
  const cell = '0.55rem';
  const shifted = new Heatmap({
    rows: SIZE,
    cols: SIZE,
    scale: { kind: 'ink' },
    cell,
    label: 'The shifted digit',
  });
  const tmpl = new Heatmap({
    rows: SIZE,
    cols: SIZE,
    scale: { kind: 'ink' },
    cell,
    label: 'The template: the unshifted digit',
  });
  const diff = new Heatmap({
    rows: SIZE,
    cols: SIZE,
    scale: { kind: 'diverging', maxAbs: 1 },
    cell,
    label: 'Difference, shifted minus template',
  });
  q(root, '[data-grid="shifted"]').append(shifted.el);
  q(root, '[data-grid="template"]').append(tmpl.el);
  q(root, '[data-grid="diff"]').append(diff.el);
  tmpl.update(template);

  const t = tensor([1, n], template);
  const dot0 = linear(t, t).data[0];
  const { state: initial, notes } = parseShiftParams(readParams(NS));
  q(root, '[data-note]').textContent = notes.join(' ');
  let state: ShiftState = initial;

  const render = (): void => {
    const x = shiftImage(template, SIZE, SIZE, state.dx, state.dy);
    const score = linear(tensor([1, n], x), t).data[0];
    const c = compare(x, template);
    shifted.update(x);
    diff.update(c.diff, { kind: 'diverging', maxAbs: Math.max(maxAbs(c.diff), 1e-6) });
    root.dataset.dx = String(state.dx);
    root.dataset.dy = String(state.dy);
    root.dataset.score = score.toFixed(4);
    root.dataset.msd = c.msd.toFixed(6);
    q(root, '[data-out="shift"]').textContent = describeShift(state);
    q(root, '[data-out="score"]').textContent = num(score, 2);
    q(root, '[data-out="percent"]').textContent = `${Math.round((100 * score) / dot0)}%`;
    q(root, '[data-out="msd"]').textContent = num(c.msd, 4);
    q(root, '[data-out="differing"]').textContent = `${c.cellsDiffering} of ${n}`;
    say(announce(state, score, dot0, c.msd));
    writeParams(NS, shiftParams(state));
    void runner.run({
      key: 'shift-match',
      model: () => shiftMatchModel(n),
      feeds: { x: float32([1, n], x), t: float32([1, n], template) },
      expected: {
        score: Float32Array.of(score),
        diff: c.diff,
        msd: Float32Array.of(c.msd),
      },
    });
  };

  const move = (ddx: number, ddy: number): void => {
    const next = nudge(state, ddx, ddy);
    if (next.dx === state.dx && next.dy === state.dy) {
      say(`Already shifted as far as the widget allows (${describeShift(state)}).`);
      return;
    }
    state = next;
    render();
  };

  for (const button of root.querySelectorAll<HTMLButtonElement>('[data-move]')) {
    const [ddx, ddy] = KEYS[button.dataset.move!];
    button.addEventListener('click', () => move(ddx, ddy));
  }
  q(root, '[data-reset]').addEventListener('click', () => {
    state = { dx: 0, dy: 0 };
    render();
  });
  q(root, '[data-keys]').addEventListener('keydown', (e) => {
    const k = KEYS[e.key];
    if (!k) return;
    e.preventDefault();
    move(k[0], k[1]);
  });
  render();
}
