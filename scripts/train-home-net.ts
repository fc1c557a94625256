/**
 * Trains the network the home page's whole-network figure shows, with ConvBook's own training
 * graph (src/onnx buildTrainingModel) on onnxruntime-web's wasm EP in Node, one thread, seeded —
 * and measures its test accuracy with the reference engine on the 2,000 test digits.
 *   node_modules/.bin/node scripts/train-home-net.ts            (needs public/data/mnist.bin)
 * Writes src/widgets/shared/home-net.json: the spec, the weights (float32, base64), the
 * recipe and the measured accuracy, which the figure's caption reads. docs/data.md records a run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { createOptimizerState, forward, initParams, mnistTutorialNet } from '../src/cnn/index.ts';
import type { OptimizerSpec } from '../src/cnn/index.ts';
import { buildTrainingModel, optimizerScalars } from '../src/onnx/index.ts';
import { CLASSES, epochOrder, oneHot, parseMnistBin, toFloatBatch } from '../src/data/mnist.ts';

const SEED = 7;
const EPOCHS = 6;
const BATCH = 64;
const LR = 0.05;
const DECAY = 0.85;
const OPT: OptimizerSpec = { type: 'sgd', lr: LR, momentum: 0.9 };
const OUT = 'src/widgets/shared/home-net.json';

ort.env.wasm.numThreads = 1; // one thread: the same sums in the same order on every run
const spec = { ...mnistTutorialNet, name: 'homeNet' };
const data = parseMnistBin(readFileSync('public/data/mnist.bin'));
const model = buildTrainingModel(spec, OPT, { batch: BATCH });
const session = await ort.InferenceSession.create(model.bytes, { executionProviders: ['wasm'] });

const params = initParams(spec, SEED);
let state = new Map<string, ort.Tensor>();
const init = { ...params, ...createOptimizerState(OPT, params).slots };
for (const [k, t] of Object.entries(init))
  state.set(k, new ort.Tensor('float32', t.data.slice(), [...t.shape]));

const t0 = performance.now();
const steps = Math.floor(data.train.count / BATCH);
let t = 0;
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  const order = epochOrder(data.train.count, SEED, epoch);
  const lr = LR * DECAY ** epoch;
  let loss = 0;
  for (let step = 0; step < steps; step++) {
    const idx = order.subarray(step * BATCH, (step + 1) * BATCH);
    const feeds: Record<string, ort.Tensor> = {
      images: new ort.Tensor('float32', toFloatBatch(data.train.images, idx), [BATCH, 1, 28, 28]),
      labels: new ort.Tensor('float32', oneHot(data.train.labels, idx, CLASSES), [BATCH, CLASSES]),
    };
    for (const [k, v] of Object.entries(optimizerScalars(OPT, ++t, lr)))
      feeds[k] = new ort.Tensor('float32', Float32Array.of(v), []);
    for (const [k, v] of state) feeds[k] = v;
    const out = await session.run(feeds);
    const next = new Map<string, ort.Tensor>();
    for (const [name, outName] of Object.entries(model.updated)) next.set(name, out[outName]!);
    state = next;
    loss += (out['loss']!.data as Float32Array)[0]!;
  }
  console.log(`epoch ${epoch}: mean loss ${(loss / steps).toFixed(4)}`);
}
const seconds = (performance.now() - t0) / 1000;

// The test accuracy, measured with the reference engine on the trained weights.
const trained: Record<string, { shape: number[]; data: Float32Array }> = {};
for (const p of model.params)
  trained[p.name] = { shape: [...p.shape], data: state.get(p.name)!.data as Float32Array };
let correct = 0;
const chunk = 200;
for (let start = 0; start < data.test.count; start += chunk) {
  const n = Math.min(chunk, data.test.count - start);
  const idx = Uint32Array.from({ length: n }, (_, k) => start + k);
  const x = { shape: [n, 1, 28, 28], data: toFloatBatch(data.test.images, idx) };
  const { logits } = forward(spec, trained, x);
  for (let i = 0; i < n; i++) {
    const row = logits.data.subarray(i * CLASSES, (i + 1) * CLASSES);
    if (row.indexOf(Math.max(...row)) === data.test.labels[start + i]) correct++;
  }
}
const accuracy = correct / data.test.count;
console.log(
  `test accuracy ${(accuracy * 100).toFixed(2)}% (${correct}/${data.test.count}), ${seconds.toFixed(1)} s of training`,
);

const weights: Record<string, { shape: number[]; base64: string }> = {};
for (const [name, t] of Object.entries(trained))
  weights[name] = {
    shape: t.shape,
    base64: Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64'),
  };
const asset = {
  spec,
  recipe: { seed: SEED, epochs: EPOCHS, batch: BATCH, optimizer: OPT, lrDecay: DECAY },
  test: { correct, count: data.test.count, accuracy },
  weights,
};
writeFileSync(OUT, `${JSON.stringify(asset)}\n`);
console.log(`wrote ${OUT}`);
