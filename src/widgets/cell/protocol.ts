/**
 * What a cell's worker says to the page, as plain data (structured-clone safe). One worker per
 * run: it streams outputs as the reader's code makes them, then ends with `done` or `error`,
 * carrying the ops it computed so the page can check them on onnxruntime-web.
 */
import type { NetworkSpec } from '../../cnn/index.ts';
import type { OpAttributes, OpName } from '../../onnx/index.ts';

export interface TensorData {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export type Output =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'table';
      readonly columns: readonly string[];
      readonly rows: readonly (readonly (string | number)[])[];
    }
  | {
      readonly kind: 'heatmap';
      readonly label: string;
      readonly rows: number;
      readonly cols: number;
      readonly values: Float32Array;
      /** Signed values (a feature map) get the diverging scale; [0, 1] images get ink. */
      readonly diverging: boolean;
      readonly decimals?: number;
    }
  | {
      readonly kind: 'plot';
      readonly mark: 'line' | 'dot' | 'bar';
      readonly data: readonly Readonly<Record<string, number | string>>[];
      readonly x: string;
      readonly y: string;
      readonly z?: string;
      readonly title?: string;
    }
  | {
      readonly kind: 'check';
      readonly pass: boolean;
      readonly text: string;
    };

/** One reference-engine op call of the reader's code, to be recomputed on ORT. */
export interface RecordedOp {
  readonly op: OpName;
  readonly attrs: OpAttributes;
  readonly inputs: readonly TensorData[];
  readonly output: TensorData;
  /**
   * The op's backward instead (relu, maxPool2d): inputs [x, dy], output dx, emitted on ORT by
   * src/onnx's training emitters, the ones the lab's training graphs use.
   */
  readonly backward?: true;
}

/** One `predict` (or the trainer's last one): a network's forward pass from the given weights. */
export interface RecordedNet {
  readonly op: 'network';
  readonly spec: NetworkSpec;
  /** Parameter name (`${layer}.${role}`) → its values, as the reader's weights were. */
  readonly params: Readonly<Record<string, TensorData>>;
  /** [images]. */
  readonly inputs: readonly TensorData[];
  /** The logits. */
  readonly output: TensorData;
}

export type Recorded = RecordedOp | RecordedNet;

export interface OpLog {
  readonly ops: readonly Recorded[];
  /** Op calls not recorded (over the size budget): the badge says only the first were checked. */
  readonly skipped: number;
}

export type CellMessage =
  | { readonly kind: 'output'; readonly output: Output }
  | ({ readonly kind: 'done' } & OpLog)
  | ({ readonly kind: 'error'; readonly message: string; readonly line?: number } & OpLog);

/** The data the page hands a run: the build-time MNIST digits, [0, 1] floats. */
export interface CellData {
  readonly digits: readonly { readonly label: number; readonly pixels: readonly number[] }[];
}
