/**
 * Speed of the reference engine on the TensorFlow.js MNIST tutorial net, batch 64, one thread.
 * Run: node_modules/.bin/node bench/reference.ts [--seconds 3]   (ONLY_TRAIN=1: skip the forward row)
 * Prints forward images/s and training-step (forward + backward + SGD-momentum update) images/s,
 * on real MNIST training digits (public/data/mnist.bin, built by scripts/build-mnist.mjs):
 * ReLU and max-pool sparsity, which the backward pass exploits, depend on the data.
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import {
  createOptimizerState,
  forward,
  initParams,
  lossAndGradients,
  mnistTutorialNet,
  optimizerStep,
} from '../src/cnn/index.ts';
import type { Tensor } from '../src/cnn/index.ts';
import { parseMnistBin } from '../src/data/mnist.ts';

const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 3;
const batch = 64;

if (!existsSync('public/data/mnist.bin'))
  execSync('node scripts/build-mnist.mjs', { stdio: 'inherit' });
const { train } = parseMnistBin(readFileSync('public/data/mnist.bin'));

/** Training digits b·64 … b·64 + 63, scaled to [0, 1] as the lab feeds them. */
function mnistBatch(b: number): { x: Tensor; labels: Int32Array } {
  const data = new Float32Array(batch * 784);
  const labels = new Int32Array(batch);
  for (let n = 0; n < batch; n++) {
    const index = b * batch + n;
    labels[n] = train.labels[index];
    for (let k = 0; k < 784; k++) data[n * 784 + k] = train.images[index * 784 + k] / 255;
  }
  return { x: { shape: [batch, 1, 28, 28], data }, labels };
}

/** CPU time of this process in ms: less sensitive than wall time to other work on the machine. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function measure(name: string, body: () => void): void {
  for (let k = 0; k < 5; k++) body(); // warm-up: let the JIT settle
  let steps = 0;
  const start = performance.now();
  const startCpu = cpuMs();
  while (performance.now() - start < seconds * 1000) {
    body();
    steps++;
  }
  const wall = (performance.now() - start) / 1000;
  const cpu = (cpuMs() - startCpu) / 1000;
  const perWall = ((steps * batch) / wall).toFixed(0).padStart(6);
  const perCpu = ((steps * batch) / cpu).toFixed(0).padStart(6);
  console.log(
    `${name.padEnd(34)} ${perWall} images/s wall, ${perCpu} per CPU-second (${steps} batches)`,
  );
}

const spec = mnistTutorialNet;
let params = initParams(spec, 0);
const opt = { type: 'sgd', lr: 0.05, momentum: 0.9 } as const;
let state = createOptimizerState(opt, params);
const batches = Array.from({ length: 16 }, (_, b) => mnistBatch(b));
let k = 0;

console.log(
  `reference engine, ${spec.name}, batch ${batch}, Node ${process.version}, single thread`,
);
if (!process.env['ONLY_TRAIN'])
  measure('forward', () => {
    forward(spec, params, batches[k++ % batches.length].x);
  });
measure('training step (fwd + bwd + SGD)', () => {
  const { x, labels } = batches[k++ % batches.length];
  const { grads } = lossAndGradients(spec, params, x, labels);
  ({ params, state } = optimizerStep(opt, params, grads, state));
});
