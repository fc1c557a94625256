import { describe, expect, test } from 'vitest';
import { GraphBuilder, float } from '../../../src/onnx/builder.ts';
import { parseModel } from '../../../src/onnx/parse.ts';
import { runModel } from '../helpers/ort-node.ts';

const x3 = { shape: [1, 1, 3, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) };

describe('GraphBuilder', () => {
  test('conv → relu → ReduceMax runs on ORT wasm (opset 17: ReduceMax axes as attribute)', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['N', 1, 3, 3]);
    const w = b.initializer([1, 1, 1, 1], [1, 1, 2, 2], 'w');
    const y = b.conv(x, w, null, {});
    b.output(b.reduce('ReduceMax', b.relu(y), [2, 3], true), 'y');
    const out = await runModel(b.toModelBytes(), { x: x3 });
    expect(out['y']!.data[0]).toBe(28); // 5 + 6 + 8 + 9
  });

  test('toModelBytes({ opset: 18 }) moves reduction axes to an input', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 1, 3, 3]);
    b.output(b.reduce('ReduceMax', x, [2, 3], false), 'y');
    const bytes = b.toModelBytes({ opset: 18 });
    const node = parseModel(bytes, { requireShowable: false }).nodes[0]!;
    expect(node.inputs).toHaveLength(2);
    expect(node.attributes['axes']).toBeUndefined();
    expect((await runModel(bytes, { x: x3 }))['y']!.data[0]).toBe(9);
  });

  test('nodes no output depends on are dropped; equal constants are shared', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    b.exp(x); // unused
    const a = b.mul(x, b.scalar(2));
    const c = b.add(a, b.scalar(2));
    b.output(c, 'y');
    const d = parseModel(b.toModelBytes(), { requireShowable: false });
    expect(d.nodes.map((n) => n.opType)).toEqual(['Mul', 'Add']);
    expect(d.initializers).toHaveLength(1);
  });

  test('output(value) of an already named value goes through an Identity', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 1, 3, 3]);
    b.output(x, 'same');
    const r = b.leakyRelu(x, 0.5);
    b.output(r, 'a');
    b.output(r, 'b');
    const d = parseModel(b.toModelBytes());
    expect(d.nodes.map((n) => n.opType)).toEqual(['Identity', 'LeakyRelu', 'Identity']);
    const out = await runModel(b.toModelBytes(), { x: x3 });
    expect(Array.from(out['b']!.data)).toEqual(Array.from(out['a']!.data));
  });

  test('errors: a taken name, a non-integer int attribute, a wrong initializer size', () => {
    const b = new GraphBuilder();
    b.input('x', 'float32', [1]);
    expect(() => b.input('x', 'float32', [1])).toThrow('the name "x" is already used');
    expect(() => b.initializer([1, 2, 3], [2], 'w')).toThrow(
      'initializer w has 3 values, dims [2] hold 2',
    );
    const y = b.op('LeakyRelu', [b.input('z', 'float32', [1])], { alpha: 0.5 });
    b.output(y, 'y');
    expect(() => b.toModelBytes()).toThrow(
      'attribute alpha: 0.5 is not an integer; wrap floats in float()',
    );
    const ok = new GraphBuilder();
    ok.output(ok.op('LeakyRelu', [ok.input('z', 'float32', [1])], { alpha: float(0.5) }), 'y');
    expect(parseModel(ok.toModelBytes()).nodes[0]!.attributes['alpha']).toBe(0.5);
  });
});
