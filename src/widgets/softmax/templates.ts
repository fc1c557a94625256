/**
 * Build time only (node:fs through mnist-sample): the fixed dense layer of the softmax widget.
 * Weight row k is the average of 30 training sevens, threes, … (samples 10–39 of class k, never
 * the digits the widget shows), bias k is −½‖t_k‖². Then z_k = t_k·x − ½‖t_k‖², and the largest
 * logit is the class whose average digit is nearest to x in squared distance
 * (‖x − t_k‖² = ‖x‖² − 2 z_k, and ‖x‖² is the same for every class).
 */
import { sampleDigits } from '../../data/mnist-sample';

export const TEMPLATE_SAMPLES = { first: 10, count: 30 } as const;

export function classTemplates(): { weight: number[]; bias: number[] } {
  const weight: number[] = [];
  const bias: number[] = [];
  for (let k = 0; k < 10; k++) {
    const picks = Array.from(
      { length: TEMPLATE_SAMPLES.count },
      (_, i) => [k, TEMPLATE_SAMPLES.first + i] as const,
    );
    const sum = new Array<number>(784).fill(0);
    for (const { pixels } of sampleDigits(picks)) pixels.forEach((v, i) => (sum[i] += v));
    const row = sum.map((v) => Math.round((v / TEMPLATE_SAMPLES.count) * 1000) / 1000);
    weight.push(...row);
    bias.push(-0.5 * row.reduce((a, v) => a + v * v, 0));
  }
  return { weight, bias };
}
