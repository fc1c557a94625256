/**
 * What each layer costs, counted from the reference engine's own shape inference
 * (`layerShapes`, which walks the layer table): output shape, parameters, multiply-adds and
 * activation memory. Nothing here re-derives a shape: a multiply-add count is the output size
 * times the weights one output element reads, and both come from the engine's records.
 */
import { layerShapes, sizeOf } from '../../cnn/index';
import type { NetworkSpec, ParamRule } from '../../cnn/index';

export interface LayerCost {
  readonly index: number;
  readonly type: string;
  /** One image's output shape (batch dropped). */
  readonly outShape: readonly number[];
  readonly params: number;
  /** Multiply-adds for one image. */
  readonly macs: number;
  /** The output activation of one image as float32. */
  readonly bytes: number;
}

export interface CostTable {
  readonly rows: readonly LayerCost[];
  readonly params: number;
  readonly macs: number;
  readonly bytes: number;
}

const product = (dims: readonly number[]) => dims.reduce((a, d) => a * d, 1);

/**
 * Multiply-adds of a layer with a weight [out, …reads]: every output element is one dot product
 * of `product(reads)` terms (a conv filter's C/group·kh·kw, a dense unit's inputs). Layers
 * without a weight (ReLU, pooling, flatten, add) do no multiply-adds: their comparisons and
 * additions are counted as zero here, and the lesson says so.
 */
export function layerMacs(params: readonly ParamRule[], outShape: readonly number[]): number {
  const w = params.find((p) => p.role === 'kernel' || p.role === 'weight');
  return w ? product(outShape) * product(w.shape.slice(1)) : 0;
}

/** The cost of every layer of `spec` for one image; throws the engine's message if it does not fit. */
export function costTable(spec: NetworkSpec): CostTable {
  const shapes = layerShapes(spec, 1);
  const rows = spec.layers.map((layer, i): LayerCost => {
    const outShape = shapes.outputs[i]!.slice(1);
    const params = shapes.params[i]!.reduce((n, p) => n + product(p.shape), 0);
    return {
      index: i,
      type: layer.type,
      outShape,
      params,
      macs: layerMacs(shapes.params[i]!, outShape),
      bytes: 4 * sizeOf(outShape),
    };
  });
  const sum = (k: 'params' | 'macs' | 'bytes') => rows.reduce((n, r) => n + r[k], 0);
  return { rows, params: sum('params'), macs: sum('macs'), bytes: sum('bytes') };
}

/**
 * Memory a training step keeps for one batch: every layer's output stays until the backward pass
 * has used it (plus the input), against inference, which needs only the largest two at a time.
 */
export function trainingActivationBytes(spec: NetworkSpec, table: CostTable, batch: number) {
  const input = 4 * product(spec.inputShape);
  const largestPair = Math.max(
    ...table.rows.map((r, i) => r.bytes + (i === 0 ? input : table.rows[i - 1]!.bytes)),
  );
  return { training: batch * (table.bytes + input), inference: batch * largestPair };
}
