/**
 * The engine worker: owns onnxruntime-web and its sessions, so model creation and runs never
 * block the page. Loads ORT only when the first request needs it.
 */
import { probe } from './probe';
import { executionProviders, loadOrt, sessionOptions } from './ort';
import type { Ort } from './ort';
import { MODEL_NEEDED } from './protocol';
import type { Envelope, Reply, Request, TensorMsg } from './protocol';

type SessionBackend = 'webgpu' | 'wasm';
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

const sessions = new Map<string, { session: Session; backend: SessionBackend }>();
const MAX_SESSIONS = 12;
let numThreads: number | undefined;

function toOrtTensor(ort: Ort, t: TensorMsg) {
  return new ort.Tensor(t.type, t.data, t.dims);
}

async function getSession(
  key: string,
  model: Uint8Array | undefined,
  backend: SessionBackend,
): Promise<{ session: Session; ort: Ort; createdMs: number }> {
  const ort = await loadOrt(backend, { numThreads });
  const cacheKey = `${backend}:${key}`;
  const cached = sessions.get(cacheKey);
  if (cached) return { session: cached.session, ort, createdMs: 0 };
  if (!model) throw new Error(MODEL_NEEDED);
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(model, sessionOptions(backend));
  if (sessions.size >= MAX_SESSIONS) {
    const [oldestKey, oldest] = sessions.entries().next().value as [string, { session: Session }];
    sessions.delete(oldestKey);
    void oldest.session.release();
  }
  sessions.set(cacheKey, { session, backend });
  return { session, ort, createdMs: performance.now() - t0 };
}

/**
 * Which execution provider got which nodes: ORT says so in its verbose log while it creates a
 * session ("Node(s) placed on [...]"). The log goes to the console, so it is captured here.
 */
async function placement(model: Uint8Array, backend: SessionBackend): Promise<string[]> {
  const ort = await loadOrt(backend, { numThreads });
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods)
    console[m] = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  ort.env.logLevel = 'verbose';
  try {
    const session = await ort.InferenceSession.create(model, {
      executionProviders: executionProviders(backend),
      graphOptimizationLevel: 'all',
      logSeverityLevel: 0,
      logVerbosityLevel: 1,
    });
    await session.release();
    // ORT's log lines arrive a little after create() resolves; keep listening until they have.
    await new Promise((resolve) => setTimeout(resolve, 250));
  } finally {
    ort.env.logLevel = 'error';
    methods.forEach((m, i) => (console[m] = saved[i]!));
  }
  // The count line names the provider; the lines after it name each node ("  OpType (name)").
  const keep: string[] = [];
  let listing = false;
  for (const line of lines) {
    if (/Node\(s\) placed on/.test(line)) {
      keep.push(line);
      listing = /CPUExecutionProvider/.test(line);
    } else if (listing && /^\s+\S+ \(/.test(line.replace(/^.*\] /, ''))) {
      keep.push(line);
    } else {
      listing = false;
      if (/Memcpy|Provider/.test(line)) keep.push(line);
    }
  }
  return keep;
}

async function handle(req: Request): Promise<Reply> {
  switch (req.kind) {
    case 'probe':
      return { kind: 'probe', statuses: await probe() };
    case 'release': {
      for (const [k, s] of sessions) {
        if (k.endsWith(`:${req.key}`)) {
          sessions.delete(k);
          await s.session.release();
        }
      }
      return { kind: 'released' };
    }
    case 'placement':
      return { kind: 'placement', lines: await placement(req.model, req.backend) };
    case 'configure': {
      numThreads = req.numThreads;
      const ort = await loadOrt('wasm', { numThreads });
      return { kind: 'configured', numThreads: ort.env.wasm.numThreads ?? 1 };
    }
    case 'run': {
      const { session, ort, createdMs } = await getSession(req.key, req.model, req.backend);
      const feeds: Record<string, InstanceType<Ort['Tensor']>> = {};
      for (const [name, t] of Object.entries(req.feeds)) feeds[name] = toOrtTensor(ort, t);
      const t0 = performance.now();
      const results = req.fetches
        ? await session.run(feeds, [...req.fetches])
        : await session.run(feeds);
      const runMs = performance.now() - t0;
      const outputs: Record<string, TensorMsg> = {};
      for (const [name, value] of Object.entries(results)) {
        const data = (await value.getData()) as TensorMsg['data'];
        outputs[name] = { dims: value.dims, type: value.type as TensorMsg['type'], data };
        value.dispose();
      }
      return {
        kind: 'run',
        outputs,
        backend: req.backend,
        sessionMs: createdMs,
        runMs,
      };
    }
  }
}

/**
 * One request at a time: overlapping session runs fail on ORT's WebGPU EP (and several widgets on
 * one page may ask at once), so requests queue here in arrival order.
 */
let queue: Promise<unknown> = Promise.resolve();
function enqueue(req: Request): Promise<Reply> {
  const next = queue.then(() => handle(req));
  queue = next.catch(() => undefined);
  return next;
}

self.onmessage = (event: MessageEvent<Envelope<Request>>) => {
  const { id, body } = event.data;
  enqueue(body).then(
    (reply) => {
      const transfer: Transferable[] = [];
      if (reply.kind === 'run')
        for (const t of Object.values(reply.outputs)) transfer.push(t.data.buffer);
      self.postMessage({ id, body: reply } satisfies Envelope<Reply>, { transfer });
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      self.postMessage({ id, body: { kind: 'error', message } } satisfies Envelope<Reply>);
    },
  );
};
