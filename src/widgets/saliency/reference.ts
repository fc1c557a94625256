/**
 * The page's side of saliency's reference worker (reference.worker.ts): each network is sent
 * once, and each result is a promise. The first layer's responses depend on the network only,
 * so they are asked for once per network.
 */
import { jobClient, oncePerWorker } from '../shared/jobs';
import type { Digit } from './analysis';
import type { SaliencyJobs } from './reference.worker';
import type { Net, SalResult } from './state';

const worker = jobClient<SaliencyJobs>(
  () => new Worker(new URL('./reference.worker.ts', import.meta.url), { type: 'module' }),
);

/** Each network is sent once to each worker (a replaced worker holds none). */
const send = oncePerWorker(worker, (net: Net) =>
  worker.run('net', { id: net.id, spec: net.spec, params: net.params }),
);

export async function explain(net: Net, pixels: readonly number[], cls: number) {
  await send(net);
  return worker.run('explain', { net: net.id, pixels, cls });
}

const firsts = new WeakMap<Net, Promise<SalResult['first']>>();
export function firstLayer(net: Net, digits: readonly Digit[]): Promise<SalResult['first']> {
  let p = firsts.get(net);
  if (!p) {
    p = send(net).then(() => worker.run('first', { net: net.id, digits }));
    firsts.set(net, p);
  }
  return p;
}

/** Softmax of the reference logits for every image of the occluded batch. */
export async function occludedProbs(net: Net, batch: Float32Array): Promise<Float32Array> {
  await send(net);
  return (await worker.run('occlude', { net: net.id, batch })).probs;
}
