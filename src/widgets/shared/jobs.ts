/**
 * Reference-engine work off the main thread. A widget whose reference numbers take more than a
 * frame (a network's backward pass, a batch of occluded images) declares its jobs in a module
 * worker with `serveJobs`, and calls them from the page with `jobClient`: one worker per widget
 * type, started on first use, one promise per call, errors as errors. The page stays responsive
 * (no main-thread task over 50 ms) while the worker computes.
 */

/** A job takes structured-cloneable input and returns (or resolves to) cloneable output. */
export type Jobs = Record<string, (input: never) => unknown>;

type Input<J extends Jobs, K extends keyof J> = Parameters<J[K]>[0];
type Output<J extends Jobs, K extends keyof J> = Awaited<ReturnType<J[K]>>;

interface Call {
  readonly id: number;
  readonly job: string;
  readonly input: unknown;
}
type Reply =
  | { readonly id: number; readonly ok: true; readonly output: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** Typed arrays in `value` (one level deep) whose buffers can move instead of being copied. */
function buffersOf(value: unknown): Transferable[] {
  if (!value || typeof value !== 'object') return [];
  const out = new Set<ArrayBufferLike>();
  for (const v of Object.values(value))
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  return [...out] as Transferable[];
}

/** In the worker: answer every call with its job's output (typed arrays at the top moved). */
export function serveJobs(jobs: Jobs): void {
  self.addEventListener('message', (e: MessageEvent<Call>) => {
    const { id, job, input } = e.data;
    void (async () => {
      const run = jobs[job];
      try {
        if (!run) throw new Error(`no job named "${job}"`);
        const output = await run(input as never);
        (self as unknown as Worker).postMessage({ id, ok: true, output } satisfies Reply, {
          transfer: buffersOf(output),
        });
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        (self as unknown as Worker).postMessage({ id, ok: false, error: text } satisfies Reply);
      }
    })();
  });
}

export interface JobClient<J extends Jobs> {
  run<K extends keyof J & string>(job: K, input: Input<J, K>): Promise<Output<J, K>>;
  /** Which worker answers: it grows when a stopped worker is replaced (what it held is gone). */
  readonly generation: number;
}

/** In the page: `start` makes the worker (on the first call), e.g. `new Worker(new URL(…))`. */
export function jobClient<J extends Jobs>(start: () => Worker): JobClient<J> {
  let worker: Worker | undefined;
  let generation = 0;
  let next = 0;
  const waiting = new Map<number, { ok(v: unknown): void; fail(e: Error): void }>();
  const failAll = (why: string) => {
    for (const w of waiting.values()) w.fail(new Error(why));
    waiting.clear();
    worker = undefined;
    generation++;
  };
  const started = (): Worker => {
    if (worker) return worker;
    const w = start();
    w.addEventListener('message', (e: MessageEvent<Reply>) => {
      const r = e.data;
      const wait = waiting.get(r.id);
      if (!wait) return;
      waiting.delete(r.id);
      if (r.ok) wait.ok(r.output);
      else wait.fail(new Error(r.error));
    });
    w.addEventListener('error', (e) => {
      e.preventDefault();
      failAll(`the reference worker stopped: ${e.message || 'it could not start'}`);
    });
    return (worker = w);
  };
  return {
    get generation() {
      return generation;
    },
    run(job, input) {
      const id = next++;
      return new Promise((ok, fail) => {
        waiting.set(id, { ok: ok as (v: unknown) => void, fail });
        started().postMessage({ id, job, input } satisfies Call);
      });
    },
  };
}

/**
 * In the page: `send` each value (a network the worker keeps by id) once per worker. A replaced
 * worker holds none of them, so a value goes again to the next one. The promise is the sending's.
 */
export function oncePerWorker<T extends object>(
  client: { readonly generation: number },
  send: (value: T) => Promise<unknown>,
): (value: T) => Promise<unknown> {
  const sent = new WeakMap<T, { generation: number; done: Promise<unknown> }>();
  return (value) => {
    const had = sent.get(value);
    if (had && had.generation === client.generation) return had.done;
    const generation = client.generation;
    const done = send(value);
    sent.set(value, { generation, done });
    return done;
  };
}

/**
 * In the worker: what the page sent once (`put`) and names by id in later calls; the newest
 * `keep` ids are kept. `what` names it in the error for an id never sent.
 */
export function keptById<T>(what: string, keep: number) {
  const held = new Map<number, T>();
  return {
    put(id: number, value: T): true {
      held.set(id, value);
      for (const old of [...held.keys()].slice(0, -keep)) held.delete(old);
      return true;
    },
    get(id: number): T {
      const value = held.get(id);
      if (value === undefined)
        throw new Error(`${what} ${id} was not sent to the reference worker`);
      return value;
    },
  };
}
