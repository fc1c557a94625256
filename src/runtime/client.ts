/**
 * The page's handle on the engine worker. The worker (and with it onnxruntime-web) is created on
 * the first call, never at page load.
 */
import type { BackendStatus } from './backends';
import { MODEL_NEEDED } from './protocol';
import type { Envelope, Reply, Request, TensorMsg } from './protocol';

type RunRequest = Extract<Request, { kind: 'run' }>;
export type RunReply = Extract<Reply, { kind: 'run' }>;

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

function failAll(message: string): void {
  for (const p of pending.values()) p.reject(new Error(message));
  pending.clear();
  shipped.clear();
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

let probed: Promise<readonly BackendStatus[]> | undefined;

/** Probes WebGPU and wasm once per page (in the worker, where ORT will run). */
export function probeBackends(): Promise<readonly BackendStatus[]> {
  const p =
    probed ??
    send({ kind: 'probe' }).then((r) => (r as Extract<Reply, { kind: 'probe' }>).statuses);
  probed = p;
  p.catch(() => (probed = undefined));
  return p;
}

/** The `backend:key` sessions this worker has been sent the bytes of. */
const shipped = new Set<string>();

export type RunModelRequest = Omit<RunRequest, 'kind' | 'model'> & {
  /** The model's bytes, or a function that builds them: called only if the worker lacks them. */
  readonly model: Uint8Array | (() => Uint8Array);
};

/**
 * Runs an ONNX model in the worker. Its bytes travel once per key and backend: later runs send
 * only the feeds (the worker answers MODEL_NEEDED if it dropped that session, and they are sent
 * again). Feeds are copied (not transferred): callers keep theirs.
 */
export async function runModel(req: RunModelRequest): Promise<RunReply> {
  const { model, ...rest } = req;
  const id = `${req.backend}:${req.key}`;
  const withModel = async () => {
    const bytes = typeof model === 'function' ? model() : model;
    const reply = (await send({ kind: 'run', ...rest, model: bytes })) as RunReply;
    shipped.add(id);
    return reply;
  };
  if (!shipped.has(id)) return withModel();
  try {
    return (await send({ kind: 'run', ...rest })) as RunReply;
  } catch (error) {
    if (!(error instanceof Error) || error.message !== MODEL_NEEDED) throw error;
    shipped.delete(id);
    return withModel();
  }
}

export async function releaseModel(key: string): Promise<void> {
  for (const id of shipped) if (id.endsWith(`:${key}`)) shipped.delete(id);
  if (worker) await send({ kind: 'release', key });
}

export function float32(dims: readonly number[], data: Float32Array): TensorMsg {
  return { dims, type: 'float32', data };
}

/** Sets wasm threads before ORT loads (benchmarks use 1); returns the count in force. */
export async function configureEngine(numThreads?: number): Promise<number> {
  const r = await send({ kind: 'configure', numThreads });
  return (r as Extract<Reply, { kind: 'configured' }>).numThreads;
}

/**
 * ORT's node-placement log lines for a model on a backend (session creation only). Each probe runs
 * in a fresh, short-lived worker: ORT configures its logger once per instance, so a second verbose
 * session in the same worker logs nothing, and widgets' sessions stay quiet.
 */
export function nodePlacement(
  model: Uint8Array,
  backend: 'webgpu' | 'wasm',
): Promise<readonly string[]> {
  const probe = new Worker(new URL('./engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'convbook-placement',
  });
  return new Promise<readonly string[]>((resolve, reject) => {
    probe.onmessage = (event: MessageEvent<Envelope<Reply>>) => {
      const body = event.data.body;
      if (body.kind === 'placement') resolve(body.lines);
      else reject(new Error(body.kind === 'error' ? body.message : `unexpected ${body.kind}`));
    };
    probe.onerror = (event) => reject(new Error(event.message || 'the placement worker failed'));
    probe.postMessage({
      id: 0,
      body: { kind: 'placement', model, backend },
    } satisfies Envelope<Request>);
  }).finally(() => probe.terminate());
}
export { allowOrt, ortHold, whenOrtMayStart } from './gate';
