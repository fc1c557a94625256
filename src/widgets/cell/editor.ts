/**
 * The editor, loaded on the reader's first Edit (or focus on the code): CodeMirror 6 with the
 * JavaScript/TypeScript grammar. Tab is left to the browser (it moves focus, as CodeMirror's
 * accessibility guidance recommends when nothing needs it): indent with Mod-] and Mod-[.
 * Mod-Enter runs the cell, Escape hands focus back to the page.
 */
import { javascript } from '@codemirror/lang-javascript';
import { keymap, lineNumbers } from '@codemirror/view';
import { EditorView, minimalSetup } from 'codemirror';

export interface CellEditor {
  get(): string;
  set(code: string): void;
  focus(): void;
}

export function createEditor(
  parent: HTMLElement,
  doc: string,
  options: { label: string; onRun(): void; onChange(code: string): void; onEscape(): void },
): CellEditor {
  const view = new EditorView({
    doc,
    parent,
    extensions: [
      keymap.of([
        { key: 'Mod-Enter', run: () => (options.onRun(), true) },
        { key: 'Escape', run: () => (options.onEscape(), true) },
      ]),
      minimalSetup,
      lineNumbers(),
      javascript({ typescript: true }),
      EditorView.contentAttributes.of({ 'aria-label': options.label }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) options.onChange(u.state.doc.toString());
      }),
    ],
  });
  return {
    get: () => view.state.doc.toString(),
    set(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    focus: () => view.focus(),
  };
}
