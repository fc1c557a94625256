/**
 * The page's side of backprop's reference worker (reference.worker.ts): the result for a state,
 * as a promise. Only what the result reads is sent (the digit, the seed, the learning rate).
 */
import { jobClient } from '../shared/jobs';
import type { BackpropResult } from './result';
import type { BackpropJobs } from './reference.worker';
import type { BackpropState } from './state';

const worker = jobClient<BackpropJobs>(
  () => new Worker(new URL('./reference.worker.ts', import.meta.url), { type: 'module' }),
);

export function backpropReference(s: BackpropState): Promise<BackpropResult> {
  const { digit, seed, lr, others } = s;
  return worker.run('result', { digits: [s.digits[digit]!], digit: 0, seed, lr, others });
}
