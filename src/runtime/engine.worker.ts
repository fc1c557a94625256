/**
 * The engine worker: owns onnxruntime-web and its sessions, so model creation and runs never
 * block the page. Loads ORT only when the first request needs it.
 */
import { webgpuStatus, type AdapterFacts, type BackendStatus } from './backends';
import { loadOrt, type Ort } from './ort';
import type { Envelope, Reply, Request, TensorMsg } from './protocol';

type SessionBackend = 'webgpu' | 'wasm';
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

const sessions = new Map<string, { session: Session; backend: SessionBackend }>();
const MAX_SESSIONS = 12;

async function probe(): Promise<BackendStatus[]> {
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  let webgpu: BackendStatus;
  if (!gpu) {
    webgpu = webgpuStatus(false, null);
  } else {
    try {
      const adapter = await gpu.requestAdapter();
      const facts: AdapterFacts | null = adapter && {
        vendor: adapter.info.vendor,
        architecture: adapter.info.architecture,
        description: adapter.info.description,
        isFallbackAdapter:
          (adapter.info as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
      };
      webgpu = webgpuStatus(true, facts);
    } catch (error) {
      webgpu = webgpuStatus(true, null, `requesting a WebGPU adapter failed: ${String(error)}`);
    }
  }
  const wasm: BackendStatus =
    typeof WebAssembly === 'object'
      ? {
          name: 'wasm',
          available: true,
          recommended: true,
          detail: self.crossOriginIsolated
            ? 'multi-threaded'
            : 'single-threaded (page not cross-origin isolated)',
        }
      : {
          name: 'wasm',
          available: false,
          recommended: false,
          reason: 'this browser has no WebAssembly',
        };
  return [webgpu, wasm, { name: 'reference', available: true, recommended: true }];
}

function toOrtTensor(ort: Ort, t: TensorMsg) {
  return new ort.Tensor(t.type, t.data, t.dims);
}

async function getSession(
  key: string,
  model: Uint8Array,
  backend: SessionBackend,
  placement: boolean,
  log: string[],
): Promise<{ session: Session; ort: Ort; createdMs: number }> {
  const ort = await loadOrt(backend);
  const cacheKey = `${backend}:${key}`;
  const cached = sessions.get(cacheKey);
  if (cached && !placement) return { session: cached.session, ort, createdMs: 0 };
  const t0 = performance.now();
  const restore = console.log;
  if (placement) {
    // ORT prints node placement through console at verbose level; capture those lines.
    ort.env.logLevel = 'verbose';
    console.log = (...args: unknown[]) => log.push(args.map(String).join(' '));
  }
  let session: Session;
  try {
    session = await ort.InferenceSession.create(model, {
      executionProviders: [backend],
      graphOptimizationLevel: 'all',
      ...(placement ? { logSeverityLevel: 0 as const, logVerbosityLevel: 1 } : {}),
    });
  } finally {
    console.log = restore;
    ort.env.logLevel = 'error';
  }
  if (sessions.size >= MAX_SESSIONS) {
    const [oldestKey, oldest] = sessions.entries().next().value as [string, { session: Session }];
    sessions.delete(oldestKey);
    void oldest.session.release();
  }
  sessions.set(cacheKey, { session, backend });
  return { session, ort, createdMs: performance.now() - t0 };
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
    case 'run': {
      const log: string[] = [];
      const { session, ort, createdMs } = await getSession(
        req.key,
        req.model,
        req.backend,
        req.placement ?? false,
        log,
      );
      const feeds: Record<string, InstanceType<Ort['Tensor']>> = {};
      for (const [name, t] of Object.entries(req.feeds)) feeds[name] = toOrtTensor(ort, t);
      const t0 = performance.now();
      const results = await session.run(feeds, req.fetches ? [...req.fetches] : undefined);
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
        ...(req.placement
          ? { placementLog: log.filter((l) => /placed on|Node\(s\)|provider/i.test(l)) }
          : {}),
      };
    }
  }
}

self.onmessage = (event: MessageEvent<Envelope<Request>>) => {
  const { id, body } = event.data;
  handle(body).then(
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
