/**
 * The photo-filter ONNX graph, two Conv nodes on the photo, weights as graph inputs (an edit
 * reuses the session):
 *   parts = Conv(x [1,3,H,W], perChannel [3,1,3,3], group 3, pads 1)  each channel's share
 *   y     = Conv(x, kernel [1,3,3,3], bias [1], pads 1)                 the filter's feature map
 */
import { photoGraph } from '../shared/photo-graph';

export const filterGraph = photoGraph('photo-filter', (b, h, w) => {
  const x = b.input('x', 'float32', [1, 3, h, w]);
  const perChannel = b.input('perChannel', 'float32', [3, 1, 3, 3]);
  const kernel = b.input('kernel', 'float32', [1, 3, 3, 3]);
  const bias = b.input('bias', 'float32', [1]);
  const pads = [1, 1, 1, 1];
  b.output(b.conv(x, perChannel, null, { kernelShape: [3, 3], pads, group: 3 }), 'parts');
  b.output(b.conv(x, kernel, bias, { kernelShape: [3, 3], pads }), 'y');
});
