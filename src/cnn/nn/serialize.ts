import type { OptimizerState } from '../optim/optimizer.ts';
import { sizeOf } from '../tensor.ts';
import type { Tensor } from '../tensor.ts';
import type { Params } from './params.ts';

/**
 * Params and optimiser state as plain JSON. Values are the little-endian bytes of the Float32Array
 * in base64, so every float (−0, subnormals, NaN payloads included) comes back bit-identical,
 * and the JSON is ~2.7× smaller than printing the numbers.
 */
export interface SerializedTensor {
  readonly shape: number[];
  readonly float32: string; // base64 of little-endian float32 bytes
}
export interface SerializedParams {
  readonly format: 'convbook.params/1';
  readonly tensors: Record<string, SerializedTensor>;
}
export interface SerializedOptimizerState {
  readonly format: 'convbook.optimizer-state/1';
  readonly step: number;
  readonly slots: Record<string, SerializedTensor>;
}

export function serializeTensor(t: Tensor): SerializedTensor {
  const bytes = new Uint8Array(t.data.length * 4);
  const view = new DataView(bytes.buffer);
  t.data.forEach((v, k) => view.setFloat32(k * 4, v, true));
  let binary = '';
  for (let k = 0; k < bytes.length; k += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
  }
  return { shape: [...t.shape], float32: btoa(binary) };
}

export function deserializeTensor(s: SerializedTensor, what = 'tensor'): Tensor {
  const binary = atob(s.float32);
  const n = sizeOf(s.shape);
  if (binary.length !== n * 4) {
    throw new RangeError(
      `deserialize: ${what} has ${binary.length} bytes but shape [${s.shape.join(', ')}] needs ${n * 4}`,
    );
  }
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let k = 0; k < binary.length; k++) view.setUint8(k, binary.charCodeAt(k));
  const data = new Float32Array(n);
  for (let k = 0; k < n; k++) data[k] = view.getFloat32(k * 4, true);
  return { shape: [...s.shape], data };
}

const mapValues = <A, B>(o: Record<string, A>, f: (a: A, key: string) => B): Record<string, B> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v, k)]));

export function serializeParams(params: Params): SerializedParams {
  return { format: 'convbook.params/1', tensors: mapValues(params, serializeTensor) };
}

export function deserializeParams(json: SerializedParams): Params {
  if (json?.format !== 'convbook.params/1') {
    throw new RangeError(
      `deserializeParams: format must be 'convbook.params/1', got ${JSON.stringify(json?.format)}`,
    );
  }
  return mapValues(json.tensors, (t, name) => deserializeTensor(t, name));
}

export function serializeOptimizerState(state: OptimizerState): SerializedOptimizerState {
  return {
    format: 'convbook.optimizer-state/1',
    step: state.step,
    slots: mapValues(state.slots, serializeTensor),
  };
}

export function deserializeOptimizerState(json: SerializedOptimizerState): OptimizerState {
  if (json?.format !== 'convbook.optimizer-state/1') {
    throw new RangeError(
      `deserializeOptimizerState: format must be 'convbook.optimizer-state/1', got ${JSON.stringify(json?.format)}`,
    );
  }
  return { step: json.step, slots: mapValues(json.slots, (t, name) => deserializeTensor(t, name)) };
}
