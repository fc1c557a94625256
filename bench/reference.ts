/**
 * Speed of the reference engine on the TensorFlow.js MNIST tutorial net, batch 64, one thread.
 * Run: node_modules/.bin/node bench/reference.ts [--seconds 3]
 * Prints forward images/s and training-step (forward + backward + SGD-momentum update) images/s.
 * Inputs are synthetic MNIST-like images (blank background, a bright stroke), so that ReLU and
 * max-pool sparsity, which the backward pass exploits, resemble the real data.
 */
import {
  createOptimizerState,
  createRng,
  forward,
  initParams,
  lossAndGradients,
  mnistTutorialNet,
  optimizerStep,
  type Tensor,
} from '../src/cnn/index.ts';

const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 3;
const batch = 64;
const rng = createRng(1);

function digitLikeBatch(): { x: Tensor; labels: Int32Array } {
  const data = new Float32Array(batch * 28 * 28);
  const labels = new Int32Array(batch);
  for (let n = 0; n < batch; n++) {
    labels[n] = rng.int(10);
    // a thick random line segment of intensity ~1 on a zero background
    const [x0, y0, x1, y1] = [4 + rng.int(20), 4 + rng.int(20), 4 + rng.int(20), 4 + rng.int(20)];
    for (let t = 0; t <= 40; t++) {
      const cx = Math.round(x0 + ((x1 - x0) * t) / 40);
      const cy = Math.round(y0 + ((y1 - y0) * t) / 40);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++)
          data[n * 784 + (cy + dy) * 28 + cx + dx] = 0.8 + 0.2 * rng.uniform();
      }
    }
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
const batches = Array.from({ length: 8 }, digitLikeBatch);
let k = 0;

console.log(
  `reference engine, ${spec.name}, batch ${batch}, Node ${process.version}, single thread`,
);
measure('forward', () => {
  forward(spec, params, batches[k++ % batches.length].x);
});
measure('training step (fwd + bwd + SGD)', () => {
  const { x, labels } = batches[k++ % batches.length];
  const { grads } = lossAndGradients(spec, params, x, labels);
  ({ params, state } = optimizerStep(opt, params, grads, state));
});
