import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMnist, defaultSourceDir } from '../../../scripts/build-mnist.mjs';
import type { MnistManifest } from '../../../src/data/load.ts';
import { parseMnistBin } from '../../../src/data/mnist.ts';
import { planSplit, trainCountsPerClass } from '../../../src/data/split.ts';

const HEADER = 80;
const PIXELS = 784;

describe('buildMnist(options)', () => {
  let dirA: string;
  let dirB: string;
  let bin: Uint8Array;
  let manifest: MnistManifest;
  let sources: number[][];

  beforeAll(async () => {
    dirA = await mkdtemp(join(tmpdir(), 'convbook-mnist-a-'));
    dirB = await mkdtemp(join(tmpdir(), 'convbook-mnist-b-'));
    await buildMnist({ outDir: dirA });
    await buildMnist({ outDir: dirB });
    bin = new Uint8Array(await readFile(join(dirA, 'mnist.bin')));
    manifest = JSON.parse(await readFile(join(dirA, 'mnist.json'), 'utf8'));
    sources = [];
    for (let d = 0; d < 10; d++) {
      sources.push(JSON.parse(await readFile(join(defaultSourceDir(), `${d}.json`), 'utf8')).data);
    }
  });
  afterAll(async () => {
    await rm(dirA, { recursive: true, force: true });
    await rm(dirB, { recursive: true, force: true });
  });

  it('writes the documented header', () => {
    const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
    expect(String.fromCharCode(...bin.subarray(0, 4))).toBe('CBMN');
    expect(view.getUint16(4, true)).toBe(1); // version
    expect(view.getUint16(6, true)).toBe(HEADER);
    expect(view.getUint16(8, true)).toBe(28);
    expect(view.getUint16(10, true)).toBe(28);
    expect(view.getUint16(12, true)).toBe(10);
    expect(view.getUint32(16, true)).toBe(8000);
    expect(view.getUint32(20, true)).toBe(2000);
    expect(view.getUint32(24, true)).toBe(1998);
    expect(bin.length).toBe(HEADER + 10_000 * (PIXELS + 1));
  });

  it('splits every class 80/20 into 8,000 train and 2,000 test digits', () => {
    const data = parseMnistBin(bin);
    expect(data.train.count).toBe(8000);
    expect(data.test.count).toBe(2000);
    const sizes = sources.map((s) => s.length / PIXELS);
    expect(sizes.reduce((a, b) => a + b)).toBe(10_000);
    for (let d = 0; d < 10; d++) {
      const train = data.train.labels.filter((l) => l === d).length;
      const test = data.test.labels.filter((l) => l === d).length;
      expect(train + test).toBe(sizes[d]);
      expect(Math.abs(train - 0.8 * sizes[d])).toBeLessThan(1);
      expect(data.train.perClass[d]).toBe(train);
      expect(manifest.train.perClass[d]).toBe(train);
      expect(manifest.test.perClass[d]).toBe(test);
    }
    expect(manifest.train.perClass).toEqual([801, 902, 793, 826, 784, 690, 811, 856, 755, 782]);
    expect(manifest.test.perClass).toEqual([200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
  });

  it('gives identical bytes on two runs', async () => {
    const other = new Uint8Array(await readFile(join(dirB, 'mnist.bin')));
    expect(Buffer.compare(bin, other)).toBe(0);
  });

  it('records the size and sha256 of mnist.bin in mnist.json', () => {
    expect(manifest.bytes).toBe(bin.length);
    expect(manifest.sha256).toBe(createHash('sha256').update(bin).digest('hex'));
    expect(manifest.count).toBe(10_000);
    expect(manifest.gzipBytes).toBeGreaterThan(0);
    expect(manifest.gzipBytes).toBeLessThan(bin.length);
  });

  it('stores the first train image as round(255·v) of the source entry the plan names', () => {
    const plan = planSplit(sources.map((s) => s.length / PIXELS));
    const { label, index } = plan.train[0];
    const data = parseMnistBin(bin);
    expect(data.train.labels[0]).toBe(label);
    const expected = sources[label]
      .slice(index * PIXELS, (index + 1) * PIXELS)
      .map((v) => Math.round(255 * v));
    expect(Array.from(data.train.images.subarray(0, PIXELS))).toEqual(expected);
    // And no other source digit of that class has the same pixels (the match is not a fluke).
    const matches = [];
    for (let i = 0; i < sources[label].length / PIXELS; i++) {
      const same = expected.every((v, p) => Math.round(255 * sources[label][i * PIXELS + p]) === v);
      if (same) matches.push(i);
    }
    expect(matches).toEqual([index]);
  });

  it('stores every digit of the plan with its label, train first then test', () => {
    const plan = planSplit(sources.map((s) => s.length / PIXELS));
    const data = parseMnistBin(bin);
    const check = (refs: { label: number; index: number }[], split: typeof data.train) => {
      refs.forEach(({ label, index }, k) => {
        expect(split.labels[k]).toBe(label);
        // Spot-check one ink pixel per image: its brightest source pixel.
        const src = sources[label].slice(index * PIXELS, (index + 1) * PIXELS);
        const p = src.indexOf(Math.max(...src));
        expect(split.images[k * PIXELS + p]).toBe(Math.round(255 * src[p]));
      });
    };
    check(plan.train, data.train);
    check(plan.test, data.test);
  });

  it('skips the work when the outputs are newer than the inputs', async () => {
    const before = (await stat(join(dirA, 'mnist.bin'))).mtimeMs;
    const result = await buildMnist({ outDir: dirA });
    expect(result.skipped).toBe(true);
    expect((await stat(join(dirA, 'mnist.bin'))).mtimeMs).toBe(before);
  });
});

describe('trainCountsPerClass(classSizes, trainTotal)', () => {
  it('adds up to trainTotal, giving the rounding to the largest remainders', () => {
    expect(trainCountsPerClass([5, 5], 8)).toEqual([4, 4]);
    expect(trainCountsPerClass([3, 3, 4], 8)).toEqual([3, 2, 3]); // 2.4, 2.4, 3.2 → ties: lower first
    expect(trainCountsPerClass([1001, 1127], 1702).reduce((a, b) => a + b)).toBe(1702);
  });
});

describe('planSplit(classSizes, seed)', () => {
  it('is a function of the seed', () => {
    const a = planSplit([50, 60], 1, 88);
    expect(planSplit([50, 60], 1, 88)).toEqual(a);
    expect(planSplit([50, 60], 2, 88).train).not.toEqual(a.train);
    expect(a.trainPerClass).toEqual([40, 48]);
    expect(a.train.filter((r) => r.label === 1)).toHaveLength(48);
  });
});
