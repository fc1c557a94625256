/** The channels widget's ONNX graph: one Conv (pads 1, group 1 or C) with input, kernel, bias as inputs. */
import { GraphBuilder } from '../../onnx/index.ts';
import { attrs } from './filters';
import type { ChannelsResult, Mode } from './filters';

export function channelsModel(mode: Mode, r: ChannelsResult): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', r.x.shape);
  const w = b.input('kernel', 'float32', r.kernel.shape);
  const bias = b.input('bias', 'float32', r.bias.shape);
  const y = b.conv(x, w, bias, {
    kernelShape: [3, 3],
    strides: [1, 1],
    pads: [1, 1, 1, 1],
    dilations: [1, 1],
    group: attrs(mode).group,
  });
  b.output(y, 'y');
  return b.toModelBytes({ opset: 17 });
}
