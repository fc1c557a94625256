/**
 * The page's side of own-data's reference worker: the explaining batch of one network and one
 * drawing, computed off the main thread (a backward pass of ~100 images takes far longer than a
 * frame).
 */
import { jobClient } from '../shared/jobs';
import type { OwnJobs } from './reference.worker';
import { batchImages, layoutOf } from './state';
import type { BatchLayout, OwnNet } from './state';

const worker = jobClient<OwnJobs>(
  () => new Worker(new URL('./reference.worker.ts', import.meta.url), { type: 'module' }),
);

export interface OwnResult {
  readonly net: OwnNet;
  readonly layout: BatchLayout;
  readonly images: Float32Array;
  readonly logits: Float32Array;
  readonly probs: Float32Array;
  readonly dinput: Float32Array;
  /** The seed on the logits both engines start the backward pass from. */
  readonly seed: Float32Array;
  /** The drawing's predicted class (−1 without a drawing). */
  readonly cls: number;
}

export async function explainBatch(net: OwnNet, drawing?: Float32Array): Promise<OwnResult> {
  const layout = layoutOf(net, drawing !== undefined);
  const images = batchImages(net, drawing, layout);
  const r = await worker.run('explain', {
    spec: net.spec,
    params: net.params,
    images: images.slice(),
    n: layout.total,
    classes: net.classes.length,
    row: layout.drawing,
  });
  return { net, layout, images, ...r };
}
