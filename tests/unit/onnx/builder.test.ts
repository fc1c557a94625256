import { test, expect } from 'vitest';
import { GraphBuilder } from '../../../src/onnx/builder.ts';
import { runModel } from '../helpers/ort-node.ts';
test('GraphBuilder conv → relu → ReduceMax runs on ORT wasm', async () => {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['N', 1, 3, 3]);
  const w = b.initializer([1, 1, 1, 1], [1, 1, 2, 2], 'w');
  const y = b.conv(x, w, null, {});
  b.output(b.reduce('ReduceMax', b.relu(y), [2, 3], true), 'y');
  const out = await runModel(b.toModelBytes(), {
    x: { shape: [1, 1, 3, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) },
  });
  expect(out.y!.data[0]).toBe(28);
});
