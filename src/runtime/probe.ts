/**
 * What this worker can run on: WebGPU (and which adapter), wasm (threaded or not), the reference
 * engine. Probed inside the worker that will run ORT, since that is where it matters.
 */
import { webgpuStatus } from './backends';
import type { AdapterFacts, BackendStatus } from './backends';

export async function probe(): Promise<BackendStatus[]> {
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
