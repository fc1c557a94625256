/**
 * The shift-match ONNX graph: x and the template t as [1, 784] rows;
 *   score = Gemm(x, t, transB)            → [1, 1]   (Σ x·t)
 *   diff  = Sub(x, t)                     → [1, 784]
 *   msd   = ReduceMean(Mul(diff, diff))   → [1, 1]
 *   dots  = Gemm(x, templates, transB)    → [1, k]   (Σ x·t̂ for each unit-length rival)
 */
import { GraphBuilder } from '../../onnx/index.ts';

export function shiftMatchModel(n: number, k: number): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, n]);
  const t = b.input('t', 'float32', [1, n]);
  const rivals = b.input('templates', 'float32', [k, n]);
  b.output(b.gemm(x, rivals, null, { transB: true }, [1, k]), 'dots');
  b.output(b.gemm(x, t, null, { transB: true }, [1, 1]), 'score');
  const d = b.sub(x, t);
  b.output(d, 'diff');
  b.output(b.reduce('ReduceMean', b.mul(d, d), [1], true, [1, 1]), 'msd');
  return b.toModelBytes({ opset: 17 });
}
