/**
 * saliency's reference numbers, computed in a worker: a backward pass to the image, the first
 * layer over every test digit and a forward pass per occluded image each take far longer than a
 * frame on the main thread. The page sends each network once (`net`), then asks by its id.
 */
import { forward, softmax } from '../../cnn/index.ts';
import type { NetworkSpec, Params } from '../../cnn/index.ts';
import { keptById, serveJobs } from '../shared/jobs';
import { firstLayerMaxima, inputGradient, SIDE } from './analysis';
import type { Digit } from './analysis';

/** The networks the page has sent; a page holds one or two at a time. */
const nets = keptById<{ spec: NetworkSpec; params: Params }>('network', 2);
const net = (id: number) => nets.get(id);

const jobs = {
  net(input: { id: number; spec: NetworkSpec; params: Params }) {
    return nets.put(input.id, { spec: input.spec, params: input.params });
  },
  explain(input: { net: number; pixels: readonly number[]; cls: number }) {
    const { spec, params } = net(input.net);
    return inputGradient(spec, params, input.pixels, input.cls);
  },
  /** Max of each first-layer map per digit; null when the first layer is not a convolution. */
  first(input: { net: number; digits: readonly Digit[] }) {
    const { spec, params } = net(input.net);
    return spec.layers[0]?.type === 'conv2d' ? firstLayerMaxima(spec, params, input.digits) : null;
  },
  /** Softmax of the logits of every image of an [n · 784] batch: [n · classes]. */
  occlude(input: { net: number; batch: Float32Array }) {
    const { spec, params } = net(input.net);
    const n = input.batch.length / (SIDE * SIDE);
    const { logits } = forward(spec, params, { shape: [n, 1, SIDE, SIDE], data: input.batch });
    return { probs: softmax(logits).data };
  },
};

export type SaliencyJobs = typeof jobs;
serveJobs(jobs);
