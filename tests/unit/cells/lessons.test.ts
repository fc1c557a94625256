/**
 * Every cell in every lesson, run as the page would (sucrase, the API in scope) but in Node,
 * with the MNIST asset built into a temporary folder: none throws, each shows something, the
 * exercise starters fail their checker (the reader's part is missing) and every other cell's
 * recorded calls are there for ORT to check.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transform } from 'sucrase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMnist } from '../../../scripts/build-mnist.mjs';
import { parseMnistBin } from '../../../src/data/mnist.ts';
import type { MnistDataset } from '../../../src/data/mnist.ts';
import { sampleDigits } from '../../../src/data/mnist-sample.ts';
import { API_NAMES } from '../../../src/widgets/cell/api-names';
import type { CellMessage, Output } from '../../../src/widgets/cell/protocol';
import { createApi } from '../../../src/widgets/cell/worker/api';
import { OpRecorder } from '../../../src/widgets/cell/worker/record';

interface LessonCell {
  lesson: string;
  name: string;
  code: string;
  digits: [number, number][];
}

/** The cells of a lesson's MDX: name, digits and code (the template literal evaluated). */
function cellsOf(lesson: string, mdx: string): LessonCell[] {
  return [...mdx.matchAll(/<Cell\s[\s\S]*?code=\{`([\s\S]*?)`\}\s*\/>/g)].map((m) => {
    const tag = m[0];
    const raw = m[1]!.replace(/\\`/g, '`').replace(/\\\$/g, '$');
    const digits = /digits=\{(\[[\s\S]*?\]\])\}/.exec(tag)?.[1];
    return {
      lesson,
      name: /name="([^"]+)"/.exec(tag)![1]!,
      code: raw,
      digits: digits ? (JSON.parse(digits) as [number, number][]) : [],
    };
  });
}

let dir = '';
let data: MnistDataset;
const cells: LessonCell[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convbook-lesson-cells-'));
  await buildMnist({ outDir: dir });
  data = parseMnistBin(await readFile(join(dir, 'mnist.bin')));
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const lessonDir = join(import.meta.dirname, '../../../content/lessons');
const files = (await readdir(lessonDir)).filter((f) => f.endsWith('.mdx')).sort();
for (const f of files) cells.push(...cellsOf(f, await readFile(join(lessonDir, f), 'utf8')));

async function runCell(cell: LessonCell) {
  const rec = new OpRecorder();
  const outputs: Output[] = [];
  const post = (m: CellMessage) => m.kind === 'output' && outputs.push(m.output);
  const api = createApi(rec, post, { digits: sampleDigits(cell.digits) }, async () => data);
  const { code } = transform(cell.code, { transforms: ['typescript'] });
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<unknown>;
  const body = new AsyncFunction(...API_NAMES, code);
  await body(...API_NAMES.map((n) => (api as Record<string, unknown>)[n]));
  return { outputs, rec };
}

describe('the lessons’ cells', () => {
  it('every lesson has at least one cell', () => {
    const lessons = new Set(cells.map((c) => c.lesson));
    expect(files.length).toBeGreaterThanOrEqual(15);
    expect([...lessons].sort()).toEqual(files);
  });

  for (const cell of cells) {
    const exercise = cell.name.endsWith('-exercise');
    it(`${cell.lesson} ${cell.name} runs${exercise ? ' and its starter fails the checker' : ''}`, async () => {
      const { outputs, rec } = await runCell(cell);
      expect(outputs.length).toBeGreaterThan(0);
      const checks = outputs.filter((o) => o.kind === 'check');
      if (exercise) {
        expect(checks.length).toBeGreaterThan(0);
        expect(checks.some((c) => !c.pass)).toBe(true);
      } else expect(checks).toEqual([]);
      // Only lesson 12's boxes compute nothing an engine op records.
      if (cell.name !== 'nms-code') expect(rec.ops.length).toBeGreaterThan(0);
    }, 60_000);
  }
});
