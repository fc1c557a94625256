/**
 * Which engine computes: WebGPU, then wasm, then the reference engine, with the reason each one
 * was passed over recorded so the reader can be told (like onnxruntime's own backend resolution).
 * Pure: the probing itself happens in the engine worker (see probe.ts).
 */
import type { BackendName } from './crosscheck';

export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'wasm', 'reference'];

export const BACKEND_LABEL: Readonly<Record<BackendName, string>> = {
  webgpu: 'ORT · WebGPU',
  wasm: 'ORT · WebAssembly',
  reference: 'Reference engine (TypeScript)',
};

/**
 * What each ORT build costs to download (gzip, ORT 1.30; docs/runtime.md): each backend is its own
 * build, so a page says this before fetching one the reader did not ask for.
 */
export const BUILD_DOWNLOAD: Readonly<Record<'webgpu' | 'wasm', string>> = {
  webgpu: '6.7 MB',
  wasm: '3.7 MB',
};

export interface BackendStatus {
  readonly name: BackendName;
  /** Can run at all if the reader asks for it. */
  readonly available: boolean;
  /** Recommended as a default (a software WebGPU adapter is available but not recommended). */
  readonly recommended: boolean;
  /** Why it is unavailable or not recommended; shown to the reader. */
  readonly reason?: string;
  readonly detail?: string;
}

export interface AdapterFacts {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

/** A software adapter runs WebGPU shaders on the CPU, far slower than ORT's wasm backend. */
export function isSoftwareAdapter(a: AdapterFacts): boolean {
  return (
    a.isFallbackAdapter ||
    /swiftshader|llvmpipe|lavapipe|software|warp|microsoft basic render/i.test(
      `${a.architecture} ${a.description} ${a.vendor}`,
    )
  );
}

/** WebGPU's status from what the worker found: no API, no adapter, a software one, or a GPU. */
export function webgpuStatus(
  hasApi: boolean,
  adapter: AdapterFacts | null,
  error?: string,
): BackendStatus {
  if (!hasApi) {
    return {
      name: 'webgpu',
      available: false,
      recommended: false,
      reason:
        'this browser has no WebGPU (navigator.gpu is missing; it needs a secure context and a recent browser)',
    };
  }
  if (error) return { name: 'webgpu', available: false, recommended: false, reason: error };
  if (!adapter) {
    return {
      name: 'webgpu',
      available: false,
      recommended: false,
      reason: 'the browser offers WebGPU but found no usable GPU adapter',
    };
  }
  const detail = [adapter.vendor, adapter.architecture, adapter.description]
    .filter(Boolean)
    .join(' · ');
  if (isSoftwareAdapter(adapter)) {
    return {
      name: 'webgpu',
      available: true,
      recommended: false,
      reason: `the only WebGPU adapter is a software one (${detail}), which is slower than WebAssembly here`,
      detail,
    };
  }
  return { name: 'webgpu', available: true, recommended: true, detail };
}

/**
 * The backend to use: the reader's pick if it is available, else the first recommended one in
 * BACKEND_ORDER. The reference engine is always available.
 */
export function chooseBackend(
  statuses: readonly BackendStatus[],
  requested?: BackendName,
): { backend: BackendName; note?: string } {
  const byName = new Map(statuses.map((s) => [s.name, s]));
  if (requested) {
    const s = byName.get(requested);
    if (requested === 'reference' || s?.available) return { backend: requested };
    const fallback = chooseBackend(statuses).backend;
    return {
      backend: fallback,
      note: `${BACKEND_LABEL[requested]} is not available (${s?.reason ?? 'not probed'}); using ${BACKEND_LABEL[fallback]}.`,
    };
  }
  for (const name of BACKEND_ORDER) {
    if (name === 'reference') return { backend: name };
    if (byName.get(name)?.recommended) return { backend: name };
  }
  return { backend: 'reference' };
}
