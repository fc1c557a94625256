/**
 * The reference ops the reader's code calls, wrapped so each call is recorded (op, attributes,
 * inputs, result) for the page to recompute on onnxruntime-web. These are exactly the ops
 * `src/onnx` can emit as one-op graphs (OP_NAMES); the rest of the engine is passed through as is.
 */
import * as cnn from '../../../cnn/index.ts';
import type { NetworkSpec, Params, Tensor } from '../../../cnn/index.ts';
import type { OpAttributes, OpName } from '../../../onnx/index.ts';
import type { Recorded, TensorData } from '../protocol';

/** What the page will ship to ORT at most; calls beyond are counted, not recorded. */
export const MAX_RECORDED_OPS = 32;
export const MAX_RECORDED_VALUES = 2_000_000;

export class OpRecorder {
  readonly ops: Recorded[] = [];
  skipped = 0;
  private values = 0;

  /** Room for `size` more values? Counts the call as skipped when not. */
  private fits(size: number): boolean {
    if (this.ops.length >= MAX_RECORDED_OPS || this.values + size > MAX_RECORDED_VALUES) {
      this.skipped++;
      return false;
    }
    this.values += size;
    return true;
  }

  recordNet(spec: NetworkSpec, params: Params, images: Tensor, logits: Tensor): void {
    const all = Object.values(params);
    if (
      !this.fits(all.reduce((n, t) => n + t.data.length, images.data.length + logits.data.length))
    )
      return;
    this.ops.push({
      op: 'network',
      spec: structuredClone(spec),
      params: Object.fromEntries(Object.entries(params).map(([k, t]) => [k, copy(t)])),
      inputs: [copy(images)],
      output: copy(logits),
    });
  }

  record(
    op: OpName,
    attrs: OpAttributes,
    inputs: readonly Tensor[],
    output: Tensor,
    backward = false,
  ): void {
    if (!this.fits(inputs.reduce((n, t) => n + t.data.length, output.data.length))) return;
    this.ops.push({
      op,
      attrs: plainAttrs(attrs),
      inputs: inputs.map(copy),
      output: copy(output),
      ...(backward ? { backward: true as const } : {}),
    });
  }
}

/** Copies: the reader's code may write into its tensors after the call. */
const copy = (t: Tensor): TensorData => ({ shape: [...t.shape], data: t.data.slice() });

/** Only the attribute keys ORT reads, as plain numbers, strings and booleans. */
function plainAttrs(attrs: object): OpAttributes {
  const a = attrs as Readonly<Record<string, unknown>>;
  const keys = [
    'kernelShape',
    'strides',
    'pads',
    'dilations',
    'group',
    'outputPadding',
    'countIncludePad',
    'alpha',
  ];
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = a[k];
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'number')) out[k] = [...v];
  }
  return out as OpAttributes;
}

type Conv2dOptions = Parameters<typeof cnn.conv2d>[2];
type ConvTOptions = Parameters<typeof cnn.convTranspose2d>[2];

/** The recorded ops, with the reference engine's signatures. */
export function recordedOps(rec: OpRecorder) {
  const withBias = (inputs: Tensor[], bias: Tensor | null | undefined) =>
    bias ? [...inputs, bias] : inputs;
  return {
    conv2d(x: Tensor, kernel: Tensor, options: Conv2dOptions = {}): Tensor {
      const y = cnn.conv2d(x, kernel, options);
      rec.record('conv2d', options ?? {}, withBias([x, kernel], options?.bias), y);
      return y;
    },
    convTranspose2d(x: Tensor, weight: Tensor, options: ConvTOptions = {}): Tensor {
      const y = cnn.convTranspose2d(x, weight, options);
      rec.record('convTranspose2d', options ?? {}, withBias([x, weight], options?.bias), y);
      return y;
    },
    maxPool2d(x: Tensor, attrs: cnn.Pool2dAttributes): Tensor {
      const y = cnn.maxPool2d(x, attrs);
      rec.record('maxPool2d', attrs, [x], y);
      return y;
    },
    /** conv2d's dx for an output gradient dy: what reaches the input (no bias, group 1). */
    conv2dInputGradient(
      x: Tensor,
      kernel: Tensor,
      dy: Tensor,
      attrs: cnn.Conv2dAttributes = {},
    ): Tensor {
      const dx = cnn.conv2dBackward(x, kernel, dy, attrs).dx!;
      rec.record('conv2d', attrs, [x, dy, kernel], dx, true);
      return dx;
    },
    /** Max pooling's dx for an output gradient dy (each window's dy to its first maximum). */
    maxPool2dGradient(x: Tensor, dy: Tensor, attrs: cnn.Pool2dAttributes): Tensor {
      const { argmax } = cnn.maxPool2dWithArgmax(x, attrs);
      const dx = cnn.maxPool2dBackward(x.shape, argmax, dy);
      rec.record('maxPool2d', attrs, [x, dy], dx, true);
      return dx;
    },
    avgPool2d(x: Tensor, attrs: cnn.AvgPool2dAttributes): Tensor {
      const y = cnn.avgPool2d(x, attrs);
      rec.record('avgPool2d', attrs, [x], y);
      return y;
    },
    relu(x: Tensor): Tensor {
      const y = cnn.relu(x);
      rec.record('relu', {}, [x], y);
      return y;
    },
    /** dx = dy where x > 0: recorded as relu's backward and recomputed on ORT. */
    reluBackward(x: Tensor, dy: Tensor): Tensor {
      const dx = cnn.reluBackward(x, dy);
      rec.record('relu', {}, [x, dy], dx, true);
      return dx;
    },
    leakyRelu(x: Tensor, alpha = 0.01): Tensor {
      const y = cnn.leakyRelu(x, alpha);
      rec.record('leakyRelu', { alpha }, [x], y);
      return y;
    },
    sigmoid(x: Tensor): Tensor {
      const y = cnn.sigmoid(x);
      rec.record('sigmoid', {}, [x], y);
      return y;
    },
    tanh(x: Tensor): Tensor {
      const y = cnn.tanh(x);
      rec.record('tanh', {}, [x], y);
      return y;
    },
    softmax(x: Tensor): Tensor {
      const y = cnn.softmax(x);
      rec.record('softmax', {}, [x], y);
      return y;
    },
    linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
      const y = cnn.linear(x, weight, bias);
      rec.record('linear', {}, withBias([x, weight], bias), y);
      return y;
    },
  };
}
