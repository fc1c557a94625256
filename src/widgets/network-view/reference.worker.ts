/**
 * The whole-network figure's reference numbers, in a worker: one forward pass with every
 * activation (the lab's larger nets take longer than a frame on the main thread). The page sends
 * each network once (`net`), then asks by its id.
 */
import { forward, softmax } from '../../cnn/index.ts';
import type { NetworkSpec, Params, Tensor } from '../../cnn/index.ts';
import { keptById, serveJobs } from '../shared/jobs';

// Two: while the lab trains, a newer net replaces the older ones.
const nets = keptById<{ spec: NetworkSpec; params: Params }>('network', 2);

const jobs = {
  net(input: { id: number; spec: NetworkSpec; params: Params }) {
    return nets.put(input.id, { spec: input.spec, params: input.params });
  },
  /** Every layer's output and the softmax for one image. */
  forward(input: { net: number; pixels: Float32Array }) {
    const n = nets.get(input.net);
    const x: Tensor = { shape: [1, ...n.spec.inputShape], data: input.pixels };
    const { logits, activations } = forward(n.spec, n.params, x);
    return { activations: [...activations], probabilities: softmax(logits).data };
  },
};

export type NetworkJobs = typeof jobs;
serveJobs(jobs);
