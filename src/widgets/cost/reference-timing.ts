/**
 * Timing the reference engine, as pure functions the worker calls (and the unit tests can too):
 * each layer's forward through its own record in the layer table, at a batch, and the whole
 * network's forward for the throughput sweep. Inputs are filled with fixed values: the engine's
 * loops do the same work whatever the numbers are.
 */
import { forward, initParams, layerName, layerShapes, recordOf, tensor } from '../../cnn/index';
import type { NetworkSpec, Params, Tensor } from '../../cnn/index';
import { median, RUNS, WARMUP } from './timings';

/** A tensor of `shape` holding a fixed, varied pattern in [−0.5, 0.5). */
export function patterned(shape: readonly number[]): Tensor {
  const t = tensor(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = ((i * 7919) % 1000) / 1000 - 0.5;
  return t;
}

/** Median ms of `fn` over RUNS runs after WARMUP (fewer, at least 3, once a second has passed). */
export function timeMs(fn: () => void, budgetMs = 1000): number {
  for (let k = 0; k < WARMUP; k++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < RUNS && (times.length < 3 || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Median ms of layer `i`'s forward on a batch of `batch`, through its record. */
export function timeLayer(spec: NetworkSpec, params: Params, i: number, batch: number): number {
  const layer = spec.layers[i]!;
  const x = patterned(layerShapes(spec, batch).inputs[i]!);
  const ctx = {
    op: layerName(i, layer),
    index: i,
    training: false,
    dropoutSeed: undefined,
    param: (role: string) => params[`${i}.${role}`]!,
    output: () => {
      throw new RangeError(`${layerName(i, layer)} reads an earlier output: not timed alone`);
    },
  };
  return timeMs(() => recordOf(layer).forward(layer, x, ctx));
}

/** Images per second of the whole forward pass at each batch size. */
export function referenceThroughput(
  spec: NetworkSpec,
  params: Params,
  batches: readonly number[],
): { batch: number; imagesPerSecond: number }[] {
  return batches.map((batch) => {
    const x = patterned([batch, ...spec.inputShape]);
    const ms = timeMs(() => forward(spec, params, x));
    return { batch, imagesPerSecond: (1000 * batch) / ms };
  });
}

export const paramsFor = (spec: NetworkSpec): Params => initParams(spec, 1);
