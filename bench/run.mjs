// `npm run bench`: training and inference speed of the TensorFlow.js MNIST tutorial net at batch 64
// in one headless Chromium run — ORT wasm on 1 thread and on all threads, ORT WebGPU, and the
// reference engine — printed as a table and written to bench/results/bench.json.
// WebGPU here is SwiftShader (the CPU emulating a GPU): correct but not representative of a GPU.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, assertChromiumInstalled } from '../tests/e2e/browser.ts';
import { serveStatic } from '../tests/e2e/server.ts';
import { deeperBench, printDeeper } from './deeper.ts';

const BATCH = 64;
assertChromiumInstalled();
if (!existsSync('tests/e2e/.harness-dist/index.html') || process.argv.includes('--rebuild')) {
  execSync('npm run build:harness', { stdio: 'inherit' });
}
const server = await serveStatic('dist', { '/__harness/': 'tests/e2e/.harness-dist' });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

/** Each configuration in a fresh page: ORT's thread count is fixed once it has loaded. */
async function inPage(fn, arg) {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${server.url}/__harness/`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  try {
    return await page.evaluate(fn, arg);
  } finally {
    await page.close();
  }
}

const rows = [];
const quick = process.argv.includes('--quick');
const steps = quick ? 5 : 100;
const warmup = quick ? 5 : 300;
for (const threads of [1, 0]) {
  const r = await inPage(
    async ({ threads, BATCH, steps, warmup }) => {
      // 0: as many as the cores allow (up to ORT's 4), not the page's default (a core fewer).
      const used = await window.harness.configureEngine(
        threads || Math.min(4, navigator.hardwareConcurrency),
      );
      // 300 warm-up steps: Chromium moves ORT's hot wasm functions to its optimising tier only
      // after they have run a while. Measured in-worker at 2 threads: 2,075 img/s after 5
      // warm-up steps, 3,516 after 60, 4,818 after 400 — the lab's steady state.
      const train = await window.harness.benchTrain('wasm', BATCH, steps, warmup, used);
      const infer = await window.harness.benchInfer('wasm', BATCH, steps * 2, warmup);
      return { used, train, infer };
    },
    { threads, BATCH, steps, warmup },
  );
  rows.push({
    engine: `ORT wasm, ${r.used} thread${r.used === 1 ? '' : 's'}`,
    train: r.train.imagesPerSecond,
    trainInWorker: r.train.workerImagesPerSecond,
    infer: r.infer.imagesPerSecond,
    msPerStep: r.train.msPerStep,
  });
}
if (!process.argv.includes('--no-webgpu')) {
  const r = await inPage(
    async ({ BATCH }) => {
      const train = await window.harness.benchTrain('webgpu', BATCH, 2, 1);
      const infer = await window.harness.benchInfer('webgpu', BATCH, 3, 1);
      const adapter = (await window.harness.probeBackends()).find((s) => s.name === 'webgpu');
      return { train, infer, adapter: adapter?.detail ?? '' };
    },
    { BATCH },
  );
  rows.push({
    engine: `ORT WebGPU (${r.adapter || 'adapter'})`,
    train: r.train.imagesPerSecond,
    trainInWorker: r.train.workerImagesPerSecond,
    infer: r.infer.imagesPerSecond,
    msPerStep: r.train.msPerStep,
  });
}
{
  const r = await inPage(({ BATCH }) => window.harness.benchReference(BATCH, 20, 10), { BATCH });
  rows.push({
    engine: 'Reference engine (TypeScript, main thread)',
    train: r.trainImagesPerSecond,
    infer: r.inferImagesPerSecond,
    msPerStep: (BATCH / r.trainImagesPerSecond) * 1000,
  });
}
// The training lab's default preset (lesson 9) on wasm, 2 threads: how long until the 2,000
// held-out digits reach 98% (issue goal: within 30 s of training on this 2-core machine).
const lab = process.argv.includes('--no-lab')
  ? null
  : await inPage(async () => {
      const h = window.harness;
      const r = await h.labRun(h.labConfig({ backend: 'wasm', epochs: 15 }), {
        untilAccuracy: 0.98,
        timeoutMs: 400_000,
        threads: 2,
      });
      const evals = r.events.filter((e) => e.kind === 'eval');
      const progress = r.events.filter((e) => e.kind === 'progress');
      const hit = evals.find((e) => e.testAccuracy >= 0.98);
      const at = hit ? progress.filter((p) => p.index < hit.index).at(-1) : progress.at(-1);
      return {
        reached: Boolean(hit),
        epoch: hit?.epoch ?? null,
        seconds: at?.seconds ?? null,
        accuracy: hit?.testAccuracy ?? Math.max(0, ...evals.map((e) => e.testAccuracy)),
        perEpoch: evals.map((e) => e.testAccuracy),
      };
    });
// Lesson 12's default run (sceneDetectNet: the segmenter with its detection head; Adam) on 2 wasm threads: the
// held-out scenes' mean IoU and mAP@0.5 after each epoch, against seconds of training (issue 12
// aims at mAP ≥ 0.9 and mean IoU ≥ 0.7 within 90 s).
const scenes = process.argv.includes('--no-lab')
  ? null
  : await inPage(async () => {
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

const fmt = (x) => Math.round(x).toLocaleString('en-US');
const width = Math.max(...rows.map((r) => r.engine.length));
console.log(
  `\nMNIST tutorial net (conv 8@5×5 → pool → conv 16@5×5 → pool → dense 10), batch ${BATCH}, Chromium, ${cpus().length} cores`,
);
console.log(
  `${'engine'.padEnd(width)} | train img/s | train img/s in worker | infer img/s | ms/train step`,
);
console.log(
  `${'-'.repeat(width)}-|-------------|-----------------------|-------------|--------------`,
);
for (const r of rows) {
  const inWorker = r.trainInWorker === undefined ? '—' : fmt(r.trainInWorker);
  console.log(
    `${r.engine.padEnd(width)} | ${fmt(r.train).padStart(11)} | ${inWorker.padStart(21)} | ${fmt(r.infer).padStart(11)} | ${r.msPerStep.toFixed(1).padStart(13)}`,
  );
}
console.log(
  "(train img/s: the training lab's worker as readers run it, wall clock with its cross-checks, " +
    'evaluations and checkpoints; in worker: its training steps alone. Reference engine: the ' +
    "page's main thread.)",
);
if (lab) {
  console.log(
    `\nTraining lab default preset (tutorial net, SGD momentum 0.9, lr 0.05 × 0.87/epoch, batch 64, ±2 px shifts), wasm:`,
  );
  console.log(
    lab.reached
      ? `  98% test accuracy at epoch ${lab.epoch} after ${lab.seconds.toFixed(1)} s of training (goal: ≤ 30 s)`
      : `  98% NOT reached; best ${(lab.accuracy * 100).toFixed(2)}%`,
  );
  console.log(
    `  test accuracy per epoch: ${lab.perEpoch.map((a) => (a * 100).toFixed(2) + '%').join(', ')}`,
  );
}
// Lesson 14: plain vs skips in the same time each, in Node after the browser has closed.
const deeper = process.argv.includes('--no-deeper') ? null : deeperBench(quick ? 3 : 15);
if (deeper) printDeeper(deeper);
if (scenes) {
  console.log(
    '\nLesson 12 default run (sceneDetectNet, Adam lr 0.005 × 0.9/epoch, batch 32, 2,048 scenes an epoch), wasm, 2 threads,',
  );
  console.log(
    '500 held-out scenes (test digits only) after each epoch (goal: mAP@0.5 ≥ 0.9, mean IoU ≥ 0.7 in 90 s):',
  );
  for (const e of scenes)
    console.log(
      `  epoch ${e.epoch}: ${e.seconds?.toFixed(1) ?? '?'} s, mean IoU ${e.meanIou.toFixed(3)}, mAP@0.5 ${e.map.toFixed(3)}, pixel accuracy ${(e.pixelAccuracy * 100).toFixed(1)}%`,
    );
}
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/bench.json',
  JSON.stringify(
    { date: new Date().toISOString(), batch: BATCH, cores: cpus().length, rows, scenes, deeper },
    null,
    2,
  ) + '\n',
);
console.log('\nwritten: bench/results/bench.json');
