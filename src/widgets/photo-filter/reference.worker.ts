/**
 * photo-filter's reference maps, computed in a worker: two convolutions over a whole photo take
 * longer than a frame on the main thread (about 70 ms on a fast machine).
 */
import { serveJobs } from '../shared/jobs';
import { computeFilter } from './state';
import type { FilterState } from './state';

const jobs = {
  filter: (input: Pick<FilterState, 'photo' | 'weights' | 'bias'>) => computeFilter(input),
};

export type PhotoFilterJobs = typeof jobs;
serveJobs(jobs);
