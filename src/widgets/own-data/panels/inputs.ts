/**
 * own-data's input panels, drawn from the state alone (they keep drawing while the worker
 * computes): the list of classes with their examples, the buttons, the status line and the one
 * message, and the root's data-* attributes for tests.
 */
import { exampleCount, MIN_EXAMPLES } from '../../../data/own.ts';
import type { Panel, ViewContext } from '../../shared/define';
import { inkThumbnail } from '../../shared/thumbnail';
import type { OwnResult } from '../reference';
import { runStatus, trainProblem } from '../state';
import type { OwnAction, OwnState } from '../state';

type P = Panel<OwnState, OwnResult | undefined>;
type Ctx = ViewContext<OwnState, OwnAction>;

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls = '', text = '') => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
};

/** One class: choose it, rename it, its count, its examples (a click removes one), remove it. */
function classItem(ctx: Ctx, s: OwnState, k: number): HTMLLIElement {
  const c = s.dataset.classes[k]!;
  const li = el('li', k === s.selected ? 'own-class is-selected' : 'own-class');
  li.dataset.class = String(k);
  const head = el('div', 'own-class-head');
  const pick = el('input');
  pick.type = 'radio';
  pick.name = 'own-selected';
  pick.checked = k === s.selected;
  pick.setAttribute('aria-label', `Add new examples to “${c.name}”`);
  pick.addEventListener('change', () => ctx.dispatch({ kind: 'select', index: k }));
  const name = el('input', 'own-name');
  name.value = c.name;
  name.setAttribute('aria-label', `Name of class ${k}`);
  name.addEventListener('change', () =>
    ctx.dispatch({ kind: 'rename', index: k, name: name.value }),
  );
  const n = c.examples.length;
  const count = el(
    'span',
    n < MIN_EXAMPLES ? 'own-count is-short' : 'own-count',
    `${n} example${n === 1 ? '' : 's'}${n < MIN_EXAMPLES ? ` (${MIN_EXAMPLES - n} more needed)` : ''}`,
  );
  count.dataset.count = String(n);
  const remove = el('button', 'button', 'Remove class');
  remove.type = 'button';
  remove.setAttribute('aria-label', `Remove the class “${c.name}” and its ${n} examples`);
  remove.addEventListener('click', () => ctx.dispatch({ kind: 'remove-class', index: k }));
  head.append(pick, name, count, remove);
  const thumbs = el('div', 'own-thumbs');
  c.examples.forEach((e, j) => {
    const b = el('button', 'own-thumb');
    b.type = 'button';
    b.title = `Remove example ${j} of “${c.name}”`;
    b.setAttribute('aria-label', `Remove example ${j} of “${c.name}”`);
    b.append(
      inkThumbnail(
        Float32Array.from(e, (v) => v / 255),
        28,
        '',
        '2.25rem',
      ),
    );
    b.addEventListener('click', () =>
      ctx.dispatch({ kind: 'remove-example', index: k, example: j }),
    );
    thumbs.append(b);
  });
  li.append(head, thumbs);
  return li;
}

export function classesPanel(ctx: Ctx): P {
  const { root, $ } = ctx;
  const list = $('[data-class-list]');
  const add = $<HTMLButtonElement>('[data-action="add"]');
  return (s, _r, prev) => {
    root.dataset.classes = String(s.dataset.classes.length);
    root.dataset.examples = String(exampleCount(s.dataset));
    const target = s.dataset.classes[s.selected];
    add.textContent = target ? `Add to “${target.name}”` : 'Add (name a class first)';
    add.disabled = !target || !s.drawing;
    if (prev && prev.dataset === s.dataset && prev.selected === s.selected) return;
    list.replaceChildren(...s.dataset.classes.map((_, k) => classItem(ctx, s, k)));
  };
}

/** The run's status, the message, the Train and Pause buttons. */
export function statusPanel({ root, $ }: Ctx): P {
  const status = $('[data-run-status]');
  const message = $('[data-message]');
  const train = $<HTMLButtonElement>('[data-action="train"]');
  const pause = $<HTMLButtonElement>('[data-action="pause"]');
  const why = $('[data-train-why]');
  return (s) => {
    root.dataset.lab = s.lab;
    status.textContent = runStatus(s);
    message.textContent = s.message?.text ?? '';
    message.dataset.tone = s.message?.tone ?? '';
    const busy = ['training', 'evaluating', 'loading-data', 'compiling'].includes(s.lab);
    const problem = trainProblem(s);
    train.disabled = busy || problem !== null;
    train.textContent = s.progress ? 'Train again' : 'Train';
    why.textContent = busy ? '' : (problem ?? '');
    pause.disabled = !(s.lab === 'training' || s.lab === 'paused');
    pause.textContent = s.lab === 'paused' ? 'Resume' : 'Pause';
  };
}
