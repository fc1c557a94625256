/**
 * The counts, checked on ORT: the network's own ONNX graph (emitted by src/onnx through its layer
 * table, parameters as initializers) is extended with a few nodes that ask ORT for what the table
 * shows: the shape of every layer's output, the number of cells of every initializer (the
 * parameters), and each weighted layer's multiply-adds as (output cells) · (weight cells per
 * output channel), all counted by summing ones over ORT's own tensors. ORT
 * runs it on a blank image and the kernel compares its answers with the engine's counts, which
 * are exact integers: the badge reads 0 when they are equal. (They travel as float32, exact up to
 * 2²⁴; the figure's ranges keep every count below that.)
 */
import { zeros } from '../../cnn/index';
import type { NetworkSpec } from '../../cnn/index';
import { emitNetwork, GraphBuilder, networkParams } from '../../onnx/index';
import type { Value } from '../../onnx/index';
import { float32 } from '../../runtime/client';
import type { TwiceRequest } from '../shared/twice';
import type { CostTable } from './counts';

const f32 = (values: readonly number[]) => Float32Array.from(values);

export function countsGraph(spec: NetworkSpec): { bytes: Uint8Array; outputs: string[] } {
  const b = new GraphBuilder();
  const images = b.input('images', 'float32', [1, ...spec.inputShape]);
  const params = new Map<string, Value>();
  const byLayer = new Map<number, { value: Value; rank: number }[]>();
  for (const p of networkParams(spec)) {
    const v = b.initializer(zeros(p.shape).data, p.shape, p.name);
    params.set(p.name, v);
    byLayer.set(p.layer, [...(byLayer.get(p.layer) ?? []), { value: v, rank: p.shape.length }]);
  }
  const layers = emitNetwork(b, spec, images, 1, params, { training: false });
  b.prefix = 'counts';
  const range = (n: number) => Array.from({ length: n }, (_, k) => k);
  // 1 in every cell of v, counted with reductions: Shape and Size would run on the CPU under
  // WebGPU (ORT keeps shape ops there), these stay on the chosen execution provider.
  const ones = (v: Value) => b.add(b.mul(v, b.scalar(0)), b.scalar(1));
  const count = (v: Value, rank: number) => b.reduce('ReduceSum', ones(v), range(rank), false);
  /** Cells per slice along `axis` (the same for every slice): the product of the other dims. */
  const perSlice = (v: Value, rank: number, axis: number) => {
    const others = range(rank).filter((a) => a !== axis);
    return b.reduce('ReduceMax', b.reduce('ReduceSum', ones(v), others, false), [0], false);
  };
  const outputs: string[] = [];
  layers.forEach((layer, i) => {
    const rank = layer.y.shape?.length;
    if (rank === undefined) throw new RangeError(`layer ${i}: its output has no known rank`);
    const total = count(layer.y, rank);
    const dims = range(rank).map((a) => b.reshape(b.div(total, perSlice(layer.y, rank, a)), [1]));
    b.output(b.op('Concat', dims, { axis: 0 }, undefined, [rank]), `shape.${i}`);
    outputs.push(`shape.${i}`);
    const ps = byLayer.get(i);
    if (!ps) return;
    b.output(
      ps.map((p) => count(p.value, p.rank)).reduce((x, y) => b.add(x, y)),
      `params.${i}`,
    );
    // The weight is the layer's first parameter (kernel or weight, then bias): each output cell
    // is one dot product over a slice of it along its first axis.
    const w = ps[0]!;
    b.output(b.mul(total, perSlice(w.value, w.rank, 0)), `macs.${i}`);
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
