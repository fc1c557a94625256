/**
 * The reference engine's timings run here, off the page's main thread: a layer's forward can take
 * longer than a frame, and a page must not freeze while it is measured.
 */
import type { NetworkSpec } from '../../cnn/index';
import { paramsFor, referenceThroughput, timeLayer } from './reference-timing';

export interface TimingJob {
  readonly spec: NetworkSpec;
  /** Layers to time one by one, at `batch`. */
  readonly layers: readonly number[];
  readonly batch: number;
  /** Batch sizes for the whole forward pass (none to skip). */
  readonly batches: readonly number[];
}

export type TimingReply =
  | {
      readonly ok: true;
      readonly layers: readonly { readonly index: number; readonly ms: number }[];
      readonly throughput: readonly { readonly batch: number; readonly imagesPerSecond: number }[];
    }
  | { readonly ok: false; readonly message: string };

self.onmessage = (event: MessageEvent<TimingJob>) => {
  const { spec, layers, batch, batches } = event.data;
  let reply: TimingReply;
  try {
    const params = paramsFor(spec);
    reply = {
      ok: true,
      layers: layers.map((index) => ({ index, ms: timeLayer(spec, params, index, batch) })),
      throughput: referenceThroughput(spec, params, batches),
    };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
