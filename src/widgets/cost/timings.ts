/**
 * What is measured, as plain data shared by the page, the reference-engine worker and the tests:
 * the per-layer single-op graphs ORT times, the batch sizes of the throughput sweep, the two
 * comparisons (a dense layer against a convolution on a photo; depthwise separable against
 * standard), and the median that turns repeated runs into one time.
 */
import { layerShapes } from '../../cnn/index';
import type { LayerSpec, NetworkSpec } from '../../cnn/index';
import type { OpAttributes, OpName } from '../../onnx/index';

/** Per-layer times are taken at this batch: one image runs too fast to time a small layer. */
export const LAYER_BATCH = 16;
/** The throughput sweep; the reference engine stops earlier (it is far slower). */
export const ORT_BATCHES = [1, 4, 16, 64, 256] as const;
export const REFERENCE_BATCHES = [1, 4, 16, 64] as const;
/** Timed runs per measurement, after warm-up runs that are not counted. */
export const RUNS = 5;
export const WARMUP = 2;

export interface LayerTime {
  readonly index: number;
  /** Median ms for a batch of LAYER_BATCH; null where that engine has no single-layer run. */
  readonly referenceMs: number | null;
  readonly ortMs: number | null;
}

export interface ThroughputPoint {
  readonly engine: 'reference' | 'ort';
  readonly batch: number;
  readonly imagesPerSecond: number;
}

export interface NetTimings {
  /** The ORT backend the ORT columns ran on, or null when the reader chose the reference only. */
  readonly backend: 'webgpu' | 'wasm' | null;
  readonly layers: readonly LayerTime[];
  readonly throughput: readonly ThroughputPoint[];
}

export interface CompareCase {
  readonly id: 'dense-photo' | 'conv-photo' | 'standard' | 'separable';
  readonly label: string;
  readonly spec: NetworkSpec;
}

/** A small photo: 224 × 224 RGB, the size ImageNet classifiers read. */
export const PHOTO: readonly [number, number, number] = [3, 224, 224];
/** A MobileNet-sized middle layer: 32 channels of 56 × 56 in, 64 out. */
export const MIDDLE: readonly [number, number, number] = [32, 56, 56];

export const COMPARE_CASES: readonly CompareCase[] = [
  {
    id: 'dense-photo',
    label: 'Dense layer, 16 units, on the photo',
    spec: {
      name: 'densePhoto',
      inputShape: PHOTO,
      layers: [{ type: 'flatten' }, { type: 'dense', units: 16 }],
    },
  },
  {
    id: 'conv-photo',
    label: 'Convolution, 16 filters 3×3, on the photo',
    spec: {
      name: 'convPhoto',
      inputShape: PHOTO,
      layers: [{ type: 'conv2d', filters: 16, kernelShape: [3, 3], pads: 'same' }],
    },
  },
  {
    id: 'standard',
    label: 'Standard 3×3 convolution, 32 → 64 channels',
    spec: {
      name: 'standardConv',
      inputShape: MIDDLE,
      layers: [{ type: 'conv2d', filters: 64, kernelShape: [3, 3], pads: 'same' }],
    },
  },
  {
    id: 'separable',
    label: 'Depthwise 3×3 (group 32) then 1×1, 32 → 64 channels',
    spec: {
      name: 'separableConv',
      inputShape: MIDDLE,
      layers: [
        { type: 'conv2d', filters: 32, kernelShape: [3, 3], pads: 'same', group: 32 },
        { type: 'conv2d', filters: 64, kernelShape: [1, 1] },
      ],
    },
  },
];

export interface CompareTimings {
  readonly backend: 'webgpu' | 'wasm' | null;
  /** Median ms for one image, summed over the case's timed layers. */
  readonly cases: readonly {
    readonly id: CompareCase['id'];
    readonly referenceMs: number;
    readonly ortMs: number | null;
  }[];
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One layer as a single-op graph (src/onnx single-op builder): the op, attributes, input shapes. */
export interface SingleOp {
  readonly op: OpName;
  readonly attributes: OpAttributes;
  readonly inputShapes: readonly (readonly number[])[];
}

function opOf(layer: LayerSpec): { op: OpName; attributes: OpAttributes } | undefined {
  switch (layer.type) {
    case 'conv2d': {
      const { kernelShape, strides, pads, dilations, group } = layer;
      return { op: 'conv2d', attributes: { kernelShape, strides, pads, dilations, group } };
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const { kernelShape, pads } = layer;
      const strides = layer.strides ?? kernelShape;
      const countIncludePad = layer.type === 'avgPool2d' ? layer.countIncludePad : undefined;
      return { op: layer.type, attributes: { kernelShape, strides, pads, countIncludePad } };
    }
    case 'relu':
    case 'sigmoid':
    case 'tanh':
      return { op: layer.type, attributes: {} };
    case 'leakyRelu':
      return { op: 'leakyRelu', attributes: { alpha: layer.alpha ?? 0.01 } };
    case 'dense':
      return { op: 'linear', attributes: {} };
    // A reshape, the identity at inference and the residual add: no single-op graph, no work
    // worth timing beside the others.
    case 'flatten':
    case 'dropout':
    case 'add':
      return undefined;
  }
}

/** Layer i of `spec` as a single-op graph at `batch`, or undefined when it has none. */
export function singleOp(spec: NetworkSpec, i: number, batch: number): SingleOp | undefined {
  const layer = spec.layers[i]!;
  const found = opOf(layer);
  if (!found) return undefined;
  const shapes = layerShapes(spec, batch);
  const inputShapes = [shapes.inputs[i]!, ...shapes.params[i]!.map((p) => p.shape)];
  return { ...found, inputShapes };
}

/** Layers the reference engine times: the same ones ORT can, so the columns compare. */
export function timedLayers(spec: NetworkSpec): number[] {
  return spec.layers.flatMap((l, i) => (opOf(l) ? [i] : []));
}
