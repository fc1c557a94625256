/**
 * The whole-network figure's reference numbers, in a worker: one forward pass with every
 * activation (the lab's larger nets take longer than a frame on the main thread). The page sends
 * each network once (`net`), then asks by its id.
 */
import { forward, softmax, type NetworkSpec, type Params, type Tensor } from '../../cnn/index.ts';
import { serveJobs } from '../shared/jobs';

const nets = new Map<number, { spec: NetworkSpec; params: Params }>();
const KEEP = 2; // while the lab trains, a newer net replaces the older ones

const jobs = {
  net(input: { id: number; spec: NetworkSpec; params: Params }) {
    nets.set(input.id, { spec: input.spec, params: input.params });
    for (const old of [...nets.keys()].slice(0, -KEEP)) nets.delete(old);
    return true;
  },
  /** Every layer's output and the softmax for one image. */
  forward(input: { net: number; pixels: Float32Array }) {
    const n = nets.get(input.net);
    if (!n) throw new Error(`network ${input.net} was not sent to the reference worker`);
    const x: Tensor = { shape: [1, ...n.spec.inputShape], data: input.pixels };
    const { logits, activations } = forward(n.spec, n.params, x);
    return { activations: [...activations], probabilities: softmax(logits).data };
  },
};

export type NetworkJobs = typeof jobs;
serveJobs(jobs);
