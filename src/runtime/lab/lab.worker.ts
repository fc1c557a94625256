/**
 * The training lab's worker (a dedicated module worker, apart from the engine worker, so the
 * widgets stay responsive while it trains). Commands in, events out; see protocol.ts and lab.ts.
 */
import { workerHost } from './host';
import { Lab } from './lab';
import type { LabCommand, LabEvent } from './protocol';

function post(event: LabEvent): void {
  const transfer: Transferable[] = [];
  if (event.kind === 'exported') transfer.push(event.bytes.buffer);
  if (event.kind === 'weights')
    for (const t of Object.values(event.weights?.params ?? {})) transfer.push(t.data.buffer);
  self.postMessage(event, { transfer });
}

const lab = new Lab(workerHost(post));

self.onmessage = (event: MessageEvent<LabCommand>) => {
  void lab.handle(event.data);
};
