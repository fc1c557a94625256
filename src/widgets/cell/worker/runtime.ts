/**
 * The first module of every cell run, imported by the run's own module (a blob: URL, see
 * source.ts) before the reader's code: it installs `__cellRun`, which hands the code its API,
 * waits for it, and reports `done` or the error with its line in the reader's code. `console.log`
 * writes to the cell's output too.
 */
import { userLineFromStack } from '../source';
import type { CellData, CellMessage } from '../protocol';
import { textOutput } from '../outputs';
import { createApi } from './api';
import { OpRecorder } from './record';

type CellBody = (api: ReturnType<typeof createApi>) => Promise<unknown>;

const post = (message: CellMessage) => {
  const transfer: Transferable[] = [];
  if (message.kind === 'output' && message.output.kind === 'heatmap')
    transfer.push(message.output.values.buffer);
  self.postMessage(message, { transfer });
};

async function cellRun(data: CellData | null, body: CellBody): Promise<void> {
  const rec = new OpRecorder();
  const api = createApi(rec, post, data);
  console.log = (...values: unknown[]) => post({ kind: 'output', output: textOutput(...values) });
  try {
    const value = await body(api);
    if (value !== undefined) api.show(value);
    post({ kind: 'done', ops: rec.ops, skipped: rec.skipped });
  } catch (error) {
    const message =
      error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    post({
      kind: 'error',
      message,
      line: userLineFromStack(stack, self.location.href),
      ops: rec.ops,
      skipped: rec.skipped,
    });
  }
}

(globalThis as unknown as { __cellRun: typeof cellRun }).__cellRun = cellRun;
