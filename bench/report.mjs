// Prints `npm run bench`'s results (bench/run.mjs): each figure as the median of its repeats with
// the range beside it, ratios taken within one repeat before the median.
import { printDeeper } from './deeper.ts';

const int = (x) => Math.round(x).toLocaleString('en-US');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** "7,137 (6,900–7,300)": median and range of the non-null samples; "—" when there are none. */
export function stat(xs, f = int) {
  const v = (xs ?? []).filter((x) => x !== null && Number.isFinite(x));
  if (v.length === 0) return '—';
  if (v.length === 1) return f(v[0]);
  return `${f(median(v))} (${f(Math.min(...v))}–${f(Math.max(...v))})`;
}

function table(head, rows) {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells) =>
    cells.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join(' | ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

export function printReport({ samples: s, repeats, cores, batch, macs, webgpu, scenes, deeper }) {
  const x = (r) => `${r.toFixed(2)}×`;
  const pct = (r) => `${(100 * r).toFixed(0)} %`;
  const sec = (v) => `${v.toFixed(1)} s`;
  console.log(
    `\nMNIST tutorial net (conv 8@5×5 → pool → conv 16@5×5 → pool → dense 10), batch ${batch}, ` +
      `Chromium, ${cores} cores; median (range) of ${repeats} repeat${repeats === 1 ? '' : 's'}`,
  );
  console.log(
    `Multiply-adds per image: forward ${int(macs.forward)}, training step ${int(macs.training)} ` +
      `(${(macs.training / macs.forward).toFixed(2)}× the forward).\n`,
  );
  console.log('Training, images/s');
  const both = (key, f) => [stat(s[`${key}.1`], f), stat(s[`${key}.2`], f)];
  table(
    ['', '1 thread', '2 threads'],
    [
      ['ConvBook lab, wall clock (page-driven, as readers run it)', ...both('wall')],
      ['ConvBook lab, training steps in its worker', ...both('worker')],
      ['plain ORT session in the page, ConvBook’s graph', ...both('plainConvbook')],
      ['plain ORT session in the page, textbook graph', ...both('plainTextbook')],
      ['ceiling: ORT inference rate × forward / step multiply-adds', ...both('ceiling')],
      ['ConvBook in worker ÷ ceiling (within each repeat)', ...both('toCeiling', pct)],
      ['reference engine (TypeScript, main thread)', stat(s.reference), ''],
      ['textbook JavaScript (main thread)', stat(s.naive), ''],
      ['ConvNetJS 0.3 (main thread)', stat(s.convnetjs), ''],
      ['TensorFlow.js 4.22, CPU backend (main thread)', stat(s.tfjs), ''],
    ],
  );
  console.log('\nConvBook’s lab in worker, 2 threads, over each (within each repeat)');
  table(
    ['over', 'ratio'],
    [
      ['its own wall clock', stat(s['convbookOver.wall.2'], x)],
      ['a plain ORT session of the textbook graph', stat(s['convbookOver.plainTextbook.2'], x)],
      ['textbook JavaScript', stat(s['convbookOver.naive'], x)],
      ['ConvNetJS', stat(s['convbookOver.convnetjs'], x)],
      ['TensorFlow.js (CPU)', stat(s['convbookOver.tfjs'], x)],
    ],
  );
  console.log('\nInference, images/s (logits and probabilities)');
  table(
    ['', '1 thread', '2 threads'],
    [
      ['through ConvBook’s engine worker', ...both('inferWorker')],
      ['plain ORT session in the page', ...both('inferPlain')],
      ['worker ÷ plain (within each repeat; goal ≥ 95 %)', ...both('inferRatio', pct)],
    ],
  );
  if (s['lab98.cold.wall']) {
    console.log(
      '\nLesson 9’s default run (the lab’s own settings), wasm, 2 threads, from Start; cold: a fresh\n' +
        'worker; warm: after the warm-up a reader’s lab runs while the page is read',
    );
    const row = (target, key, mode) => [
      `${target}, ${mode}`,
      stat(s[`${key}.${mode}.epoch`], String),
      stat(s[`${key}.${mode}.wall`], sec),
      stat(s[`${key}.${mode}.training`], sec),
    ];
    table(
      ['target', 'epoch', 'wall clock', 'training steps'],
      [
        row('98 %', 'lab98', 'cold'),
        row('98 %', 'lab98', 'warm'),
        row('98.5 % (goal ≤ 12 s wall)', 'lab985', 'cold'),
        row('98.5 % (goal ≤ 12 s wall)', 'lab985', 'warm'),
      ],
    );
    for (const mode of ['cold', 'warm']) {
      const missed = s[`lab985.${mode}.wall`].filter((v) => v === null).length;
      if (missed) console.log(`  ${mode}: 98.5 % not reached in ${missed} of ${repeats} runs`);
      for (const [i, epochs] of s[`labPerEpoch.${mode}`].entries())
        console.log(
          `  ${mode} run ${i + 1}, test accuracy per epoch: ${epochs.map((a) => (a * 100).toFixed(2)).join(', ')} %`,
        );
    }
  }
  if (webgpu)
    console.log(
      `\nORT WebGPU (${webgpu.adapter || 'adapter'}), once: training ${int(webgpu.train.imagesPerSecond)} img/s, ` +
        `inference ${int(webgpu.infer.imagesPerSecond)} img/s (SwiftShader emulates the GPU on the CPU)`,
    );
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
}
