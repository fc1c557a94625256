/**
 * Lesson 14's training, off the main thread: both networks, a few seconds of reference-engine
 * steps. The MNIST asset is loaded once (from the Cache API when the lab has fetched it) and kept.
 */
import { loadMnist } from '../../data/load.ts';
import type { LoadedMnist } from '../../data/load.ts';
import { serveJobs } from '../shared/jobs';
import { trainPair } from './train.ts';
import type { RunSettings } from './train.ts';

let mnist: Promise<LoadedMnist> | undefined;
const digits = () =>
  (mnist ??= loadMnist({ url: new URL('/data/mnist.bin', self.location.origin).href }));

const jobs = {
  async train(settings: RunSettings) {
    const { train, test } = await digits();
    return trainPair(settings, train, test);
  },
};

export type DeeperJobs = typeof jobs;
serveJobs(jobs);
