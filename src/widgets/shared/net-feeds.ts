/**
 * What a widget that checks a trained network on ORT sends with each run: a session key per
 * network shape (same layers ⇒ same graph, whatever the weights) and the parameters as feeds,
 * converted once per set of weights.
 */
import type { NetworkSpec, Params } from '../../cnn/index.ts';
import { float32 } from '../../runtime/client';
import type { TensorMsg } from '../../runtime/protocol';

/** A short hash (FNV-1a) of the input shape and layers: the part of a session key naming the graph. */
export function specKey(spec: NetworkSpec): string {
  const s = JSON.stringify([spec.inputShape, spec.layers]);
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

interface TensorLike {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** The named tensors of `from` as float32 feeds under the same names. */
export function tensorFeeds<K extends string>(
  from: Readonly<Record<K, TensorLike>>,
  ...names: readonly K[]
): Record<K, TensorMsg> {
  const feeds = {} as Record<K, TensorMsg>;
  for (const name of names) feeds[name] = float32(from[name].shape, from[name].data);
  return feeds;
}

const feedsOf = new WeakMap<Params, Record<string, TensorMsg>>();

/** The parameters as ORT feeds, made once per Params object. */
export function paramFeeds(params: Params): Record<string, TensorMsg> {
  let feeds = feedsOf.get(params);
  if (!feeds) {
    feeds = tensorFeeds(params, ...Object.keys(params));
    feedsOf.set(params, feeds);
  }
  return feeds;
}
