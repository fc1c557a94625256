/**
 * Lazy loading of onnxruntime-web — the only place ConvBook imports it. Nothing here runs until a
 * widget asks for ORT, so a page whose reader never touches a widget downloads no ORT at all.
 *
 * Two builds, chosen by backend, because their WebAssembly differs a lot in size (1.30, gzipped):
 *   wasm   → `onnxruntime-web/wasm`: ort-wasm-simd-threaded.wasm, 3.7 MB
 *   webgpu → `onnxruntime-web`:      ort-wasm-simd-threaded.jsep.wasm, 6.7 MB (WebGPU + wasm EPs)
 * Vite resolves ORT's `new URL('ort-wasm-….wasm', import.meta.url)` into hashed files under
 * /_astro/, so the site serves the .wasm itself and only the chosen build's file is fetched.
 */
import type * as OrtModule from 'onnxruntime-web';

export type Ort = typeof OrtModule;
export type OrtFlavour = 'wasm' | 'webgpu';

const loaded = new Map<OrtFlavour, Promise<Ort>>();

/**
 * Threads for the wasm EP when the page is cross-origin isolated (SharedArrayBuffer), else one:
 * every core but one, which is left to the page — on two cores, two busy ORT threads starved the
 * main thread (the lab's page blocked 27 % of the time while it trained; 9 % with one). Capped
 * at 4: these nets are small and more threads mostly add synchronisation. Benches pin their own.
 */
export function wasmThreads(isolated: boolean, cores: number | undefined): number {
  if (!isolated) return 1;
  return Math.max(1, Math.min(4, (cores ?? 1) - 1));
}

export function loadOrt(flavour: OrtFlavour, options: { numThreads?: number } = {}): Promise<Ort> {
  let promise = loaded.get(flavour);
  if (!promise) {
    promise = (async () => {
      const ort: Ort =
        flavour === 'wasm' ? await import('onnxruntime-web/wasm') : await import('onnxruntime-web');
      ort.env.wasm.numThreads =
        options.numThreads ??
        wasmThreads(self.crossOriginIsolated, self.navigator.hardwareConcurrency);
      ort.env.logLevel = 'error';
      return ort;
    })();
    // A failed load (offline, blocked) may succeed later: don't cache the failure.
    promise.catch(() => loaded.delete(flavour));
    loaded.set(flavour, promise);
  }
  return promise;
}

/**
 * Options of every ConvBook session: all graph optimisations, the backend's providers and, on
 * wasm, ORT's pool threads told not to spin between runs. ConvBook's sessions run in a worker: a
 * thread left spinning on a core after its run holds off the page thread that must receive the
 * answer and send the next request (on two cores, inference through the worker ran at 65–70 % of
 * a plain session in the page; a plain session, whose caller is ORT's own thread, gains nothing).
 */
export function sessionOptions(backend: 'webgpu' | 'wasm') {
  return {
    executionProviders: executionProviders(backend),
    graphOptimizationLevel: 'all' as const,
    ...(backend === 'wasm' ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
  };
}

/**
 * The execution-provider list for a backend. On WebGPU ConvBook asks for NCHW: with JSEP's
 * default NHWC, ORT's layout optimizer inserts Transposes on the max-pool backward's boolean
 * masks, which JSEP cannot transpose, so they ran on the CPU (seen in the placement log).
 */
export function executionProviders(backend: 'webgpu' | 'wasm') {
  return backend === 'webgpu'
    ? [{ name: 'webgpu' as const, preferredLayout: 'NCHW' as const }]
    : ['wasm' as const];
}
