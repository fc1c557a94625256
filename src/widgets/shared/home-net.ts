/**
 * The home page's trained network (home-net.json, written by scripts/train-home-net.ts, docs/
 * data.md), decoded for any widget that shows what a trained net computes: the whole-network
 * figure on the home page, lesson 6's pooling of its first feature maps.
 */
import { checkParams } from '../../cnn/index.ts';
import type { NetworkSpec, Params } from '../../cnn/index.ts';

/** The asset as the page embeds it. */
export interface HomeAsset {
  readonly spec: NetworkSpec;
  readonly test: { readonly correct: number; readonly count: number; readonly accuracy: number };
  readonly weights: Readonly<
    Record<string, { readonly shape: readonly number[]; readonly base64: string }>
  >;
}

/** The weights as float32 tensors (little-endian base64), checked against the spec. */
export function homeParams(asset: HomeAsset): Params {
  const params: Params = {};
  for (const [name, w] of Object.entries(asset.weights)) {
    const bytes = Uint8Array.from(atob(w.base64), (c) => c.charCodeAt(0));
    params[name] = { shape: [...w.shape], data: new Float32Array(bytes.buffer) };
  }
  checkParams(asset.spec, params, 'home-net.json');
  return params;
}
