/**
 * The error every argument check of the engine throws: a RangeError whose message says what to
 * change, in the lesson's words, and whose fields say where, so that a widget can highlight the
 * field without reading the English:
 *
 *   try { convGeometry({ inputShape, kernelShape: 3, strides: [0, 1] }) }
 *   catch (e) { if (e instanceof CnnError) e.argument  // 'strides', e.value [0, 1] }
 *
 * `argument` uses the ONNX attribute names of the ops ('kernelShape', 'strides', 'pads',
 * 'dilations', 'group', 'outputPadding') or the input's name ('input', 'kernel', 'weight',
 * 'bias', 'rate', …); `value` is the value it was given (pairs as [height, width])
 */
export class CnnError extends RangeError {
  readonly op: string;
  readonly argument: string;
  readonly value: unknown;
  constructor(
    message: string,
    { op, argument, value }: { op: string; argument: string; value: unknown },
  ) {
    super(message);
    this.name = 'CnnError';
    this.op = op;
    this.argument = argument;
    this.value = value;
  }
}
