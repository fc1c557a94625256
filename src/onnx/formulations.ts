/**
 * Choices between equivalent backward formulations. All of them give the same numbers (the tests
 * check each against the reference engine); they differ in speed per execution provider and in
 * which ops they need. Defaults are the fastest measured on ORT's wasm EP.
 *
 * maxPoolGrad  'slices'   strided Slices per window cell, Max forward, a Where chain finds the
 *                          first maximum, ScatterElements places dy (tiling windows; others
 *                          fall back to 'indices')
 *              'indices'  MaxPool's Indices output + ScatterElements (any window; fastest on wasm,
 *                          but whether the WebGPU EP fills MaxPool's second output is unchecked)
 *              'argmax'   ArgMax masks on a [N, C, outH, kh, outW, kw] view (tiling windows;
 *                          other windows fall back to 'indices')
 *              'mask'     float ops only: Equal with the pooled maximum, then exclusive CumSums
 *                          count the earlier tied cells, and only the first keeps the gradient
 *                          (tiling windows; others fall back to 'indices'); for the WebGPU EP
 * reluPool     'pooled'   ReLU directly before a max pool applies its mask at the pooled size
 *              'full'     ReLU's own backward at full size
 * kernelGrad   'conv'     Transpose + Conv (batch and channels swapped) + Transpose
 *              'im2col'   strided Slices of the transposed input, Concat, one Gemm (group 1)
 * inputGrad    'convTranspose'  ConvTranspose with the forward attributes
 *              'flippedConv'    Conv of the padded dy with the flipped kernel (stride 1, group 1)
 */
export interface Formulations {
  readonly maxPoolGrad: 'slices' | 'indices' | 'argmax' | 'mask';
  readonly reluPool: 'pooled' | 'full';
  readonly kernelGrad: 'conv' | 'im2col';
  readonly inputGrad: 'convTranspose' | 'flippedConv';
}

export const DEFAULT_FORMULATIONS: Formulations = {
  maxPoolGrad: 'slices',
  reluPool: 'pooled',
  kernelGrad: 'conv',
  inputGrad: 'convTranspose',
};

const CHOICES: Readonly<Record<keyof Formulations, readonly string[]>> = {
  maxPoolGrad: ['slices', 'indices', 'argmax', 'mask'],
  reluPool: ['pooled', 'full'],
  kernelGrad: ['conv', 'im2col'],
  inputGrad: ['convTranspose', 'flippedConv'],
};

/** Applies `key=value` assignments (as the bench scripts take them) to `base`. */
export function withFormulations(base: Formulations, assignments: readonly string[]): Formulations {
  const out: Record<string, string> = { ...base };
  for (const a of assignments) {
    const [key, value] = a.split('=') as [string, string | undefined];
    const allowed = CHOICES[key as keyof Formulations];
    if (allowed === undefined || value === undefined || !allowed.includes(value)) {
      throw new RangeError(
        `unknown formulation ${a}; choose from ${Object.entries(CHOICES)
          .map(([k, v]) => `${k}=${v.join('|')}`)
          .join(', ')}`,
      );
    }
    out[key] = value;
  }
  return out as unknown as Formulations;
}
