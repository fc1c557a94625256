import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMnist } from '../../../scripts/build-mnist.mjs';
import { forward, tinyNet } from '../../../src/cnn/index.ts';
import { parseMnistBin } from '../../../src/data/mnist.ts';
import type { MnistDataset } from '../../../src/data/mnist.ts';
import { checkRequest } from '../../../src/widgets/cell/check';
import { createNetApi } from '../../../src/widgets/cell/worker/net';
import { OpRecorder } from '../../../src/widgets/cell/worker/record';
import { errorsOnOrt } from './ort-check';

let dir = '';
let data: MnistDataset;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convbook-cell-net-'));
  await buildMnist({ outDir: dir });
  data = parseMnistBin(await readFile(join(dir, 'mnist.bin')));
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the cell trainer', () => {
  it('train(tinyNet) learns real MNIST; its held-out predict is recorded and agrees on ORT wasm', async () => {
    const rec = new OpRecorder();
    const said: string[] = [];
    const api = createNetApi(
      rec,
      (t) => said.push(t),
      async () => data,
    );
    const r = await api.train(tinyNet, { steps: 80, batchSize: 32, testCount: 200 });
    expect(r.history).toHaveLength(80);
    expect(said).toEqual([
      expect.stringMatching(/^step 20 of 80: loss \d\.\d{3}$/),
      expect.stringMatching(/^step 40 of 80/),
      expect.stringMatching(/^step 60 of 80/),
    ]);
    const first = r.history.slice(0, 10).reduce((s, h) => s + h.loss, 0) / 10;
    const last = r.history.slice(-10).reduce((s, h) => s + h.loss, 0) / 10;
    expect(last).toBeLessThan(first * 0.6);
    expect(r.testAccuracy).toBeGreaterThan(0.6);
    // Independently: the same weights on the same 200 test digits.
    const test = await api.digits('test', 200);
    const logits = forward(tinyNet, r.params, test.images).logits;
    let correct = 0;
    for (let n = 0; n < 200; n++) {
      const row = logits.data.subarray(n * 10, n * 10 + 10);
      if (row.indexOf(Math.max(...row)) === test.labels[n]) correct++;
    }
    expect(r.testAccuracy).toBeCloseTo(correct / 200, 6);

    expect(rec.ops.map((o) => o.op)).toEqual(['network']);
    const req = checkRequest('train', rec.ops);
    expect((await errorsOnOrt(req)).y0!.worst).toBeLessThan(1e-3);
  }, 120_000);

  it('says what is wrong with bad settings', async () => {
    const api = createNetApi(
      new OpRecorder(),
      () => {},
      async () => data,
    );
    await expect(api.train(tinyNet, { steps: 0 })).rejects.toThrow(
      'train: steps must be a whole number from 1 to 100000, got 0',
    );
    await expect(api.train(tinyNet, { trainCount: 1e6 })).rejects.toThrow(
      `train: trainCount must be a whole number from 1 to ${data.train.count}, got 1000000`,
    );
  });
});
