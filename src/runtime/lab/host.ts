/**
 * The browser side of the lab (LabHost): MNIST from the site, WebGPU probing, ORT trainers and
 * evaluators, IndexedDB, the WebGPU device. Runs in the lab worker; tested in the browser.
 */
import { probe } from '../probe';
import type { BackendName } from '../crosscheck';
import { loadOrt } from '../ort';
import type { Ort } from '../ort';
import { loadMnist } from '../../data/load';
import { indexedDbStore, slotOfWorker } from './checkpoint';
import { ReferenceEvaluator, ReferenceTrainer } from './engines';
import type { LabHost } from './lab';
import { OrtEvaluator, OrtLabTrainer } from './ort-engine';
import type { LabEvent } from './protocol';

/** A macrotask without setTimeout's 4 ms clamp, so queued commands are handled between steps. */
function yieldNow(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export function workerHost(emit: (event: LabEvent) => void): LabHost {
  let gpuOrt: Promise<Ort> | undefined;
  let lost: Promise<string> | undefined;
  let gpuBroken = false;
  let numThreads: number | undefined;

  /**
   * The ORT build for a backend. The WebGPU build also serves wasm (it has both EPs), so that
   * costs no second download — except after a lost device: the failed GPU run may still hold that
   * ORT instance ("Session already started"), so wasm then gets its own, the plain wasm build.
   */
  const ortFor = (backend: 'webgpu' | 'wasm'): Promise<Ort> => {
    if (backend === 'webgpu') return (gpuOrt ??= loadOrt('webgpu', { numThreads }));
    return gpuOrt && !gpuBroken ? gpuOrt : loadOrt('wasm', { numThreads });
  };

  const watchDevice = async (ort: Ort) => {
    const device = await ort.env.webgpu.device;
    lost = device.lost.then((info) => {
      gpuBroken = true;
      return `${info.reason}${info.message ? `: ${info.message}` : ''}`;
    });
  };

  return {
    emit,
    loadData: (onProgress) =>
      loadMnist({
        url: new URL('/data/mnist.bin', self.location.origin).href,
        onProgress: (p) => onProgress(p.loaded, p.total),
      }),
    probe,
    async createTrainer(backend: BackendName, spec, config, state) {
      if (backend === 'reference') return new ReferenceTrainer(spec, config.optimizer, state);
      const ort = await ortFor(backend);
      const trainer = await OrtLabTrainer.create(
        ort,
        backend,
        spec,
        config.optimizer,
        config.batchSize,
        state,
      );
      if (backend === 'webgpu') await watchDevice(ort);
      return trainer;
    },
    async createEvaluator(backend: BackendName, spec) {
      if (backend === 'reference') return new ReferenceEvaluator(spec);
      return OrtEvaluator.create(await ortFor(backend), backend, spec);
    },
    wasmThreads(threads) {
      if (!Number.isInteger(threads) || threads < 1)
        throw new RangeError(`wasm-threads: a positive whole number, got ${threads}`);
      numThreads = threads;
    },
    openStore: () => indexedDbStore(self.indexedDB, slotOfWorker(self.name)),
    async loseDevice() {
      if (!gpuOrt) throw new Error('lose-device: no WebGPU device is in use');
      const device = await (await gpuOrt).env.webgpu.device;
      device.destroy();
    },
    deviceLost: () => lost,
    now: () => performance.now(),
    yieldNow,
  };
}
