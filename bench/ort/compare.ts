/**
 * A/B timing of training-step formulations in one process, alternating between them so that
 * background load hits all alike; reports the best and the median of ROUNDS (default 12) rounds of 10 steps.
 *   node_modules/.bin/node bench/ort/compare.ts <threads> <batch> "a=b c=d" "a=e" …
 * ("" is the defaults; EXEC_MODE=parallel asks ORT for its parallel executor).
 * Example: compare.ts 1 64 "" "maxPoolGrad=indices"
 */
import * as ort from 'onnxruntime-web';
import { mnistTutorialNet } from '../../src/cnn/index.ts';
import {
  DEFAULT_FORMULATIONS,
  buildTrainingModel,
  oneHot,
  optimizerScalars,
  withFormulations,
} from '../../src/onnx/index.ts';

const [threadsArg, batchArg, ...variantArgs] = process.argv.slice(2);
ort.env.wasm.numThreads = Number(threadsArg ?? 1);
const batch = Number(batchArg ?? 64);
const variants = variantArgs.length > 0 ? variantArgs : [''];
const opt = { type: 'sgd', lr: 0.05, momentum: 0.9 } as const;
const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);

const runners = await Promise.all(
  variants.map(async (v) => {
    const formulations = withFormulations(
      DEFAULT_FORMULATIONS,
      v.split(' ').filter((s) => s !== ''),
    );
    const m = buildTrainingModel(mnistTutorialNet, opt, { batch, formulations });
    const session = await ort.InferenceSession.create(m.bytes, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
      executionMode: process.env['EXEC_MODE'] === 'parallel' ? 'parallel' : 'sequential',
    });
    const feeds: Record<string, ort.Tensor> = {
      images: new ort.Tensor(
        'float32',
        Float32Array.from({ length: batch * 784 }, () => (Math.random() < 0.6 ? 0 : Math.random())),
        [batch, 1, 28, 28],
      ),
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
        Float32Array.from({ length: size(p.shape) }, () => (Math.random() - 0.5) * 0.2),
        [...p.shape],
      );
    }
    for (const s of m.slots)
      feeds[s.name] = new ort.Tensor('float32', new Float32Array(size(s.shape)), [...s.shape]);
    for (const [k, val] of Object.entries(optimizerScalars(opt, 1)))
      feeds[k] = new ort.Tensor('float32', Float32Array.of(val), []);
    const step = async () => {
      const out = await session.run(feeds);
      for (const t of Object.values(out)) t.dispose();
    };
    for (let i = 0; i < 5; i++) await step();
    return { name: v === '' ? 'defaults' : v, step, times: [] as number[] };
  }),
);
const rounds = Number(process.env.ROUNDS ?? 12);
for (let round = 0; round < rounds; round++) {
  for (const r of runners) {
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) await r.step();
    r.times.push((performance.now() - t0) / 10);
  }
}
for (const r of runners) {
  const sorted = [...r.times].sort((a, b) => a - b);
  const best = sorted[0]!;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `${r.name.padEnd(44)} best ${best.toFixed(2)} ms/step = ${Math.round((batch * 1000) / best)} images/s; median ${median.toFixed(2)} ms = ${Math.round((batch * 1000) / median)} images/s`,
  );
}
