/**
 * Training-step speed of a ConvBook training graph on ORT wasm in Node.
 *   node_modules/.bin/node bench/ort/train-speed.ts [threads] [batch] [sgd|adam] [key=value…] [--profile]
 * (key=value: a formulation, see src/onnx/formulations.ts; EXEC_MODE=parallel in the environment
 * asks ORT for its parallel executor.)
 * Prints images/s (median of 5 runs of 40 steps) and, with --profile, the time per node type.
 */
import * as ort from 'onnxruntime-web';
import { mnistTutorialNet as mnistTutorial } from '../../src/cnn/index.ts';
import {
  DEFAULT_FORMULATIONS,
  buildTrainingModel,
  oneHot,
  optimizerScalars,
  withFormulations,
} from '../../src/onnx/index.ts';

const args = process.argv.slice(2);
const profile = args.includes('--profile');
const positional = args.filter((a) => !a.startsWith('--'));
const threads = Number(positional[0] ?? 1);
const batch = Number(positional[1] ?? 64);
const optName = positional[2] ?? 'sgd';
const formulations = withFormulations(DEFAULT_FORMULATIONS, positional.slice(3));
ort.env.wasm.numThreads = threads;

const opt =
  optName === 'adam'
    ? ({ type: 'adam', lr: 0.001 } as const)
    : ({ type: 'sgd', lr: 0.05, momentum: 0.9 } as const);
const m = buildTrainingModel(mnistTutorial, opt, { batch, formulations });
const session = await ort.InferenceSession.create(m.bytes, {
  executionProviders: ['wasm'],
  graphOptimizationLevel: 'all',
  enableProfiling: profile,
  // EXEC_MODE=parallel runs independent branches (dW and dx of a conv, the updates) at once.
  executionMode: process.env['EXEC_MODE'] === 'parallel' ? 'parallel' : 'sequential',
});
const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);
let seed = 1;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const feeds: Record<string, ort.Tensor> = {
  images: new ort.Tensor('float32', Float32Array.from({ length: batch * 784 }, rand), [
    batch,
    1,
    28,
    28,
  ]),
  labels: new ort.Tensor(
    'float32',
    oneHot(
      Array.from({ length: batch }, (_, i) => i % 10),
      10,
    ),
    [batch, 10],
  ),
};
for (const p of m.params) {
  feeds[p.name] = new ort.Tensor(
    'float32',
    Float32Array.from({ length: size(p.shape) }, () => (rand() - 0.5) * 0.2),
    [...p.shape],
  );
}
for (const s of m.slots)
  feeds[s.name] = new ort.Tensor('float32', new Float32Array(size(s.shape)), [...s.shape]);
for (const [k, v] of Object.entries(optimizerScalars(opt, 1)))
  feeds[k] = new ort.Tensor('float32', Float32Array.of(v), []);

for (let i = 0; i < 10; i++) await session.run(feeds);
const rates: number[] = [];
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  for (let i = 0; i < 40; i++) {
    const out = await session.run(feeds);
    for (const t of Object.values(out)) t.dispose();
  }
  rates.push((40 * batch * 1000) / (performance.now() - t0));
}
rates.sort((a, b) => a - b);
console.log(
  `threads ${threads} batch ${batch} ${optName} [${positional.slice(3).join(',')}]: ${Math.round(rates[2]!)} images/s ` +
    `(runs ${rates.map((x) => Math.round(x)).join(' ')})`,
);
if (profile) session.endProfiling();
