/**
 * Time to accuracy of a lab schedule, measured in training images (independent of machine speed):
 * the lab's own data order, augmentation, initial weights, ORT wasm training step and test
 * evaluation (src/runtime/lab), run in Node. The lab's modules import without extensions, so
 * bundle it first (into a folder of the repository, where onnxruntime-web resolves):
 *   node_modules/.bin/esbuild bench/ort/schedule-search.ts --bundle --platform=node --format=esm \
 *     --external:onnxruntime-web --outfile=tmp-bench/schedule-search.mjs
 *   RUN='{"lr":0.05,"epochs":8,"seeds":[1,2,3]}' node_modules/.bin/node tmp-bench/schedule-search.mjs
 * RUN overrides DEFAULT_SETTINGS (src/widgets/training-lab/config.ts) field by field, plus
 * `seeds`, `evalEvery` (test evaluations per epoch; the lab evaluates once, at the end), and two
 * schedules the lab does not offer: `"shape": "cosine"` (lr₀ to 0 along half a cosine) and
 * `"warmup": epochs` (a linear warm-up over the first steps). THREADS sets ORT's wasm threads.
 * Prints the test accuracy at each evaluation and one JSON summary line per seed.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { parseMnistBin } from '../../src/data/mnist.ts';
import { TrainingData } from '../../src/runtime/lab/data.ts';
import { initialState } from '../../src/runtime/lab/engines.ts';
import { evaluate } from '../../src/runtime/lab/eval.ts';
import { OrtEvaluator, OrtLabTrainer } from '../../src/runtime/lab/ort-engine.ts';
import { scheduledLearningRate } from '../../src/runtime/lab/schedule.ts';
import type { LrSchedule } from '../../src/runtime/lab/protocol.ts';
import { DEFAULT_SETTINGS, toLabConfig } from '../../src/widgets/training-lab/config.ts';
import type { LabSettings } from '../../src/widgets/training-lab/config.ts';

ort.env.wasm.numThreads = Number(process.env['THREADS'] ?? 1);
const run = JSON.parse(process.env['RUN'] ?? '{}') as Record<string, unknown>;
const seeds = (run['seeds'] as number[] | undefined) ?? [1];
const evalEvery = (run['evalEvery'] as number | undefined) ?? 1;
const data = parseMnistBin(readFileSync('public/data/mnist.bin'));

for (const seed of seeds) {
  // `shape` (older sweeps): 'epoch' is the lab's 'decay' schedule; 'cosine' is tried here only.
  const shape = { epoch: 'decay', linear: 'linear' } as const;
  const lrSchedule = shape[run['shape'] as keyof typeof shape] as LrSchedule | undefined;
  const settings: LabSettings = {
    ...DEFAULT_SETTINGS,
    ...(run as Partial<LabSettings>),
    ...(lrSchedule ? { lrSchedule } : {}),
    seed,
  };
  const config = toLabConfig(settings, 'wasm');
  const train = new TrainingData(data.train, config);
  const total = config.epochs * train.stepsPerEpoch;
  const warmup = Math.round(((run['warmup'] as number | undefined) ?? 0) * train.stepsPerEpoch);
  // The lab's schedules, plus two tried here only: cosine to 0, and a linear warm-up before any.
  const shaped = (t: number) =>
    run['shape'] === 'cosine'
      ? (config.optimizer.lr * (1 + Math.cos((Math.PI * t) / total))) / 2
      : scheduledLearningRate(config, t, train.stepsPerEpoch);
  const schedule = (t: number) => shaped(t) * (t < warmup ? (t + 1) / warmup : 1);
  const state = initialState(config.network, config.optimizer, seed);
  const ortLike = ort as unknown as Parameters<typeof OrtLabTrainer.create>[0];
  const trainer = await OrtLabTrainer.create(
    ortLike,
    'wasm',
    config.network,
    config.optimizer,
    config.batchSize,
    state,
  );
  const evaluator = await OrtEvaluator.create(ortLike, 'wasm', config.network);
  const points: { images: number; accuracy: number; epochEnd: boolean }[] = [];
  const t0 = performance.now();
  let images = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (let step = 0; step < train.stepsPerEpoch; step++) {
      const batch = train.batch(epoch, step);
      const t = epoch * train.stepsPerEpoch + step;
      await trainer.step({ batch, lr: schedule(t), t: t + 1 });
      images += batch.size;
      const last = step === train.stepsPerEpoch - 1;
      const mid = (step + 1) % Math.ceil(train.stepsPerEpoch / evalEvery) === 0;
      if (last || mid) {
        const r = await evaluate(evaluator, await trainer.read(), data.test);
        points.push({ images, accuracy: r.testAccuracy, epochEnd: last });
        console.log(
          `seed ${seed} epoch ${(t + 1) / train.stepsPerEpoch} images ${images} lr ${schedule(t).toPrecision(3)} test ${(100 * r.testAccuracy).toFixed(2)}%`,
        );
      }
    }
  }
  const ends = points.filter((p) => p.epochEnd);
  const first = (goal: number, ps: typeof points) =>
    ps.find((p) => p.accuracy >= goal - 1e-9)?.images ?? null;
  console.log(
    JSON.stringify({
      run,
      seed,
      to98: first(0.98, ends),
      to985: first(0.985, ends),
      anyTo985: first(0.985, points),
      best: Math.max(...ends.map((p) => p.accuracy)),
      final: ends.at(-1)!.accuracy,
      seconds: +((performance.now() - t0) / 1000).toFixed(1),
    }),
  );
  await trainer.release();
  await evaluator.release();
}
