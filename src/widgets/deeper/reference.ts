/** The page's side of the training worker (reference.worker.ts): one promise per run. */
import { jobClient } from '../shared/jobs';
import type { DeeperJobs } from './reference.worker';
import type { PairRun, RunSettings } from './train';

const worker = jobClient<DeeperJobs>(
  () => new Worker(new URL('./reference.worker.ts', import.meta.url), { type: 'module' }),
);

export const trainInWorker = (settings: RunSettings): Promise<PairRun> =>
  worker.run('train', settings);
