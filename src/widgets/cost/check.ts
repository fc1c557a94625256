/**
 * The counts, checked on ORT: the network's own ONNX graph (emitted by src/onnx through its layer
 * table, parameters as initializers) is extended with a few nodes that ask ORT for what the table
 * shows: `Shape` of every layer's output, `Size` of every initializer (the parameters), and each
 * weighted layer's multiply-adds as Size(output) · Size(weight) / (weight's first dimension). ORT
 * runs it on a blank image and the kernel compares its answers with the engine's counts, which
 * are exact integers: the badge reads 0 when they are equal. (They travel as float32, exact up to
 * 2²⁴; the figure's ranges keep every count below that.)
 */
import { zeros, type NetworkSpec } from '../../cnn/index';
import { emitNetwork, GraphBuilder, networkParams, type Value } from '../../onnx/index';
import { float32 } from '../../runtime/client';
import type { TwiceRequest } from '../shared/twice';
import type { CostTable } from './counts';

const f32 = (values: readonly number[]) => Float32Array.from(values);

export function countsGraph(spec: NetworkSpec): { bytes: Uint8Array; outputs: string[] } {
  const b = new GraphBuilder();
  const images = b.input('images', 'float32', [1, ...spec.inputShape]);
  const params = new Map<string, Value>();
  const byLayer = new Map<number, Value[]>();
  for (const p of networkParams(spec)) {
    const v = b.initializer(zeros(p.shape).data, p.shape, p.name);
    params.set(p.name, v);
    byLayer.set(p.layer, [...(byLayer.get(p.layer) ?? []), v]);
  }
  const layers = emitNetwork(b, spec, images, 1, params, { training: false });
  b.prefix = 'counts';
  const size = (v: Value) => b.cast(b.op('Size', [v], {}, 'int64', []), 'float32');
  const outputs: string[] = [];
  layers.forEach((layer, i) => {
    b.output(b.cast(b.op('Shape', [layer.y], {}, 'int64'), 'float32'), `shape.${i}`);
    outputs.push(`shape.${i}`);
    const ps = byLayer.get(i);
    if (!ps) return;
    const total = ps.map(size).reduce((a, v) => b.add(a, v));
    b.output(total, `params.${i}`);
    // The weight is the layer's first parameter (kernel or weight, then bias).
    const w = ps[0]!;
    const first = b.cast(b.slice(b.op('Shape', [w], {}, 'int64'), [0], [1], [0]), 'float32');
    b.output(b.div(b.mul(size(layer.y), size(w)), first), `macs.${i}`);
    outputs.push(`params.${i}`, `macs.${i}`);
  });
  return { bytes: b.toModelBytes({ opset: 17, graphName: `${spec.name}-counts` }), outputs };
}

/** The engine's counts, named as the counts graph's outputs. */
export function expectedCounts(spec: NetworkSpec, table: CostTable): Record<string, Float32Array> {
  const withParams = new Set(networkParams(spec).map((p) => p.layer));
  const out: Record<string, Float32Array> = {};
  for (const r of table.rows) {
    out[`shape.${r.index}`] = f32([1, ...r.outShape]);
    if (!withParams.has(r.index)) continue;
    out[`params.${r.index}`] = f32([r.params]);
    out[`macs.${r.index}`] = f32([r.macs]);
  }
  return out;
}

export function countsCheck(spec: NetworkSpec, key: string, table: CostTable): TwiceRequest {
  return {
    key: `cost-counts:${key}`,
    model: () => countsGraph(spec).bytes,
    feeds: { images: float32([1, ...spec.inputShape], zeros([1, ...spec.inputShape]).data) },
    expected: expectedCounts(spec, table),
  };
}
