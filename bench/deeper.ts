/**
 * Lesson 14's bench row: the plain network and the same network with skips, each trained for
 * the same wall-clock time on the reference engine (Node, one thread) on the same batches from
 * the same weights, then tested on the 2,000 held-out digits. Run alone with
 * `node_modules/.bin/node bench/deeper.ts [seconds]`; `npm run bench` calls deeperBench.
 */
import { readFileSync } from 'node:fs';
import { parseMnistBin } from '../src/data/mnist.ts';
import { deepNet } from '../src/widgets/deeper/nets.ts';
import { batchPlan, trainNet } from '../src/widgets/deeper/train.ts';
import type { RunSettings } from '../src/widgets/deeper/train.ts';

export interface DeeperRow {
  readonly settings: string;
  readonly seconds: number;
  readonly plain: { readonly steps: number; readonly accuracy: number | null };
  readonly skip: { readonly steps: number; readonly accuracy: number | null };
}

const CONFIGS: readonly (Pick<RunSettings, 'activation' | 'scale'> & { readonly label: string })[] =
  [
    { activation: 'relu', scale: 0.5, label: 'ReLU, 0.5 × He (the figure’s default)' },
    { activation: 'relu', scale: 1, label: 'ReLU, He' },
  ];

export function deeperBench(seconds = 15): DeeperRow[] {
  const { train, test } = parseMnistBin(readFileSync('public/data/mnist.bin'));
  return CONFIGS.map(({ activation, scale, label }) => {
    const s: RunSettings = {
      depth: 10,
      activation,
      scale,
      skips: true,
      steps: 0,
      lr: 0.05,
      batch: 16,
      seed: 1,
    };
    const plan = batchPlan(train.count, 5000, s.batch, s.seed);
    const run = (skips: boolean) => {
      const r = trainNet(deepNet({ depth: s.depth, activation, skips }), s, plan, train, test, {
        budgetMs: seconds * 1000,
        testDigits: test.count,
      });
      return { steps: r.losses.length, accuracy: r.testAccuracy };
    };
    return {
      settings: `depth 10, ${label}, batch 16, SGD 0.05`,
      seconds,
      plain: run(false),
      skip: run(true),
    };
  });
}

export function printDeeper(rows: readonly DeeperRow[]): void {
  const pct = (a: number | null) => (a === null ? 'diverged' : `${(a * 100).toFixed(1)}%`);
  console.log(
    '\nLesson 14: plain vs skips, the same time each (reference engine, Node, 1 thread), 2,000 held-out digits',
  );
  for (const r of rows)
    console.log(
      `  ${r.settings}, ${r.seconds} s: plain ${pct(r.plain.accuracy)} (${r.plain.steps} steps), with skips ${pct(r.skip.accuracy)} (${r.skip.steps} steps)`,
    );
}

if (import.meta.url === `file://${process.argv[1]}`)
  printDeeper(deeperBench(Number(process.argv[2] ?? 15)));
