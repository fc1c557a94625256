/**
 * Inference images/s of the tutorial net's forward graph (logits and probabilities only, weights
 * as initializers) on ORT wasm in Node — the yardstick the training target is set against.
 *   node_modules/.bin/node bench/ort/infer-speed.ts <threads> [batch]
 */
import * as ort from 'onnxruntime-web';
import { initParams, mnistTutorialNet } from '../../src/cnn/index.ts';
import { buildForwardModel } from '../../src/onnx/index.ts';

ort.env.wasm.numThreads = Number(process.argv[2] ?? 1);
const batch = Number(process.argv[3] ?? 64);
const m = buildForwardModel(mnistTutorialNet, {
  params: initParams(mnistTutorialNet, 1),
  batch,
  activations: false,
});
const session = await ort.InferenceSession.create(m.bytes, {
  executionProviders: ['wasm'],
  graphOptimizationLevel: 'all',
});
const images = new ort.Tensor(
  'float32',
  Float32Array.from({ length: batch * 784 }, () => (Math.random() < 0.8 ? 0 : Math.random())),
  [batch, 1, 28, 28],
);
const rates: number[] = [];
for (let round = 0; round < 8; round++) {
  const t0 = performance.now();
  for (let k = 0; k < 20; k++) {
    const out = await session.run({ images });
    for (const t of Object.values(out)) t.dispose();
  }
  if (round > 0) rates.push((20 * batch * 1000) / (performance.now() - t0));
}
rates.sort((a, b) => b - a);
console.log(
  `inference, threads ${ort.env.wasm.numThreads}, batch ${batch}: best ${Math.round(rates[0]!)} img/s, median ${Math.round(rates[3]!)} img/s`,
);
