/**
 * The photo-channels ONNX graph: the photo as a file stores it, height × width × 3 bytes (NHWC),
 * into the NCHW tensor every engine in ConvBook reads, scaled to [0, 1]:
 *   x = Transpose(hwc, perm [0, 3, 1, 2]) / 255   → [1, 3, H, W]
 */
import { photoGraph } from '../shared/photo-graph';

export const channelsGraph = photoGraph('photo-channels', (b, h, w) => {
  const hwc = b.input('hwc', 'float32', [1, h, w, 3]);
  b.output(b.div(b.transpose(hwc, [0, 3, 1, 2]), b.scalar(255)), 'x');
});
