/**
 * The cross-check of a run: every recorded reference op becomes one node of a single ONNX graph
 * (its own inputs, its own output `y<i>`), which the page's engine worker runs on ORT through
 * TwiceRunner, the widgets' check. Same ops and shapes ⇒ same key ⇒ the session is reused.
 */
import { GraphBuilder, emitOp, opInputNames } from '../../onnx/index.ts';
import { float32 } from '../../runtime/client';
import type { TensorMsg } from '../../runtime/protocol';
import type { TwiceRequest } from '../shared/twice';
import type { RecordedOp } from './protocol';

function hash(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 33) ^ text.charCodeAt(i)) >>> 0;
  return h.toString(36);
}

export function opsSignature(ops: readonly RecordedOp[]): string {
  return JSON.stringify(ops.map((o) => [o.op, o.attrs, o.inputs.map((t) => t.shape)]));
}

export function checkRequest(cell: string, ops: readonly RecordedOp[]): TwiceRequest {
  const signature = opsSignature(ops);
  const feeds: Record<string, TensorMsg> = {};
  const expected: Record<string, Float32Array> = {};
  ops.forEach((o, i) => {
    opInputNames(o.op, o.inputs.length).forEach((name, k) => {
      feeds[`o${i}_${name}`] = float32(o.inputs[k]!.shape, o.inputs[k]!.data);
    });
    expected[`y${i}`] = o.output.data;
  });
  return {
    key: `cell/${cell}/${hash(signature)}-${signature.length}`,
    model: () => {
      const b = new GraphBuilder();
      ops.forEach((o, i) => {
        const shapes = o.inputs.map((t) => t.shape);
        const inputs = opInputNames(o.op, o.inputs.length).map((name, k) =>
          b.input(`o${i}_${name}`, 'float32', shapes[k]!),
        );
        b.output(emitOp(b, o.op, o.attrs, inputs, shapes), `y${i}`);
      });
      return b.toModelBytes({ opset: 17, graphName: 'cell' });
    },
    feeds,
    expected,
  };
}
