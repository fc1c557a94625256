/**
 * The cross-check of a run: every recorded reference op becomes one node of a single ONNX graph
 * (its own inputs, its own output `y<i>`), which the page's engine worker runs on ORT through
 * TwiceRunner, the widgets' check. Same ops and shapes ⇒ same key ⇒ the session is reused.
 */
import { poolGeometry } from '../../cnn/index.ts';
import type { Conv2dSpec, LayerSpec, Pool2dAttributes } from '../../cnn/index.ts';
import {
  DEFAULT_FORMULATIONS,
  GraphBuilder,
  emitNetwork,
  emitOp,
  networkParams,
  onnxRecordOf,
  opInputNames,
} from '../../onnx/index.ts';
import type { Value } from '../../onnx/index.ts';
import { float32 } from '../../runtime/client';
import type { TensorMsg } from '../../runtime/protocol';
import type { TwiceRequest } from '../shared/twice';
import type { Recorded, RecordedNet, RecordedOp, TensorData } from './protocol';

function hash(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 33) ^ text.charCodeAt(i)) >>> 0;
  return h.toString(36);
}

/** The layer whose training emitter writes a recorded backward (relu, maxPool2d). */
function layerOf(o: RecordedOp): LayerSpec {
  if (o.op === 'relu') return { type: 'relu' };
  if (o.op === 'conv2d') {
    const [filters, , kh, kw] = o.inputs[2]!.shape as [number, number, number, number];
    const { strides, pads } = o.attrs as Pick<Conv2dSpec, 'strides' | 'pads'>;
    return { type: 'conv2d', filters, kernelShape: [kh, kw], strides, pads, bias: false };
  }
  if (o.op === 'maxPool2d') {
    const { kernelShape, strides } = o.attrs as {
      kernelShape: [number, number];
      strides?: [number, number];
    };
    return { type: 'maxPool2d', kernelShape, strides };
  }
  throw new RangeError(`the ORT check has no backward for ${o.op}`);
}

/** dx of a recorded backward: the layer's forward then backward, as the lab's graphs emit it. */
function emitBackwardOp(b: GraphBuilder, o: RecordedOp, [x, dy, kernel]: Value[]): Value {
  const [n, ...shape] = o.inputs[0]!.shape;
  const layer = layerOf(o);
  const emitted = onnxRecordOf(layer).emit(
    { b, x, batch: n!, shape, training: true, formulations: DEFAULT_FORMULATIONS },
    layer,
    {
      index: 0,
      param: (role) => {
        if (role === 'kernel' && kernel) return kernel;
        throw new RangeError(`the ORT check of ${o.op}'s backward has no ${role}`);
      },
      output: () => x,
      mask: null,
    },
  );
  return emitted.backward(dy!, true).dx!;
}

/**
 * Why a run's check must go to the wasm EP, or undefined: max pooling's backward with windows
 * that overlap or leave gaps reads MaxPool's second output, Indices, which ORT's WebGPU EP
 * does not give (the tiling case uses strided slices and runs anywhere).
 */
export function wasmOnlyReason(ops: readonly Recorded[]): string | undefined {
  const needsIndices = ops.some((o) => {
    if (o.op !== 'maxPool2d' || !o.backward) return false;
    const g = poolGeometry('maxPool2d', o.inputs[0]!.shape, o.attrs as Pool2dAttributes);
    return !(
      g.kernelHeight === g.strideHeight &&
      g.kernelWidth === g.strideWidth &&
      g.pads.every((p) => p === 0)
    );
  });
  return needsIndices
    ? 'checked on WebAssembly: max pooling’s backward for these windows needs MaxPool’s Indices output, which the WebGPU backend does not give'
    : undefined;
}

export function opsSignature(ops: readonly Recorded[]): string {
  return JSON.stringify(
    ops.map((o) =>
      o.op === 'network'
        ? [o.op, o.spec, o.inputs[0]!.shape]
        : [o.op, o.attrs, o.inputs.map((t) => t.shape), o.backward ?? false],
    ),
  );
}

/** A recorded network's logits: src/onnx's forward pass, the weights as graph inputs. */
function emitNet(b: GraphBuilder, o: RecordedNet, i: number): Value {
  const [n] = o.inputs[0]!.shape;
  const images = b.input(`o${i}_images`, 'float32', o.inputs[0]!.shape);
  const params = new Map(
    networkParams(o.spec).map((p) => [p.name, b.input(`o${i}_${p.name}`, 'float32', p.shape)]),
  );
  const layers = emitNetwork(b, o.spec, images, n!, params, { training: false });
  b.prefix = '';
  return layers[layers.length - 1]!.y;
}

/** Each graph input of a recorded call: its name and values. */
function feedsOf(o: Recorded): [string, TensorData][] {
  if (o.op === 'network') {
    const params = networkParams(o.spec).map((p): [string, TensorData] => {
      const t = o.params[p.name];
      if (!t) throw new RangeError(`predict: the weights have no ${p.name}`);
      return [p.name, t];
    });
    return [['images', o.inputs[0]!], ...params];
  }
  const names = o.backward
    ? ['x', 'dy', 'kernel'].slice(0, o.inputs.length)
    : opInputNames(o.op, o.inputs.length);
  return names.map((name, k) => [name, o.inputs[k]!]);
}

export function checkRequest(cell: string, ops: readonly Recorded[]): TwiceRequest {
  const signature = opsSignature(ops);
  const feeds: Record<string, TensorMsg> = {};
  const expected: Record<string, Float32Array> = {};
  ops.forEach((o, i) => {
    for (const [name, t] of feedsOf(o)) feeds[`o${i}_${name}`] = float32(t.shape, t.data);
    expected[`y${i}`] = o.output.data;
  });
  return {
    key: `cell/${cell}/${hash(signature)}-${signature.length}`,
    model: () => {
      const b = new GraphBuilder();
      ops.forEach((o, i) => {
        if (o.op === 'network') {
          b.output(emitNet(b, o, i), `y${i}`);
          return;
        }
        const shapes = o.inputs.map((t) => t.shape);
        const inputs = feedsOf(o).map(([name], k) =>
          b.input(`o${i}_${name}`, 'float32', shapes[k]!),
        );
        const y = o.backward
          ? emitBackwardOp(b, o, inputs)
          : emitOp(b, o.op, o.attrs, inputs, shapes);
        b.output(y, `y${i}`);
      });
      return b.toModelBytes({ opset: 17, graphName: 'cell' });
    },
    feeds,
    expected,
    wasmOnly: wasmOnlyReason(ops),
  };
}
