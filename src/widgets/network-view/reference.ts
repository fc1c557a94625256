/**
 * The page's side of the figure's reference worker: each network is sent once per worker, each
 * forward pass is a promise.
 */
import type { Tensor } from '../../cnn/index.ts';
import { jobClient, oncePerWorker } from '../shared/jobs';
import type { NetworkJobs } from './reference.worker';
import type { Net } from './state';

const worker = jobClient<NetworkJobs>(
  () => new Worker(new URL('./reference.worker.ts', import.meta.url), { type: 'module' }),
);

const send = oncePerWorker(worker, (net: Net) =>
  worker.run('net', { id: net.id, spec: net.spec, params: net.params }),
);

export interface Pass {
  readonly net: Net;
  readonly image: Tensor;
  /** activations[i]: layer i's output, [1, …]. */
  readonly activations: readonly Tensor[];
  readonly probabilities: Float32Array;
}

export async function forwardPass(net: Net, pixels: ArrayLike<number>): Promise<Pass> {
  await send(net);
  const data = Float32Array.from(pixels);
  const r = await worker.run('forward', { net: net.id, pixels: data.slice() });
  return {
    net,
    image: { shape: [1, ...net.spec.inputShape], data },
    activations: r.activations,
    probabilities: r.probabilities,
  };
}
