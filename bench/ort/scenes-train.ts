/**
 * Lesson 12's segmenter with its detection head trained on ORT wasm in Node, the lab's own
 * batches and evaluation. The lab's modules import without extensions, so bundle it first (into
 * a folder of the repository, where onnxruntime-web resolves):
 *   node_modules/.bin/esbuild bench/ort/scenes-train.ts --bundle --platform=node --format=esm \
 *     --external:onnxruntime-web --outfile=tmp-bench/scenes-train.mjs
 *   node_modules/.bin/node tmp-bench/scenes-train.mjs [threads] [seconds] [batch] [lr] [evalEvery]
 * Prints, at each evaluation, seconds of training against pixel accuracy, mean IoU and mAP@0.5 on
 * the 500 held-out scenes (test digits only). Needs public/data/mnist.bin (npm run build:data).
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { initParams, createOptimizerState, sceneDetectNet } from '../../src/cnn/index.ts';
import type { NetworkSpec, OptimizerSpec } from '../../src/cnn/index.ts';
import { buildForwardModel, buildTrainingModel, optimizerScalars } from '../../src/onnx/index.ts';
import { parseMnistBin } from '../../src/data/mnist.ts';
import { SceneData, evaluateScenes } from '../../src/runtime/lab/scene-task.ts';
import type { Evaluator, State } from '../../src/runtime/lab/engines.ts';

const [threads = 2, seconds = 60, batch = 32, lr = 0.05, evalEvery = 20] = process.argv
  .slice(2)
  .map(Number);
ort.env.wasm.numThreads = threads;
// SPEC=<json> tries another network; OPT=adam|sgd (default adam).
const spec: NetworkSpec = process.env['SPEC'] ? JSON.parse(process.env['SPEC']) : sceneDetectNet;
const opt: OptimizerSpec =
  process.env['OPT'] === 'sgd' ? { type: 'sgd', lr, momentum: 0.9 } : { type: 'adam', lr };
const data = parseMnistBin(readFileSync('public/data/mnist.bin'));
const scenes = new SceneData(data.train, { batchSize: batch, seed: 1, network: spec });
const m = buildTrainingModel(spec, opt, { batch });
const session = await ort.InferenceSession.create(m.bytes, {
  executionProviders: ['wasm'],
  graphOptimizationLevel: 'all',
});
const fwd = await ort.InferenceSession.create(
  buildForwardModel(spec, { activations: false }).bytes,
  {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  },
);
const evaluator: Evaluator = {
  device: 'wasm',
  async run(params, images, n, outputs) {
    const feeds: Record<string, ort.Tensor> = {
      images: new ort.Tensor('float32', images, [n, ...spec.inputShape]),
    };
    for (const [k, t] of Object.entries(params))
      if (fwd.inputNames.includes(k)) feeds[k] = new ort.Tensor('float32', t.data, [...t.dims]);
    const r = await fwd.run(feeds, [...outputs]);
    return Object.fromEntries(outputs.map((o) => [o, r[o]!.data as Float32Array]));
  },
  async release() {},
};
const params = initParams(spec, 1);
const state: State = {};
for (const [k, t] of [
  ...Object.entries(params),
  ...Object.entries(createOptimizerState(opt, params).slots),
])
  state[k] = { dims: [...t.shape], data: t.data };
const scalars = (t: number) =>
  Object.fromEntries(
    Object.entries(optimizerScalars(opt, t)).map(([k, v]) => [
      k,
      new ort.Tensor('float32', Float32Array.of(v), []),
    ]),
  );
let trained = 0;
let step = 0;
let nextEval = evalEvery;
console.log(`${spec.name}, ${opt.type}, batch ${batch}, lr ${lr}, ${threads} threads`);
while (trained < seconds) {
  const b = scenes.batch(Math.floor(step / scenes.stepsPerEpoch), step % scenes.stepsPerEpoch);
  const t0 = performance.now();
  const feeds: Record<string, ort.Tensor> = {
    images: new ort.Tensor('float32', b.images, [batch, ...spec.inputShape]),
    labels: new ort.Tensor('float32', b.oneHot, [...m.labelsShape]),
    ...scalars(step + 1),
  };
  for (const [k, t] of Object.entries(state))
    feeds[k] = new ort.Tensor('float32', t.data, [...t.dims]);
  const out = await session.run(feeds);
  for (const [k, name] of Object.entries(m.updated))
    state[k] = { dims: state[k]!.dims, data: out[name]!.data as Float32Array };
  trained += (performance.now() - t0) / 1000;
  step++;
  if (step % 20 === 0)
    console.log(
      `step ${step} ${trained.toFixed(1)} s loss ${(out['loss']!.data[0] as number).toFixed(3)} acc ${(out['accuracy']!.data[0] as number).toFixed(3)}`,
    );
  if (trained >= nextEval || trained >= seconds) {
    nextEval += evalEvery;
    const e0 = performance.now();
    const r = await evaluateScenes(evaluator, state, data.test, spec);
    const s = r.segmentation;
    console.log(
      JSON.stringify({
        seconds: +trained.toFixed(1),
        steps: step,
        scenesPerSecond: +((step * batch) / trained).toFixed(1),
        pixelAccuracy: +s.pixelAccuracy.toFixed(4),
        meanIou: +s.meanIou.toFixed(4),
        map: +s.map.toFixed(4),
        evalSeconds: +((performance.now() - e0) / 1000).toFixed(1),
      }),
    );
  }
}
