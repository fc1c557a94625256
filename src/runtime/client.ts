/**
 * The page's handle on the engine worker. The worker (and with it onnxruntime-web) is created on
 * the first call, never at page load.
 */
import type { BackendStatus } from './backends';
import type { Envelope, Reply, Request, TensorMsg } from './protocol';

type RunRequest = Extract<Request, { kind: 'run' }>;
export type RunReply = Extract<Reply, { kind: 'run' }>;

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

function failAll(message: string): void {
  for (const p of pending.values()) p.reject(new Error(message));
  pending.clear();
  worker?.terminate();
  worker = undefined;
}

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./engine.worker.ts', import.meta.url), {
      type: 'module',
      name: 'convbook-engine',
    });
    worker.onmessage = (event: MessageEvent<Envelope<Reply>>) => {
      const p = pending.get(event.data.id);
      if (!p) return;
      pending.delete(event.data.id);
      const body = event.data.body;
      if (body.kind === 'error') p.reject(new Error(body.message));
      else p.resolve(body);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      failAll(`the engine worker stopped: ${event.message || 'it could not be loaded'}`);
    };
  }
  return worker;
}

function send(body: Request, transfer: Transferable[] = []): Promise<Reply> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    getWorker().postMessage({ id, body } satisfies Envelope<Request>, { transfer });
  });
}

/** Whether the engine worker (and so ORT) has been started on this page. */
export function engineStarted(): boolean {
  return worker !== undefined;
}

let probed: Promise<BackendStatus[]> | undefined;

/** Probes WebGPU and wasm once per page (in the worker, where ORT will run). */
export function probeBackends(): Promise<BackendStatus[]> {
  probed ??= send({ kind: 'probe' }).then((r) => (r as Extract<Reply, { kind: 'probe' }>).statuses);
  probed.catch(() => (probed = undefined));
  return probed;
}

/** Runs an ONNX model in the worker. Feeds are copied (not transferred): callers keep theirs. */
export async function runModel(req: Omit<RunRequest, 'kind'>): Promise<RunReply> {
  return (await send({ kind: 'run', ...req })) as RunReply;
}

export async function releaseModel(key: string): Promise<void> {
  if (worker) await send({ kind: 'release', key });
}

export function float32(dims: readonly number[], data: Float32Array): TensorMsg {
  return { dims, type: 'float32', data };
}
