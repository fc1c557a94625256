/**
 * Runs a cell: a fresh dedicated module worker per run, from a blob: URL holding the reader's
 * type-stripped code after one import of the cell runtime (a same-origin bundle). The worker
 * inherits the page's CSP (no eval, connect-src 'self'); a run past its budget is terminated, so
 * a runaway loop or a huge allocation dies with its worker and leaves nothing behind.
 */
import runtimeUrl from './worker/runtime.ts?worker&url';
import { moduleSource, userLineFromModuleLine } from './source';
import type { CellData, CellMessage, OpLog, Output } from './protocol';

export const BUDGET_MS = 5000;

export type RunOutcome =
  | ({ readonly state: 'done'; readonly ms: number } & OpLog)
  | ({ readonly state: 'error'; readonly message: string; readonly line?: number } & OpLog)
  | { readonly state: 'stopped'; readonly message: string };

export function stoppedMessage(ms: number): string {
  return `Stopped after ${+(ms / 1000).toFixed(1)} s: the code ran past its time budget (an endless loop?). Nothing of it is left running.`;
}

export function runCell(
  js: string,
  data: CellData | null,
  onOutput: (output: Output) => void,
  budgetMs = BUDGET_MS,
): Promise<RunOutcome> {
  const source = moduleSource(new URL(runtimeUrl, location.href).href, js, data);
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const userLines = js.split('\n').length;
  const started = performance.now();
  const worker = new Worker(url, { type: 'module', name: 'convbook-cell' });
  const none: OpLog = { ops: [], skipped: 0 };
  return new Promise((resolve) => {
    const finish = (outcome: RunOutcome) => {
      clearTimeout(timer);
      worker.terminate();
      URL.revokeObjectURL(url);
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ state: 'stopped', message: stoppedMessage(budgetMs) }),
      budgetMs,
    );
    worker.onmessage = (event: MessageEvent<CellMessage>) => {
      const m = event.data;
      if (m.kind === 'output') onOutput(m.output);
      else if (m.kind === 'done')
        finish({ state: 'done', ms: performance.now() - started, ops: m.ops, skipped: m.skipped });
      else
        finish({
          state: 'error',
          message: m.message,
          line: m.line,
          ops: m.ops,
          skipped: m.skipped,
        });
    };
    // A syntax error sucrase let through, or a worker that could not start or ran out of memory.
    worker.onerror = (event) => {
      event.preventDefault();
      const line =
        event.filename === url ? userLineFromModuleLine(event.lineno, userLines) : undefined;
      finish({
        state: 'error',
        message: event.message || 'the cell’s worker stopped (out of memory?)',
        line,
        ...none,
      });
    };
  });
}
