/** Attribute types the layer specs share (ONNX conventions; see nn/spec.ts). */
export type Pair = readonly [number, number];
/** [top, left, bottom, right] as in ONNX `pads`, or the usual shorthands. */
export type Padding = readonly [number, number, number, number] | 'same' | 'valid';
