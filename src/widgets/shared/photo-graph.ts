/**
 * The ONNX graph of a photo widget's cross-check, built for one photo size: the `key` and `model`
 * of its request. The key names the widget and the size, so ORT's cached session is reused while
 * only the weights (graph inputs) change, and a photo of another size builds a new graph.
 */
import { GraphBuilder } from '../../onnx/index.ts';
import type { Photo } from './photos';

export interface PhotoGraph {
  readonly key: string;
  readonly model: () => Uint8Array;
}

/** `build` declares the graph's inputs and outputs for a photo h × w (opset 17). */
export function photoGraph(
  name: string,
  build: (b: GraphBuilder, h: number, w: number) => void,
): (photo: Photo) => PhotoGraph {
  return ({ height: h, width: w }) => ({
    key: `${name}:${h}x${w}`,
    model: () => {
      const b = new GraphBuilder();
      build(b, h, w);
      return b.toModelBytes({ opset: 17 });
    },
  });
}
