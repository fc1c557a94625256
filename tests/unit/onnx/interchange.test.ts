import { describe, expect, test } from 'vitest';
import {
  forward,
  initParams,
  mnistLargeNet,
  mnistTutorialNet,
  residualNet,
  tinyNet,
} from '../../../src/cnn/index.ts';
import type { NetworkSpec } from '../../../src/cnn/index.ts';
import { GraphBuilder } from '../../../src/onnx/builder.ts';
import { exportInferenceModel, importInferenceModel } from '../../../src/onnx/interchange.ts';
import { OnnxModelError, parseModel } from '../../../src/onnx/parse.ts';
import { maxRelDiff } from '../helpers/close.ts';
import { runModel } from '../helpers/ort-node.ts';
import { blankBackgroundImages } from './nets.ts';

describe('exportInferenceModel(spec, params) → importInferenceModel(bytes)', () => {
  const nets: NetworkSpec[] = [mnistTutorialNet, tinyNet, mnistLargeNet, residualNet];
  test.each(nets.map((n) => [n.name, n] as const))(
    '%s round trip gives the same predictions',
    async (_n, spec) => {
      const params = initParams(spec, 21);
      const bytes = exportInferenceModel(spec, params);
      const x = blankBackgroundImages(4, spec.inputShape, 8);
      const exported = await runModel(bytes, { images: x });
      const ref = forward(spec, params, x);
      expect(maxRelDiff(exported['logits']!.data, ref.logits.data)).toBeLessThan(1e-4);
      expect(exported['probabilities']!.shape).toEqual([4, 10]);

      const back = importInferenceModel(bytes, spec.name);
      // Dropout is the identity at inference and leaves no node, so it does not come back.
      expect(back.spec.layers.length).toBe(spec.layers.filter((l) => l.type !== 'dropout').length);
      const again = forward(back.spec, back.params, x);
      expect(maxRelDiff(again.logits.data, ref.logits.data)).toBeLessThan(1e-6);
      const reexported = await runModel(exportInferenceModel(back.spec, back.params), {
        images: x,
      });
      expect(maxRelDiff(reexported['logits']!.data, exported['logits']!.data)).toBeLessThan(1e-6);
    },
  );

  test('importInferenceModel reads MatMul + Add and Reshape [0, -1] as dense and flatten', () => {
    const b = new GraphBuilder();
    const x = b.input('pixels', 'float32', ['N', 1, 2, 2]);
    const flat = b.reshape(x, [0, -1]);
    const w = b.initializer([1, 2, 3, 4, 5, 6, 7, 8], [4, 2], 'w'); // [in, units]
    const y = b.add(b.matMul(flat, w), b.initializer([0.5, -0.5], [2], 'b'));
    b.output(y, 'out');
    const { spec, params } = importInferenceModel(b.toModelBytes());
    expect(spec.layers).toEqual([{ type: 'flatten' }, { type: 'dense', units: 2 }]);
    expect(Array.from(params['1.weight']!.data)).toEqual([1, 3, 5, 7, 2, 4, 6, 8]); // [units, in]
    expect(Array.from(params['1.bias']!.data)).toEqual([0.5, -0.5]);
  });
});

describe('parseModel(bytes)', () => {
  const bytes = exportInferenceModel(mnistTutorialNet, initParams(mnistTutorialNet, 1));

  test('describes inputs, outputs, nodes and initializers', () => {
    const d = parseModel(bytes);
    expect(d.inputs).toEqual([{ name: 'images', dtype: 'float32', shape: ['N', 1, 28, 28] }]);
    expect(d.outputs.map((o) => o.name)).toEqual(['logits', 'probabilities']);
    expect(d.nodes.map((n) => n.opType)).toEqual([
      'Conv',
      'Relu',
      'MaxPool',
      'Conv',
      'Relu',
      'MaxPool',
      'Flatten',
      'Gemm',
      'Softmax',
    ]);
    expect(d.nodes[0]!.attributes['kernel_shape']).toEqual([5, 5]);
    expect(d.initializers.find((i) => i.name === '0.kernel')?.shape).toEqual([8, 1, 5, 5]);
    expect(d.opsets).toEqual([{ domain: '', version: 17 }]);
  });

  test('a corrupt byte array: "not an ONNX model (protobuf decode failed at byte …)"', () => {
    const corrupt = bytes.slice(0, Math.floor(bytes.length / 2)); // a download cut short
    expect(() => parseModel(corrupt)).toThrow(OnnxModelError);
    expect(() => parseModel(corrupt)).toThrow(
      /^not an ONNX model \(protobuf decode failed at byte \d+: /,
    );
    expect(() => parseModel(Uint8Array.from([0xff, 0xff, 0xff, 0xff]))).toThrow(
      /not an ONNX model \(protobuf decode failed at byte/,
    );
    expect(() => parseModel(new Uint8Array(0))).toThrow('not an ONNX model (the file is empty)');
  });

  test('bytes that decode but hold no graph: "not an ONNX model"', () => {
    const text = new TextEncoder().encode('hello');
    expect(() => parseModel(text)).toThrow(/^not an ONNX model/);
  });

  test('an unsupported op: "uses op X which ConvBook cannot show"', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 2, 4, 4]);
    const one = b.initializer([1, 1], [2]);
    const zero = b.initializer([0, 0], [2]);
    b.output(b.op('BatchNormalization', [x, one, zero, zero, one]), 'y');
    const model = b.toModelBytes();
    expect(() => parseModel(model)).toThrow(
      'uses op BatchNormalization which ConvBook cannot show',
    );
    expect(() => importInferenceModel(model)).toThrow(OnnxModelError);
    expect(parseModel(model, { requireShowable: false }).nodes[0]!.opType).toBe(
      'BatchNormalization',
    );
  });

  test('shape problems are named: a non-image input, an initializer of the wrong size', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['N', 'C', 28, 28]);
    b.output(b.relu(x), 'y');
    expect(() => importInferenceModel(b.toModelBytes())).toThrow(
      'input x has shape [N, C, 28, 28]; ConvBook needs [N, C, H, W] with known C, H and W',
    );
    const proto = new GraphBuilder();
    const y = proto.input('x', 'float32', [1, 4]);
    proto.output(proto.add(y, proto.initializer([1, 2, 3, 4], [4], 'w')), 'y');
    const m = proto.toModelProto();
    m.graph!.initializer![0]!.dims = [5];
    const broken = parseModelBytes(m);
    expect(() => parseModel(broken)).toThrow(
      'initializer w declares shape [5] (5 values) but holds 4',
    );
  });
});

function parseModelBytes(m: ReturnType<GraphBuilder['toModelProto']>): Uint8Array {
  return (m.constructor as unknown as { encode(x: unknown): { finish(): Uint8Array } })
    .encode(m)
    .finish();
}

describe('importInferenceModel with exporter habits', () => {
  test('a Reshape whose shape comes from a Constant node (as torch.onnx.export writes it)', () => {
    const b = new GraphBuilder();
    const x = b.input('input', 'float32', [1, 1, 2, 2]);
    const [target] = b.node('Constant', [], {}, 1, ['int64']);
    const flat = b.op('Reshape', [x, target!]);
    const y = b.gemm(flat, b.initializer([1, 0, 0, 1, 1, 1, 1, 1], [2, 4], 'fc.weight'), null, {
      transB: true,
    });
    b.output(y, 'output');
    const m = b.toModelProto();
    // Give the Constant node its tensor value [1, -1] (GraphBuilder has no tensor attributes).
    const constant = m.graph!.node!.find((n) => n.opType === 'Constant')!;
    constant.attribute = [
      {
        name: 'value',
        type: 4,
        t: {
          dims: [2],
          dataType: 7,
          rawData: new Uint8Array(BigInt64Array.from([1n, -1n]).buffer),
        },
      },
    ];
    const { spec, params } = importInferenceModel(parseModelBytes(m));
    expect(spec.layers).toEqual([{ type: 'flatten' }, { type: 'dense', units: 2, bias: false }]);
    expect(params['1.weight']!.shape).toEqual([2, 4]);
  });
});
