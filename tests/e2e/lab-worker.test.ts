/**
 * The training lab's worker in a real browser (issue 6, engine side), driven through the harness
 * (tests/e2e/harness/lab.ts): real MNIST, real ORT on wasm and WebGPU (SwiftShader here: correct
 * but slow, so its runs are short), IndexedDB checkpoints across pages.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, watchPage } from './browser';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function harnessPage(context?: BrowserContext): Promise<Page> {
  const page = await (context ?? browser).newPage();
  watchPage(page);
  await page.goto(`${baseURL}/__harness/`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  return page;
}

type Ev = Record<string, unknown> & { kind: string; index: number };
const ofKind = (events: readonly Ev[], kind: string) => events.filter((e) => e.kind === kind);

describe('lab worker on wasm', () => {
  it('the default preset reaches 98% test accuracy within 10 epochs', async () => {
    const page = await harnessPage();
    // The lab's training steps alone in this browser right now (the machine is shared), for
    // comparison.
    const raw = await page.evaluate(() => window.harness.benchTrain('wasm', 64, 20, 3));
    const r = await page.evaluate(() =>
      window.harness.labRun(window.harness.labConfig({ backend: 'wasm', epochs: 15 }), {
        untilAccuracy: 0.98,
        timeoutMs: 400_000,
      }),
    );
    const events = r.events as Ev[];
    const evals = ofKind(events, 'eval');
    const progress = ofKind(events, 'progress');
    const hit = evals.find((e) => (e.testAccuracy as number) >= 0.98);
    const at = hit ? progress.filter((p) => p.index < hit.index).at(-1) : progress.at(-1);
    const ips = Math.max(...progress.map((p) => p.imagesPerSecond as number));
    console.log(
      `wasm default preset: ${evals.map((e) => `epoch ${e.epoch} ${((e.testAccuracy as number) * 100).toFixed(2)}%`).join(', ')}; ` +
        `98% ${hit ? `at epoch ${hit.epoch} after ${(at!.seconds as number).toFixed(1)} s of training` : 'NOT reached'}; up to ${ips.toFixed(0)} images/s`,
    );
    const images = (hit!.epoch as number) * 125 * 64;
    const projected = images / raw.workerImagesPerSecond;
    console.log(
      `raw trainer now: ${raw.workerImagesPerSecond.toFixed(0)} images/s; lab: ${(images / (at!.seconds as number)).toFixed(0)} images/s over the run; ` +
        `98% took ${images} training images = ${projected.toFixed(1)} s at the raw trainer's speed here, ${(images / 6500).toFixed(1)} s at the 6,500 images/s FACTS.md measured on an idle core`,
    );
    expect(ofKind(events, 'error')).toEqual([]);
    expect(hit).toBeDefined();
    // 98% within 10 epochs (80,000 images: 12.3 s at 6,500 images/s, one idle wasm thread) …
    expect(hit!.epoch as number).toBeLessThanOrEqual(10);
    // Seconds to 98% is a speed goal, measured by `npm run bench`; this test prints it only.
    expect(evals[0]!.confusionTotal).toBe(2000);
    expect(ofKind(events, 'snapshot')[0]).toMatchObject({
      filters: [8, 1, 5, 5],
      featureMaps: [1, 8, 24, 24],
    });
    const checks = ofKind(events, 'crosscheck');
    expect(checks.length).toBeGreaterThanOrEqual(1 + evals.length - 1);
    for (const c of checks) expect(c.agree, JSON.stringify(c)).toBe(true);
    const status = ofKind(events, 'status').at(-1)!;
    expect(status.backend).toBe('wasm');
    await page.close();
  });

  it('poison-lr stops on a NaN, keeps the last good weights, and recover continues', async () => {
    const page = await harnessPage();
    const result = await page.evaluate(async () => {
      const h = window.harness;
      h.labOpen();
      h.labSend({ kind: 'start', config: h.labConfig({ backend: 'wasm' }) });
      await h.labWait([{ kind: 'progress', minStep: 25 }], 60_000);
      h.labSend({ kind: 'debug', action: 'poison-lr' });
      const nan = await h.labWait([{ kind: 'nan' }], 60_000);
      const mark = h.labEventCount();
      h.labSend({
        kind: 'predict',
        id: 1,
        pixels: Array.from({ length: 784 }, (_, i) => (i % 7) / 7),
      });
      const prediction = await h.labWait([{ kind: 'prediction', after: mark }], 30_000);
      h.labSend({ kind: 'recover', lr: 0.02 });
      const resumed = await h.labWait([{ kind: 'status', state: 'training', after: mark }], 30_000);
      const later = await h.labWait(
        [
          {
            kind: 'progress',
            minStep: ((nan?.event.lastGoodStep as number) ?? 0) + 20,
            after: mark,
          },
        ],
        60_000,
      );
      h.labSend({ kind: 'pause' });
      return {
        nan,
        prediction,
        resumed,
        later,
        events: h
          .labEvents()
          .filter((e) => e.kind !== 'data-progress')
          .map((e) =>
            e.kind === 'progress' ? { kind: e.kind, step: e.step, loss: e.trainLoss } : e,
          ),
      };
    });
    console.log(`poison-lr: ${JSON.stringify(result.nan?.event)}`);
    if (!result.prediction || !result.later) console.log(JSON.stringify(result.events));
    expect(result.nan?.event.kind).toBe('nan');
    const nan = result.nan!.event;
    expect(nan.lastGoodStep as number).toBeGreaterThanOrEqual(20);
    expect(nan.lastGoodStep as number).toBeLessThan(nan.step as number);
    const probs = result.prediction!.event.probabilities as number[];
    expect(probs.every(Number.isFinite)).toBe(true);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(result.resumed).not.toBeNull();
    expect(Number.isFinite(result.later!.event.trainLoss as number)).toBe(true);
    expect(result.later!.event.trainLoss as number).toBeLessThan(2.5);
    expect(result.later!.event.lr as number).toBeCloseTo(0.02, 6);
    expect(ofKind(result.events as Ev[], 'error')).toEqual([]);
    await page.close();
  });

  it('a few hundred steps of the small net: the loss falls and the cross-checks agree', async () => {
    const page = await harnessPage();
    const r = await page.evaluate(() =>
      window.harness.labRun(
        window.harness.labConfig({
          preset: 'small',
          backend: 'wasm',
          batchSize: 32,
          trainSubset: 3200,
          epochs: 3,
        }),
        { timeoutMs: 120_000 },
      ),
    );
    const events = r.events as Ev[];
    const last = ofKind(events, 'progress').at(-1)!;
    console.log(`wasm small: ${last.step} steps, loss ${last.firstLoss} → ${last.trainLoss}`);
    expect(last.step).toBe(300);
    expect(last.trainLoss as number).toBeLessThan((last.firstLoss as number) * 0.5);
    const checks = ofKind(events, 'crosscheck');
    expect(checks.map((c) => c.step)).toEqual([1, 100, 200, 300]);
    for (const c of checks) expect(c.agree, JSON.stringify(c)).toBe(true);
    await page.close();
  });

  it('checkpoint: a new page restores the run, with the same progress and predictions', async () => {
    const context = await browser.newContext();
    const image = Array.from({ length: 784 }, (_, i) => ((i * 37) % 101) / 100);
    const page = await harnessPage(context);
    const first = await page.evaluate(async (pixels) => {
      const h = window.harness;
      h.labOpen();
      const config = h.labConfig({ preset: 'small', batchSize: 32, trainSubset: 640, epochs: 6 });
      h.labSend({ kind: 'start', config });
      await h.labWait([{ kind: 'eval' }], 60_000);
      await h.labWait([{ kind: 'progress', minStep: 25 }], 60_000);
      const mark = h.labEventCount();
      h.labSend({ kind: 'pause' });
      const paused = await h.labWait([{ kind: 'status', state: 'paused', after: mark }], 30_000);
      const saved = h.labEvents(['saved'], mark).at(-1);
      const progress = h.labEvents(['progress']).at(-1);
      const log = h
        .labEvents()
        .filter((e) => !['progress', 'data-progress'].includes(e.kind as string));
      h.labSend({ kind: 'predict', id: 1, pixels });
      const prediction = await h.labWait([{ kind: 'prediction' }], 30_000);
      return { paused, saved, progress, prediction, log };
    }, image);
    await page.close();
    const page2 = await harnessPage(context);
    const second = await page2.evaluate(async (pixels) => {
      const h = window.harness;
      // another lab (lesson 10's slot) has no saved run: lesson 9's is not shared with it
      h.labOpen('overfit');
      h.labSend({ kind: 'restore' });
      const otherSlot = await h.labWait(
        [{ kind: 'restored' }, { kind: 'status', state: 'idle' }],
        30_000,
      );
      h.labOpen();
      h.labSend({ kind: 'restore' });
      const restored = await h.labWait([{ kind: 'restored' }], 60_000);
      await h.labWait([{ kind: 'status', state: 'paused' }], 30_000);
      h.labSend({ kind: 'predict', id: 2, pixels });
      const prediction = await h.labWait([{ kind: 'prediction' }], 30_000);
      const mark = h.labEventCount();
      h.labSend({ kind: 'resume' });
      const more = await h.labWait([{ kind: 'progress', minStep: 40, after: mark }], 60_000);
      h.labSend({ kind: 'clear' });
      const cleared = await h.labWait([{ kind: 'status', state: 'idle', after: mark }], 30_000);
      const log = h
        .labEvents()
        .filter((e) => !['progress', 'data-progress'].includes(e.kind as string));
      return { otherSlot, restored, prediction, more, cleared, log };
    }, image);
    await page2.close();
    const page3 = await harnessPage(context);
    const third = await page3.evaluate(async () => {
      const h = window.harness;
      h.labOpen();
      h.labSend({ kind: 'restore' });
      return h.labWait([{ kind: 'restored' }, { kind: 'status', state: 'idle' }], 30_000);
    });
    await context.close();
    console.log(
      `checkpoint: paused at ${first.progress?.step}, saved ${first.saved?.step}, restored ${second.restored?.event.step}`,
    );
    if (!first.saved || second.more?.event.kind !== 'progress')
      console.log(JSON.stringify(first.log), JSON.stringify(second.log));
    expect(first.saved?.step).toBe(first.progress?.step);
    expect(second.otherSlot?.event.kind).toBe('status');
    expect(second.restored?.event.step).toBe(first.progress?.step);
    expect(second.restored?.event.epoch).toBe(first.progress?.epoch);
    expect(second.prediction?.event.probabilities).toEqual(first.prediction?.event.probabilities);
    expect(second.more?.event.kind).toBe('progress');
    expect(second.cleared?.event.state).toBe('idle');
    expect(third?.event.kind).toBe('status'); // nothing left to restore
  });
});

describe('lab worker on WebGPU (SwiftShader)', () => {
  it('32 steps of the small net: the loss falls and the cross-checks agree', async () => {
    const page = await harnessPage();
    const r = await page.evaluate(() =>
      window.harness.labRun(
        window.harness.labConfig({
          preset: 'small',
          backend: 'webgpu',
          batchSize: 16,
          trainSubset: 256,
          epochs: 2,
          augmentation: { shift: 0, rotate: 0, scale: 0 },
        }),
        { timeoutMs: 170_000 },
      ),
    );
    const events = r.events as Ev[];
    const last = ofKind(events, 'progress').at(-1)!;
    const status = ofKind(events, 'status').find((s) => s.state === 'training')!;
    console.log(
      `webgpu small: ${last.step} steps in ${(last.seconds as number).toFixed(1)} s, loss ${last.firstLoss} → ${last.trainLoss}; ${JSON.stringify(ofKind(events, 'crosscheck'))}`,
    );
    expect(ofKind(events, 'error')).toEqual([]);
    expect(status.backend).toBe('webgpu');
    expect(last.step).toBe(32);
    expect(last.trainLoss as number).toBeLessThan(last.firstLoss as number);
    const checks = ofKind(events, 'crosscheck');
    expect(checks.map((c) => c.step)).toEqual([1, 16, 32]);
    for (const c of checks) {
      expect(c.backend).toBe('webgpu');
      expect(c.agree, JSON.stringify(c)).toBe(true);
    }
    await page.close();
  });

  it('losing the GPU device moves training to wasm, which carries on', async () => {
    const page = await harnessPage();
    const result = await page.evaluate(async () => {
      const h = window.harness;
      h.labOpen();
      const config = h.labConfig({
        preset: 'small',
        backend: 'webgpu',
        batchSize: 16,
        trainSubset: 256,
        epochs: 3,
      });
      h.labSend({ kind: 'start', config });
      await h.labWait([{ kind: 'progress', minStep: 4 }], 120_000);
      h.labSend({ kind: 'debug', action: 'lose-device' });
      const notice = await h.labWait([{ kind: 'notice', text: 'GPU device was lost' }], 60_000);
      const mark = notice?.index ?? 0;
      const later = await h.labWait([{ kind: 'progress', minStep: 30, after: mark }], 90_000);
      h.labSend({ kind: 'pause' });
      return {
        notice,
        later,
        statuses: h.labEvents(['status'], mark),
        checks: h.labEvents(['crosscheck'], mark),
        errors: h.labEvents(['error']),
      };
    });
    console.log(`lose-device: ${result.notice?.event.text}`);
    expect(result.errors).toEqual([]);
    expect(result.notice?.event.text).toMatch(/continues on WebAssembly from step \d+/);
    expect(result.statuses[0]).toMatchObject({ backend: 'wasm' });
    expect(Number.isFinite(result.later?.event.trainLoss as number)).toBe(true);
    expect(result.checks.length).toBeGreaterThan(0);
    for (const c of result.checks) expect(c).toMatchObject({ backend: 'wasm', agree: true });
    await page.close();
  });
});
