/** The self-check's ONNX model: one Conv node with the case's attributes; weights as inputs. */
import { GraphBuilder } from '../../onnx/index.ts';
import type { SelfTestCase } from './state';

export function selfTestModel(c: SelfTestCase): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', c.x.shape);
  const w = b.input('kernel', 'float32', c.kernel.shape);
  const bias = b.input('bias', 'float32', c.bias.shape);
  const y = b.conv(x, w, bias, {
    kernelShape: [c.kernel.shape[2], c.kernel.shape[3]],
    strides: [...c.strides],
    pads: [...c.pads],
    dilations: [...c.dilations],
  });
  b.output(y, 'featureMap');
  return b.toModelBytes({ opset: 17 });
}
