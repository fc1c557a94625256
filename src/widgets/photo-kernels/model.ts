/**
 * The photo-kernels ONNX graph, two Conv nodes: a 1×1 convolution over the three colour channels
 * (the gray weights: one filter spanning all of R, G, B) and the 3×3 kernel with one ring of
 * zero padding, so the feature map keeps the photo's size. The weights are graph inputs, so a new
 * preset reuses the session.
 *   gray = Conv(x [1,3,H,W], toGray [1,3,1,1])
 *   y    = Conv(gray, kernel [1,1,3,3], pads 1)
 */
import { photoGraph } from '../shared/photo-graph';

export const kernelsGraph = photoGraph('photo-kernels', (b, h, w) => {
  const x = b.input('x', 'float32', [1, 3, h, w]);
  const toGray = b.input('toGray', 'float32', [1, 3, 1, 1]);
  const k = b.input('kernel', 'float32', [1, 1, 3, 3]);
  const gray = b.conv(x, toGray, null, { kernelShape: [1, 1] });
  b.output(gray, 'gray');
  b.output(b.conv(gray, k, null, { kernelShape: [3, 3], pads: [1, 1, 1, 1] }), 'y');
});
