/**
 * backprop's reference numbers, computed in a worker: tinyNet's forward and backward pass, the
 * SGD step, its outcome on ten other digits and the probabilities after it take longer than a
 * frame on the main thread (about 50 ms on a fast machine, far more on a slow one).
 */
import { serveJobs } from '../shared/jobs';
import { backpropResult } from './result';
import type { BackpropState } from './state';

const jobs = {
  result(input: Pick<BackpropState, 'digits' | 'others' | 'digit' | 'seed' | 'lr'>) {
    return backpropResult(input);
  },
};

export type BackpropJobs = typeof jobs;
serveJobs(jobs);
