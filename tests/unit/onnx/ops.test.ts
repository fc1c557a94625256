import { describe, expect, test } from 'vitest';
import { buildOpModel } from '../../../src/onnx/single-op.ts';
import { maxRelDiff } from '../helpers/close.ts';
import { runModel } from '../helpers/ort-node.ts';
import type { Feed } from '../helpers/ort-node.ts';
import { opCases } from './cases.ts';
import { referenceOp } from './reference-ops.ts';

/** Tolerance of the wasm EP against float64 hand computation and against the reference engine. */
const WASM_TOLERANCE = 1e-4;

describe('buildOpModel(op, attributes, shapes) on ORT wasm', () => {
  test.each(opCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const model = buildOpModel(
      c.op,
      c.attributes,
      c.inputs.map((i) => i.shape),
    );
    const feeds: Record<string, Feed> = {};
    model.inputNames.forEach((n, k) => {
      feeds[n] = { shape: c.inputs[k]!.shape, data: Float32Array.from(c.inputs[k]!.data) };
    });
    const y = (await runModel(model.bytes, feeds))[model.outputName]!;
    const ref = referenceOp(c);
    expect(y.shape).toEqual(ref.shape);
    expect(maxRelDiff(y.data, ref.data)).toBeLessThan(WASM_TOLERANCE);
    if (c.expected !== undefined) {
      expect(y.shape).toEqual(c.expected.shape);
      expect(maxRelDiff(y.data, c.expected.data)).toBeLessThan(WASM_TOLERANCE);
    }
  });
});
