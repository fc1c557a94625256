/**
 * The page's side of the figure's reference worker: each network is sent once per worker, each
 * forward pass is a promise.
 */
import type { Tensor } from '../../cnn/index.ts';
import { jobClient } from '../shared/jobs';
import type { NetworkJobs } from './reference.worker';
import type { Net } from './state';

const worker = jobClient<NetworkJobs>(
  () => new Worker(new URL('./reference.worker.ts', import.meta.url), { type: 'module' }),
);

const sent = new WeakMap<Net, { generation: number; done: Promise<unknown> }>();
function send(net: Net): Promise<unknown> {
  const had = sent.get(net);
  if (had && had.generation === worker.generation) return had.done;
  const done = worker.run('net', { id: net.id, spec: net.spec, params: net.params });
  sent.set(net, { generation: worker.generation, done });
  return done;
}

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
