import { checkGradShape } from '../check.ts';
import type { Tensor } from '../tensor.ts';
import { checkBias, conv2dSetup, sumPlanes } from './conv2dSetup.ts';
import type { Conv2dAttributes, Conv2dOptions } from './conv2dSetup.ts';

export type { Conv2dAttributes, Conv2dOptions } from './conv2dSetup.ts';

/**
 * featureMap[n,m,i,j] = bias[m] + Σ_c Σ_p Σ_q x[n,c, i·s−pad+p·d, j·s−pad+q·d] · kernel[m,c,p,q]
 * x [N, C, H, W], kernel [M, C/group, kh, kw] → featureMap [N, M, outH, outW].
 * Filter m sees only its group's channels; taps in the padding add nothing. Sums run in float64.
 * (Networks train with conv2dFast.ts, the same sums rearranged for speed.)
 */
export function conv2d(x: Tensor, kernel: Tensor, options: Conv2dOptions = {}): Tensor {
  const s = conv2dSetup('conv2d', x.shape, kernel.shape, options);
  const { g, filters: M, channelsPerGroup: Cg, filtersPerGroup: Mg } = s;
  checkBias('conv2d', options.bias, M);
  const { batch: N, inChannels: C, inHeight: H, inWidth: W, outHeight: outH, outWidth: outW } = g;
  const { kernelHeight: KH, kernelWidth: KW, strideHeight: sh, strideWidth: sw } = g;
  const { dilationHeight: dh, dilationWidth: dw } = g;
  const [padTop, padLeft] = g.pads;
  const featureMap = new Float32Array(N * M * outH * outW);
  for (let n = 0; n < N; n++) {
    for (let m = 0; m < M; m++) {
      const firstChannel = Math.floor(m / Mg) * Cg; // where filter m's group starts
      for (let i = 0; i < outH; i++) {
        for (let j = 0; j < outW; j++) {
          let sum = options.bias ? options.bias.data[m] : 0;
          for (let c = 0; c < Cg; c++) {
            for (let p = 0; p < KH; p++) {
              const row = i * sh - padTop + p * dh;
              if (row < 0 || row >= H) continue; // padding
              for (let q = 0; q < KW; q++) {
                const col = j * sw - padLeft + q * dw;
                if (col < 0 || col >= W) continue; // padding
                sum +=
                  x.data[((n * C + firstChannel + c) * H + row) * W + col] *
                  kernel.data[((m * Cg + c) * KH + p) * KW + q];
              }
            }
          }
          featureMap[((n * M + m) * outH + i) * outW + j] = sum;
        }
      }
    }
  }
  return { shape: [N, M, outH, outW], data: featureMap };
}

export interface Conv2dGradients {
  /** dL/dx, [N, C, H, W]; null when not asked for (the first layer needs none). */
  readonly dx: Tensor | null;
  readonly dKernel: Tensor;
  readonly dBias: Tensor;
}

/**
 * Given dy = dL/dfeatureMap [N, M, outH, outW], every product of the forward sum sends gradient back:
 *   dBias[m]         = Σ_n Σ_i Σ_j dy[n,m,i,j]
 *   dKernel[m,c,p,q] = Σ_n Σ_i Σ_j dy[n,m,i,j] · x[n,c, i·s−pad+p·d, j·s−pad+q·d]
 *   dx[n,c, i·s−pad+p·d, j·s−pad+q·d] += dy[n,m,i,j] · kernel[m,c,p,q]   (nothing for padding)
 */
export function conv2dBackward(
  x: Tensor,
  kernel: Tensor,
  dy: Tensor,
  attrs: Conv2dAttributes = {},
  { inputGradient = true }: { inputGradient?: boolean } = {},
): Conv2dGradients {
  const s = conv2dSetup('conv2dBackward', x.shape, kernel.shape, attrs);
  const { g, filters: M, channelsPerGroup: Cg, filtersPerGroup: Mg } = s;
  const { batch: N, inChannels: C, inHeight: H, inWidth: W, outHeight: outH, outWidth: outW } = g;
  checkGradShape('conv2dBackward', dy, [N, M, outH, outW]);
  const { kernelHeight: KH, kernelWidth: KW, strideHeight: sh, strideWidth: sw } = g;
  const { dilationHeight: dh, dilationWidth: dw } = g;
  const [padTop, padLeft] = g.pads;
  const dx = inputGradient ? new Float32Array(x.data.length) : null;
  const dKernel = new Float64Array(kernel.data.length); // a sum over the whole batch
  for (let n = 0; n < N; n++) {
    for (let m = 0; m < M; m++) {
      const firstChannel = Math.floor(m / Mg) * Cg;
      for (let i = 0; i < outH; i++) {
        for (let j = 0; j < outW; j++) {
          const grad = dy.data[((n * M + m) * outH + i) * outW + j];
          if (grad === 0) continue; // common after ReLU and max pooling: nothing flows back
          for (let c = 0; c < Cg; c++) {
            for (let p = 0; p < KH; p++) {
              const row = i * sh - padTop + p * dh;
              if (row < 0 || row >= H) continue;
              for (let q = 0; q < KW; q++) {
                const col = j * sw - padLeft + q * dw;
                if (col < 0 || col >= W) continue;
                const input = ((n * C + firstChannel + c) * H + row) * W + col;
                const tap = ((m * Cg + c) * KH + p) * KW + q;
                dKernel[tap] += grad * x.data[input];
                if (dx) dx[input] += grad * kernel.data[tap];
              }
            }
          }
        }
      }
    }
  }
  return {
    dx: dx && { shape: [...x.shape], data: dx },
    dKernel: { shape: [...kernel.shape], data: Float32Array.from(dKernel) },
    dBias: { shape: [M], data: sumPlanes(dy) },
  };
}
