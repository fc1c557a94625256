/**
 * Computed twice: ORT runs the check graph (model.ts: both networks' forward and backward passes,
 * one model) on the parameters and batch of each network's last finite step, and must give the
 * loss and every convolution's kernel gradient the reference engine computed at that step: the
 * numbers of the last column of the gradient figure. Both sides are divided by the network's
 * largest value when it is above 1 (model.ts), so the badge's absolute tolerance stays fair.
 */
import { float32 } from '../../runtime/client';
import type { TensorMsg } from '../../runtime/protocol';
import type { TwiceRequest } from '../shared/twice';
import {
  NETS,
  checkModel,
  gradOutput,
  imagesInput,
  labelsInput,
  lossOutput,
  paramInput,
  unitInput,
} from './model';
import { FIXED } from './state';
import type { DeeperState } from './state';
import type { PairRun } from './train';

export function checkRequest(s: DeeperState, r: PairRun): TwiceRequest | undefined {
  const feeds: Record<string, TensorMsg> = {};
  const expected: Record<string, Float32Array> = {};
  const batch = FIXED.batch;
  for (const net of NETS) {
    const last = r[net].last;
    // A network that never took a finite step has nothing to check; its inputs are still fed
    // (zeros), as the graph needs them, but none of its outputs is compared.
    const ok = last.labels.length === batch;
    for (const [name, t] of Object.entries(last.params))
      feeds[paramInput(net, name)] = float32(t.shape, t.data);
    feeds[imagesInput(net)] = float32(
      [batch, 1, 28, 28],
      ok ? last.images : new Float32Array(batch * 784),
    );
    const labels = new Float32Array(batch * 10);
    if (ok) last.labels.forEach((c, k) => (labels[k * 10 + c] = 1));
    feeds[labelsInput(net)] = float32([batch, 10], labels);
    let unit = 1;
    if (ok) {
      unit = Math.max(1, Math.abs(last.loss));
      for (const g of Object.values(last.grads))
        for (const v of g) unit = Math.max(unit, Math.abs(v));
    }
    unit = Math.fround(unit);
    feeds[unitInput(net)] = float32([1], Float32Array.of(unit));
    if (!ok) continue;
    const scaled = (v: ArrayLike<number>) => Float32Array.from(v, (x) => x / unit);
    expected[lossOutput(net)] = scaled([last.loss]);
    for (const [i, g] of Object.entries(last.grads))
      expected[gradOutput(net, Number(i))] = scaled(g);
  }
  if (Object.keys(expected).length === 0) return undefined;
  const { depth, activation, skips } = s.settings;
  return {
    key: `deeper/${depth}/${activation}/${skips ? 'skips' : 'plain'}`,
    model: () => checkModel({ plain: r.plain.spec, skip: r.skip.spec }, batch),
    feeds,
    expected,
  };
}
