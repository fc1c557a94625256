/** The page's side of photo-filter's reference worker: the maps for a state, as a promise. */
import { jobClient } from '../shared/jobs';
import type { PhotoFilterJobs } from './reference.worker';
import type { FilterResult, FilterState } from './state';

const worker = jobClient<PhotoFilterJobs>(
  () => new Worker(new URL('./reference.worker.ts', import.meta.url), { type: 'module' }),
);

export function filterReference(s: FilterState): Promise<FilterResult> {
  return worker.run('filter', { photo: s.photo, weights: s.weights, bias: s.bias });
}
