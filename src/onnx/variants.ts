/**
 * Switches between backward formulations, for measuring them against each other
 * (tests/unit/onnx/bench/train-speed.ts). The defaults are the fastest measured.
 */
export const variants = {
  /** Kernel gradient: 'conv' (Transpose + Conv + Transpose). */
  kernelGrad: 'conv' as string,
  /** ReLU backward: 'where' (Where(y > 0, dy, 0)) or 'mul' (dy · Cast(y > 0)). */
  reluGrad: 'where' as string,
  /** Max pool: 'indices' (MaxPool Indices + ScatterElements) or 'argmax' (tiling pools only). */
  maxPoolGrad: 'indices' as string,
  /** ReLU followed by max pool: 'pooled' applies ReLU's mask at the pooled resolution. */
  reluPool: 'pooled' as string,
};

/** `key=value`, e.g. `reluGrad=mul`. */
export function setVariant(assignment: string): void {
  const [key, value] = assignment.split('=');
  if (key === undefined || value === undefined || !(key in variants)) {
    throw new RangeError(
      `unknown variant ${assignment}; known: ${Object.keys(variants).join(', ')}`,
    );
  }
  (variants as Record<string, string>)[key] = value;
}
