// `npm run bench`: training and inference speed of the TensorFlow.js MNIST tutorial net at batch 64
// in headless Chromium, repeated (default 3 times; every row gets its median and range):
//  - ConvBook's training lab on ORT wasm at 1 and 2 threads: wall clock as a reader's lab runs
//    (cross-checks, evaluations, checkpoints) and its training steps alone (in the worker);
//    inference through the engine worker;
//  - in the same repeat, plain ORT sessions in a page (bench/browser): the forward graph, whose
//    rate × (forward / training-step multiply-adds) is the ceiling a training step could reach,
//    ConvBook's training graph and a textbook one;
//  - the reference engine, a textbook JS implementation, ConvNetJS and TensorFlow.js (CPU);
//  - lesson 9's default run exactly as the lab starts it: wall time to 98 % and 98.5 %;
//  - once: ORT WebGPU (SwiftShader here: the CPU emulating a GPU, correct but not representative),
//    lesson 12's default run and lesson 14's race.
// Printed as tables (report.mjs) and written to bench/results/bench.json.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, assertChromiumInstalled } from '../tests/e2e/browser.ts';
import { serveStatic } from '../tests/e2e/server.ts';
import { deeperBench } from './deeper.ts';
import { printReport } from './report.mjs';

const BATCH = 64;
const args = process.argv.slice(2);
const has = (flag) => args.includes(flag);
const quick = has('--quick');
const repeatsArg = args.find((a) => a.startsWith('--repeats='));
const REPEATS = repeatsArg ? Number(repeatsArg.split('=')[1]) : quick ? 1 : 3;
const STEPS = quick ? 5 : 100;
// 300 warm-up steps: Chromium moves ORT's hot wasm functions to its optimising tier only after
// they have run a while (in-worker at 2 threads: 2,075 img/s after 5 warm-up steps, 3,516 after
// 60, 4,818 after 400).
const WARMUP = quick ? 5 : 300;
const PEER_STEPS = quick ? 2 : 20;
const THREADS = [1, 2];

assertChromiumInstalled();
if (!existsSync('dist/index.html'))
  throw new Error('npm run bench needs a built site: npm run build');
if (!existsSync('tests/e2e/.harness-dist/index.html') || has('--rebuild'))
  execSync('npm run build:harness', { stdio: 'inherit' });
if (!existsSync('bench/.dist/index.html') || has('--rebuild'))
  execSync('npm run build:bench', { stdio: 'inherit' });
const server = await serveStatic('dist', {
  '/__harness/': 'tests/e2e/.harness-dist',
  '/__bench/': 'bench/.dist',
});
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

/** One configuration in a fresh page of the harness or the peers' page (`window.harness` / `window.bench`). */
async function inPage(where, fn, arg) {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error (${where}):`, e.stack ?? e.message));
  await page.goto(`${server.url}/${where}/`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  try {
    return await page.evaluate(fn, arg);
  } finally {
    await page.close();
  }
}

/** samples[key] = one number per repeat. */
const samples = {};
const add = (key, value) => (samples[key] ??= []).push(value);
const macs = await inPage('__bench', () => window.bench.stepMacs());

for (let rep = 0; rep < REPEATS; rep++) {
  console.log(`repeat ${rep + 1} of ${REPEATS} (load average ${loadavg()[0].toFixed(2)})`);
  for (const threads of THREADS) {
    const lab = await inPage(
      '__harness',
      async ({ threads, BATCH, STEPS, WARMUP }) => {
        const used = await window.harness.configureEngine(threads);
        const train = await window.harness.benchTrain('wasm', BATCH, STEPS, WARMUP, used);
        const infer = await window.harness.benchInfer('wasm', BATCH, STEPS * 2, WARMUP);
        return { used, train, infer };
      },
      { threads, BATCH, STEPS, WARMUP },
    );
    if (lab.used !== threads) throw new Error(`asked for ${threads} threads, ORT used ${lab.used}`);
    const plain = await inPage(
      '__bench',
      async ({ threads, BATCH, STEPS, WARMUP }) => ({
        infer: await window.bench.plainInfer(threads, BATCH, STEPS * 2, WARMUP),
        convbook: await window.bench.plainTrain(threads, BATCH, STEPS, WARMUP, 'convbook'),
        textbook: await window.bench.plainTrain(threads, BATCH, STEPS, WARMUP, 'textbook'),
      }),
      { threads, BATCH, STEPS, WARMUP },
    );
    const ceiling = (plain.infer.imagesPerSecond * macs.forward) / macs.training;
    add(`wall.${threads}`, lab.train.imagesPerSecond);
    add(`worker.${threads}`, lab.train.workerImagesPerSecond);
    add(`plainConvbook.${threads}`, plain.convbook.imagesPerSecond);
    add(`plainTextbook.${threads}`, plain.textbook.imagesPerSecond);
    add(`ceiling.${threads}`, ceiling);
    add(`toCeiling.${threads}`, lab.train.workerImagesPerSecond / ceiling);
    add(`inferWorker.${threads}`, lab.infer.imagesPerSecond);
    add(`inferPlain.${threads}`, plain.infer.imagesPerSecond);
    add(`inferRatio.${threads}`, lab.infer.imagesPerSecond / plain.infer.imagesPerSecond);
  }
  const ref = await inPage('__harness', (b) => window.harness.benchReference(b, 20, 10), BATCH);
  add('reference', ref.trainImagesPerSecond);
  const peers = await inPage(
    '__bench',
    async ({ BATCH, PEER_STEPS }) => ({
      naive: await window.bench.naiveTrain(BATCH, PEER_STEPS, 2),
      convnetjs: await window.bench.convnetjsTrain(BATCH, PEER_STEPS, 2),
      tfjs: await window.bench.tfjsTrain(BATCH, PEER_STEPS, 2),
    }),
    { BATCH, PEER_STEPS },
  );
  for (const [name, r] of Object.entries(peers)) add(name, r.imagesPerSecond);
  for (const name of ['wall.2', 'worker.2', 'plainTextbook.2', 'naive', 'convnetjs', 'tfjs'])
    add(`convbookOver.${name}`, samples['worker.2'].at(-1) / samples[name].at(-1));
  // Lesson 9's default run on 2 wasm threads, from Start until 98.5 % or the run's end: cold (a
  // fresh worker) and warm (after the warm-up a reader's lab runs while the page is read).
  for (const mode of has('--no-lab') ? [] : ['cold', 'warm']) {
    const run = await inPage(
      '__harness',
      async (warm) => {
        const h = window.harness;
        const r = await h.labRun(h.defaultLabConfig('wasm'), {
          untilAccuracy: 0.985,
          timeoutMs: 400_000,
          threads: 2,
          warm,
        });
        const progress = r.events.filter((e) => e.kind === 'progress');
        const evals = r.events.filter((e) => e.kind === 'eval');
        const first = (target) => {
          const hit = evals.find((e) => e.testAccuracy >= target);
          if (!hit) return null;
          const trained = progress.filter((p) => p.index < hit.index).at(-1);
          return { epoch: hit.epoch, wall: hit.wallMs / 1000, training: trained?.seconds ?? null };
        };
        return {
          at98: first(0.98),
          at985: first(0.985),
          perEpoch: evals.map((e) => e.testAccuracy),
        };
      },
      mode === 'warm',
    );
    add(`labPerEpoch.${mode}`, run.perEpoch);
    for (const [key, hit] of [
      ['lab98', run.at98],
      ['lab985', run.at985],
    ]) {
      add(`${key}.${mode}.wall`, hit?.wall ?? null);
      add(`${key}.${mode}.training`, hit?.training ?? null);
      add(`${key}.${mode}.epoch`, hit?.epoch ?? null);
    }
  }
}

let webgpu = null;
if (!has('--no-webgpu')) {
  webgpu = await inPage(
    '__harness',
    async ({ BATCH }) => {
      const train = await window.harness.benchTrain('webgpu', BATCH, 2, 1);
      const infer = await window.harness.benchInfer('webgpu', BATCH, 3, 1);
      const adapter = (await window.harness.probeBackends()).find((s) => s.name === 'webgpu');
      return { train, infer, adapter: adapter?.detail ?? '' };
    },
    { BATCH },
  );
}
// Lesson 12's default run (sceneDetectNet, Adam) on 2 wasm threads: the held-out scenes' mean
// IoU and mAP@0.5 after each epoch against seconds of training.
const scenes =
  has('--no-lab') || has('--no-scenes')
    ? null
    : await inPage('__harness', async () => {
        const h = window.harness;
        h.labOpen('bench-scenes');
        h.labSend({ kind: 'debug', action: 'wasm-threads', threads: 2 });
        h.labSend({ kind: 'start', config: h.sceneLabConfig('wasm') });
        await h.labWait(
          [
            { kind: 'status', state: 'done' },
            { kind: 'status', state: 'stopped-nan' },
          ],
          400_000,
        );
        const events = h.labEvents();
        const progress = events.filter((e) => e.kind === 'progress');
        return events
          .filter((e) => e.kind === 'eval' && e.segmentation)
          .map((e) => ({
            epoch: e.epoch,
            seconds: progress.filter((p) => p.index < e.index).at(-1)?.seconds ?? null,
            meanIou: e.segmentation.meanIou,
            map: e.segmentation.map,
            pixelAccuracy: e.segmentation.pixelAccuracy,
          }));
      });
await browser.close();
await server.close();
// Lesson 14: plain vs skips in the same time each, in Node after the browser has closed.
const deeper = has('--no-deeper') ? null : deeperBench(quick ? 3 : 15);

const result = {
  date: new Date().toISOString(),
  batch: BATCH,
  cores: cpus().length,
  repeats: REPEATS,
  macs,
  samples,
  webgpu,
  scenes,
  deeper,
};
printReport(result);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/bench.json', JSON.stringify(result, null, 2) + '\n');
console.log('\nwritten: bench/results/bench.json');
