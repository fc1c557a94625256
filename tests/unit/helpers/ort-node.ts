/**
 * Runs ONNX model bytes on onnxruntime-web's wasm execution provider in Node (the node build of
 * onnxruntime-web). Tests only: in the site, src/runtime is the one importer of onnxruntime-web.
 */
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;

export interface Feed {
  readonly shape: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}
export interface Output {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface NodeSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(
    feeds: Readonly<Record<string, Feed>>,
    fetches?: readonly string[],
  ): Promise<Record<string, Output>>;
  release(): Promise<void>;
  /** The ORT session, for profiling and other low-level uses. */
  readonly raw: ort.InferenceSession;
}

export async function createSession(
  bytes: Uint8Array,
  options: ort.InferenceSession.SessionOptions = {},
): Promise<NodeSession> {
  const raw = await ort.InferenceSession.create(bytes, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    ...options,
  });
  return {
    raw,
    inputNames: raw.inputNames,
    outputNames: raw.outputNames,
    async run(feeds, fetches) {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, f] of Object.entries(feeds)) {
        ortFeeds[name] =
          f.data instanceof BigInt64Array
            ? new ort.Tensor('int64', f.data, [...f.shape])
            : new ort.Tensor('float32', f.data, [...f.shape]);
      }
      const results =
        fetches === undefined ? await raw.run(ortFeeds) : await raw.run(ortFeeds, [...fetches]);
      const out: Record<string, Output> = {};
      for (const [name, t] of Object.entries(results)) {
        const data =
          t.data instanceof Float32Array
            ? new Float32Array(t.data)
            : Float32Array.from(t.data as ArrayLike<number | bigint>, (x) => Number(x));
        out[name] = { shape: [...t.dims], data };
        t.dispose();
      }
      return out;
    },
    release: () => raw.release(),
  };
}

/** Runs a model once and releases its session. */
export async function runModel(
  bytes: Uint8Array,
  feeds: Readonly<Record<string, Feed>>,
): Promise<Record<string, Output>> {
  const s = await createSession(bytes);
  try {
    return await s.run(feeds);
  } finally {
    await s.release();
  }
}

export { ort };
