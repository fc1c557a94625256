/**
 * A code cell on the page, before the reader touches it: the code as plain text, its buttons,
 * the kept edit or the shared link's code. Everything heavy waits for a click: the editor
 * (CodeMirror) on Edit or focus, the transpiler, the worker and ORT's check on Run
 * (`session.ts`). This module is what a lesson page loads for its cells.
 */
import { q } from '../shared/dom';
import { mountWidgets } from '../shared/visible';
import type { CellEditor } from './editor';
import type { CellParts } from './parts';
import { decodeCode, keepEdit, keptEdit, sharedParam, storageKey, withoutShared } from './share';

async function mountCell(root: HTMLElement): Promise<void> {
  const name = root.dataset.codeCell ?? 'cell';
  const original = q(root, '[data-original]').textContent ?? '';
  const codeBox = q(root, '[data-code]');
  const pre = q(root, '[data-view]');
  const edited = q(root, '[data-edited]');
  const parts: CellParts = {
    root,
    name,
    outputs: q(root, '[data-outputs]'),
    error: q(root, '[data-error]'),
    badge: q(root, '[data-badge]'),
    live: q(root, '[data-live]'),
    run: q<HTMLButtonElement>(root, '[data-run]'),
  };
  const key = storageKey(root.dataset.lesson ?? location.pathname, name);
  const shared = sharedParam(location.hash, name);
  const fromLink = shared === undefined ? null : await decodeCode(shared);
  let code = fromLink ?? keptEdit(localStorage, key) ?? original;
  let editor: CellEditor | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let unsaved: string | undefined;
  // Saved 250 ms after the last key, and at once when the page goes away (reload, another tab,
  // a phone's app switch): an edit typed just before leaving is not lost.
  const save = () => {
    clearTimeout(saveTimer);
    if (unsaved !== undefined) keepEdit(localStorage, key, unsaved, original);
    unsaved = undefined;
  };
  addEventListener('pagehide', save);
  document.addEventListener('visibilitychange', () => document.hidden && save());

  // "Your changes": the edit against the original, drawn (diff.ts, loaded then) while open.
  const diffBox = q<HTMLDetailsElement>(root, '[data-diff-box]');
  const drawDiff = async () => {
    if (!diffBox.open) return;
    const { diffSummary, lineDiff, renderDiff, withContext } = await import('./diff');
    const lines = lineDiff(original, code);
    const summary = q(root, '[data-diff-summary]');
    if (!lines) {
      summary.textContent = '(too long to compare line by line)';
      return;
    }
    summary.textContent = `(${diffSummary(lines)})`;
    renderDiff(withContext(lines), q(root, '[data-diff]'));
  };
  diffBox.addEventListener('toggle', () => void drawDiff());

  let ran = false;
  const mark = (origin: 'original' | 'edit' | 'link') => {
    root.dataset.origin = origin;
    diffBox.hidden = origin === 'original';
    if (origin === 'original') diffBox.open = false;
    else void drawDiff();
    edited.hidden = origin === 'original';
    edited.textContent =
      origin !== 'link' ? 'edited' : ran ? 'code from a link' : 'code from a link — not run yet';
  };
  const show = (text: string) => {
    code = text;
    if (editor) {
      if (editor.get() !== text) editor.set(text);
    } else pre.querySelector('code')!.textContent = text;
  };
  show(code);
  mark(
    fromLink !== null && fromLink !== original ? 'link' : code === original ? 'original' : 'edit',
  );
  if (shared !== undefined && fromLink === null) {
    parts.error.hidden = false;
    parts.error.textContent =
      'The shared link’s code could not be read (cut short?); showing the cell’s own code.';
  }

  const run = async () => {
    if (root.dataset.state === 'running') return;
    const session = await import('./session');
    await session.runCode(parts, editor?.get() ?? code);
    ran = true;
    if (root.dataset.origin === 'link') mark('link');
  };

  let opening: Promise<void> | undefined;
  const openEditor = (focus: boolean) => {
    opening ??= (async () => {
      const [{ createEditor }] = await Promise.all([import('./editor'), import('./session')]);
      const host = document.createElement('div');
      host.className = 'cell-editor';
      editor = createEditor(host, code, {
        label: `Code of the cell “${root.querySelector('.cbw-title')?.textContent ?? name}”, TypeScript`,
        onRun: () => void run(),
        onEscape: () => parts.run.focus(),
        onChange(text) {
          code = text;
          mark(text === original ? 'original' : 'edit');
          unsaved = text;
          clearTimeout(saveTimer);
          saveTimer = setTimeout(save, 250);
        },
      });
      pre.replaceWith(host);
      codeBox.dataset.editing = 'true';
      q(root, '[data-edit]').hidden = true;
    })();
    void opening.then(() => focus && editor?.focus());
  };

  q(root, '[data-edit]').addEventListener('click', () => openEditor(true));
  pre.addEventListener('focus', () => openEditor(true), { once: true });
  parts.run.addEventListener('click', () => void run());
  root.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !editor) {
      e.preventDefault();
      void run();
    }
  });
  q(root, '[data-reset]').addEventListener('click', () => {
    clearTimeout(saveTimer);
    unsaved = undefined;
    keepEdit(localStorage, key, original, original);
    show(original);
    mark('original');
    if (sharedParam(location.hash, name) !== undefined)
      history.replaceState(
        history.state,
        '',
        location.pathname + location.search + withoutShared(location.hash, name),
      );
    parts.live.textContent = 'The original code is back.';
  });
  q(root, '[data-share]').addEventListener('click', () => {
    void import('./session').then((s) => s.share(parts, editor?.get() ?? code));
  });
  parts.badge.textContent =
    'Press Run: every op the code computes is then checked on onnxruntime-web.';
  root.dataset.state = 'idle';
}

mountWidgets('cell', mountCell);
