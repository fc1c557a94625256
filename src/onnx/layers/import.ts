/**
 * Reading a node's attributes for the layer importers, with errors that name the node.
 * ONNX attribute names as in the spec (kernel_shape, strides, pads, dilations, auto_pad, group).
 */
import type { Padding, Pair, Tensor } from '../../cnn/index.ts';
import { OnnxModelError } from '../errors.ts';
import type { AttributeValue, InitializerDescription, NodeDescription } from '../description.ts';

/** "conv1 (Conv)", or "Conv" for an unnamed node. */
export function describe(node: NodeDescription): string {
  return node.name === '' ? node.opType : `${node.name} (${node.opType})`;
}

export function fail(node: NodeDescription, what: string): never {
  throw new OnnxModelError(`node ${describe(node)}: ${what}`);
}

export function int(node: NodeDescription, key: string, fallback: number): number {
  const v = node.attributes[key];
  return typeof v === 'number' ? v : fallback;
}

/** A float attribute (alpha, beta of Gemm), 1 when absent. */
export function attrFloat(node: NodeDescription, key: string): number {
  const v = node.attributes[key];
  return typeof v === 'number' ? v : 1;
}

export function ints(node: NodeDescription, key: string): readonly number[] | undefined {
  const v: AttributeValue | undefined = node.attributes[key];
  return Array.isArray(v) ? (v as readonly number[]) : undefined;
}

export function pair(node: NodeDescription, key: string): Pair | undefined {
  const v = ints(node, key);
  if (v === undefined) return undefined;
  if (v.length !== 2) fail(node, `${key} must have 2 values, got [${v.join(', ')}]`);
  return [v[0]!, v[1]!];
}

/** auto_pad SAME_UPPER / VALID, or explicit pads (ONNX [top, left, bottom, right] is ours). */
export function pads(node: NodeDescription): Padding | undefined {
  const auto = node.attributes['auto_pad'];
  if (auto === 'SAME_UPPER') return 'same';
  if (auto === 'VALID') return 'valid';
  if (auto !== undefined && auto !== 'NOTSET') {
    fail(
      node,
      `auto_pad ${String(auto)} cannot be represented (only SAME_UPPER, VALID or explicit pads)`,
    );
  }
  const p = ints(node, 'pads');
  if (p === undefined) return undefined;
  if (p.length !== 4) fail(node, `pads must have 4 values, got [${p.join(', ')}]`);
  return [p[0]!, p[1]!, p[2]!, p[3]!];
}

/** An initializer's values as a tensor (copied). */
export function tensorOf(init: InitializerDescription, shape = init.shape): Tensor {
  return { shape: [...shape], data: Float32Array.from(init.values as Float32Array) };
}

export function transpose2d(init: InitializerDescription): Tensor {
  const [rows, cols] = init.shape as [number, number];
  const v = init.values as Float32Array;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = v[r * cols + c]!;
  return { shape: [cols, rows], data: out };
}
