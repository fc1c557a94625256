/**
 * own-data's reference numbers, off the main thread: one backward pass of the whole batch (the
 * held-out examples, the drawing, the drawing once per occluded patch) from a seed on the logits
 * — one-hot at the drawing's predicted class on its row — giving the logits of every image and
 * the gradient to the drawing: the very batch and seed ORT then computes.
 */
import { forward, gradientToInput, softmax } from '../../cnn/index.ts';
import type { NetworkSpec, Params } from '../../cnn/index.ts';
import { serveJobs } from '../shared/jobs';
import { argmax } from '../shared/explain';

const jobs = {
  explain(input: {
    spec: NetworkSpec;
    params: Params;
    images: Float32Array;
    n: number;
    classes: number;
    /** The drawing's row, −1 without one. */
    row: number;
  }) {
    const { spec, params, images, n, classes, row } = input;
    const size = images.length / n;
    let cls = -1;
    if (row >= 0) {
      const one = images.slice(row * size, (row + 1) * size);
      cls = argmax(
        forward(spec, params, { shape: [1, ...spec.inputShape], data: one }).logits.data,
      );
    }
    const seed = new Float32Array(n * classes);
    if (cls >= 0) seed[row * classes + cls] = 1;
    const { dx, logits } = gradientToInput(
      spec,
      params,
      { shape: [n, ...spec.inputShape], data: images },
      { shape: [n, classes], data: seed },
    );
    return { logits: logits.data, probs: softmax(logits).data, dinput: dx.data, seed, cls };
  },
};

export type OwnJobs = typeof jobs;
serveJobs(jobs);
