/**
 * The window behind one cell of one feature map, pure, from the reference engine's own traces
 * (conv2dTrace, maxPool2dTrace, avgPool2dTrace: the ops' index arithmetic, bit-identical sums):
 * what the stepper shows when the reader clicks a cell. One record per layer type.
 */
import { avgPool2dTrace, conv2dTrace, maxPool2dTrace } from '../../cnn/index.ts';
import type { LayerSpec, NetworkSpec, Params, PoolWindowCell, Tensor } from '../../cnn/index.ts';

/** One channel of a convolution's window: the input patch under the kernel, and its share. */
export interface ConvChannel {
  readonly channel: number;
  /** kh × kw input values (0 in the padding), row by row, and which taps fall in the padding. */
  readonly patch: readonly number[];
  readonly padding: readonly boolean[];
  readonly kernel: readonly number[];
  /** Σ patch · kernel over this channel. */
  readonly subtotal: number;
}

export type CellWindow =
  | {
      readonly kind: 'conv';
      readonly kh: number;
      readonly kw: number;
      readonly channels: readonly ConvChannel[];
      readonly bias: number;
      readonly value: number;
      /** Input cells under the window (the input map's flat indices, padding left out). */
      readonly inputCells: readonly number[];
    }
  | {
      readonly kind: 'pool';
      readonly op: 'max' | 'average';
      readonly kh: number;
      readonly kw: number;
      readonly cells: readonly PoolWindowCell[];
      readonly value: number;
      readonly inputCells: readonly number[];
    }
  | {
      /** One input cell in, one out: activations, dropout (off when reading), add. */
      readonly kind: 'pointwise';
      readonly formula: string;
      readonly inputs: readonly number[];
      readonly value: number;
      readonly inputCells: readonly number[];
    };

export interface WindowArgs {
  readonly spec: NetworkSpec;
  readonly params: Params;
  /** The layer's input (the image for layer 0) and, for add, every earlier output. */
  readonly input: Tensor;
  readonly output: (layer: number) => Tensor;
  readonly layer: number;
  readonly channel: number;
  readonly row: number;
  readonly col: number;
}

type WindowOf<K extends LayerSpec['type']> =
  ((layer: Extract<LayerSpec, { type: K }>, a: WindowArgs) => CellWindow) | null;

const cellOf = (a: WindowArgs) => ({ n: 0, channel: a.channel, row: a.row, col: a.col });
const at = (t: Tensor, a: WindowArgs) => {
  const [, , h, w] = t.shape as [number, number, number, number];
  return t.data[(a.channel * h + a.row) * w + a.col]!;
};
const here = (a: WindowArgs) => [a.row * a.input.shape[3]! + a.col];

/** Signed numbers as the figure writes them: − for minus, up to `d` decimals. */
export function num(v: number, d = 3): string {
  if (Number.isNaN(v)) return 'NaN';
  const s = String(Number(v.toFixed(d)));
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

function pointwise(formula: (x: string, y: string) => string) {
  return (_l: unknown, a: WindowArgs): CellWindow => {
    const x = at(a.input, a);
    const y = at(a.output(a.layer), a);
    return {
      kind: 'pointwise',
      formula: formula(num(x), num(y)),
      inputs: [x],
      value: y,
      inputCells: here(a),
    };
  };
}

function pool(
  op: 'max' | 'average',
  layer: { readonly kernelShape: readonly [number, number] },
  cells: readonly PoolWindowCell[],
  value: number,
  a: WindowArgs,
): CellWindow {
  const w = a.input.shape[3]!;
  const [kh, kw] = layer.kernelShape;
  const inputCells = cells.filter((c) => !c.inPadding).map((c) => c.row * w + c.col);
  return { kind: 'pool', op, kh, kw, cells, value, inputCells };
}

const WINDOWS: { readonly [K in LayerSpec['type']]: WindowOf<K> } = {
  conv2d(layer, a) {
    const kernel = a.params[`${a.layer}.kernel`]!;
    const bias = layer.bias === false ? null : a.params[`${a.layer}.bias`]!;
    const t = conv2dTrace(
      a.input,
      kernel,
      { n: 0, filter: a.channel, row: a.row, col: a.col },
      { ...layer, bias },
    );
    const [kh, kw] = layer.kernelShape;
    const w = a.input.shape[3]!;
    const channels: ConvChannel[] = [];
    for (let k = 0; k < t.terms.length; k += kh * kw) {
      const terms = t.terms.slice(k, k + kh * kw);
      channels.push({
        channel: terms[0]!.channel,
        patch: terms.map((x) => x.input),
        padding: terms.map((x) => x.inPadding),
        kernel: terms.map((x) => x.kernel),
        subtotal: terms.reduce((s, x) => s + x.product, 0),
      });
    }
    const inputCells = t.terms
      .filter((x) => !x.inPadding && x.channel === (channels[0]?.channel ?? 0))
      .map((x) => x.inputRow * w + x.inputCol);
    return { kind: 'conv', kh, kw, channels, bias: t.bias, value: t.sum, inputCells };
  },
  maxPool2d(layer, a) {
    const t = maxPool2dTrace(a.input, layer, cellOf(a));
    return pool('max', layer, t.cells, t.max, a);
  },
  avgPool2d(layer, a) {
    const t = avgPool2dTrace(a.input, layer, cellOf(a));
    return pool('average', layer, t.cells, t.mean, a);
  },
  relu: pointwise((x, y) => `y = max(0, x) = max(0, ${x}) = ${y}`),
  leakyRelu: (layer, a) =>
    pointwise((x, y) => `y = x if x > 0, else ${layer.alpha ?? 0.01}·x; x = ${x}, y = ${y}`)(
      layer,
      a,
    ),
  sigmoid: pointwise((x, y) => `y = 1 / (1 + e^(−x)) = 1 / (1 + e^(−(${x}))) = ${y}`),
  tanh: pointwise((x, y) => `y = tanh(x) = tanh(${x}) = ${y}`),
  dropout: pointwise((x, y) => `y = x (dropout is off when the network reads) = ${x} → ${y}`),
  add(layer, a) {
    const x = at(a.input, a);
    const skip = at(a.output(layer.from), a);
    const y = at(a.output(a.layer), a);
    return {
      kind: 'pointwise',
      formula: `y = x + (output of layer ${layer.from}) = ${num(x)} + ${num(skip)} = ${num(y)}`,
      inputs: [x, skip],
      value: y,
      inputCells: here(a),
    };
  },
  // No feature maps: their outputs are vectors.
  flatten: null,
  dense: null,
};

/** The window of (channel, row, col) of layer `a.layer`'s output; null for a vector layer. */
export function cellWindow(a: WindowArgs): CellWindow | null {
  const layer = a.spec.layers[a.layer]!;
  const fn = WINDOWS[layer.type] as WindowOf<LayerSpec['type']>;
  return fn ? (fn as (l: LayerSpec, a: WindowArgs) => CellWindow)(layer, a) : null;
}
