/**
 * Lessons 9 and 10 in a real Chromium with the real lab worker: the training lab dashboard and the
 * drawing pad. What is checked, independently of the page's code where it can be:
 *
 * - the default settings (tutorial net, momentum 0.9, lr 0.05 falling linearly to 0, batch 64,
 *   ±2 px shifts, 8 epochs) on wasm reach ≥ 98% test accuracy (time to 98% is measured by `npm run bench`; the
 *   first epoch end at ≥ 98%, read from the dashboard's training seconds);
 * - the confusion matrix's 100 counts add up to the 2,000 test digits, and its diagonal over 2,000
 *   equals the reported test accuracy;
 * - a short WebGPU run (tiny net, 640 digits, 1 epoch = 10 steps) is cross-checked against the reference
 *   engine (data-agree="true") and its loss falls below chance level, ln 10 ≈ 2.303;
 * - bad settings (lr "abc", batch 0, epochs 1000) show messages and nothing starts;
 * - a huge learning rate stops on NaN with the explanation, and recovery continues training;
 * - a reload after an epoch offers the saved run at that epoch, and Resume continues it;
 * - a vertical stroke drawn with the mouse gets 10 probabilities summing to 1;
 * - export downloads a non-empty convbook-mnist.onnx (a protobuf ModelProto: first byte 0x08, the
 *   ir_version field).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { watchLongTasks, watchPage } from './browser';
import { chromiumPerFile } from './widgets';

const axeSource: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
const baseURL = inject('baseURL');
const browser = chromiumPerFile();

const LAB = '[data-widget="training-lab"]';
const PAD = '[data-widget="draw-pad"]';

async function open(page: Page, lesson: string, query: string): Promise<void> {
  await page.goto(`${baseURL}/lessons/${lesson}/?${query}`);
  await page.locator(LAB).scrollIntoViewIfNeeded();
  // The lab answers `restore` with a status (idle, or the saved run's state).
  await page.locator(`${LAB} [data-backends] li[data-backend-status]`).first().waitFor();
}

const attr = async (page: Page, name: string, sel = LAB) =>
  (await page.locator(sel).first().getAttribute(`data-${name}`)) ?? '';

async function waitState(page: Page, states: string[], timeout = 170_000): Promise<string> {
  const selector = states.map((s) => `${LAB}[data-state="${s}"]`).join(', ');
  await page.locator(selector).first().waitFor({ timeout });
  return attr(page, 'state');
}

/** The messages shown next to the settings fields, as "field: message". */
const fieldErrors = (page: Page) =>
  page
    .locator(`${LAB} form [data-error]`)
    .evaluateAll((els) =>
      els
        .filter((el) => (el.textContent ?? '').trim() !== '')
        .map((el) => `${(el as HTMLElement).dataset.error}: ${el.textContent}`),
    );

/** Pause a run that may already have finished (a click on a disabled Pause would wait). */
async function pauseIfBusy(page: Page): Promise<void> {
  await page.$eval(`${LAB} [data-action="pause"]`, (b) => {
    if (!(b as HTMLButtonElement).disabled) (b as HTMLButtonElement).click();
  });
  await waitState(page, ['paused', 'done']);
}

async function fill(page: Page, name: string, value: string): Promise<void> {
  await page.locator(`${LAB} [name="${name}"]`).first().fill(value);
}

describe('lesson 9: training lab on wasm', () => {
  it('reaches ≥ 98% test accuracy with the defaults, then reads a drawn 1 and exports', async () => {
    const context = await browser().newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const problems = watchPage(page);
    const long = watchLongTasks(page);
    await open(page, 'train-a-cnn', 'backend=wasm');
    await page.locator(`${LAB} [data-action="start"]`).click();
    await waitState(page, ['training']);
    const trainingFrom = await long.start();
    expect(await attr(page, 'backend')).toBe('wasm');
    // Every epoch end: the test accuracy and the training seconds the dashboard shows.
    const ends: { epoch: number; seconds: number; accuracy: number; ips: number }[] = [];
    const deadline = Date.now() + 400_000;
    while (Date.now() < deadline) {
      const d = await page
        .locator(LAB)
        .evaluate((e) => ({ ...(e as HTMLElement).dataset }) as Record<string, string>);
      const epoch = Number(d.evalEpoch);
      if (d.evalEpoch && !ends.some((x) => x.epoch === epoch))
        ends.push({
          epoch,
          seconds: Number(d.seconds),
          accuracy: Number(d.testAccuracy),
          ips: Number(d.imagesPerSecond),
        });
      if (['done', 'error', 'stopped-nan'].includes(d.state)) break;
      await page.waitForTimeout(250);
    }
    for (const e of ends)
      console.log(
        `lesson 9 default run on wasm: epoch ${e.epoch}, ${e.seconds.toFixed(1)} s of training, test accuracy ${(e.accuracy * 100).toFixed(2)}%, ${e.ips} images/s`,
      );
    expect(await attr(page, 'state')).toBe('done');
    // Smooth while it trains: the page redraws at most four times a second, each chart in a task
    // of its own, dense maps on canvases, and the worker leaves a core to the page. Before that
    // (a redraw per frame, 5,408 feature-map elements) a 20 s run had 88 tasks over 50 ms (4.4
    // a second) and blocked the page 27 % of the time; after, 4–13 in 40 s, 1–2 %. The aim, none
    // over 50 ms, is `npm run bench:page`'s: on a loaded machine a task also waits for a core,
    // and one such wait decides a task's length, so this asserts the rate and the share.
    const t = await long.since(trainingFrom);
    console.log(`lesson 9 default run, long tasks: ${JSON.stringify(t)}`);
    expect(t.count / (t.watchedMs / 1000), 'tasks over 50 ms a second').toBeLessThan(1);
    expect(t.blockedMs / t.watchedMs, 'main thread blocked past 50 ms').toBeLessThan(0.03);
    const accuracy = Number(await attr(page, 'test-accuracy'));
    expect(Number(await attr(page, 'epoch'))).toBe(8);
    // In Node on one wasm thread this run ends at 98.65% (docs/benchmarks.md, "Time to
    // accuracy"); another thread count rounds differently and other seeds end at 98.15–98.75%,
    // so 98% is what is asserted.
    expect(accuracy).toBeGreaterThanOrEqual(0.98);
    const first98 = ends.find((e) => e.accuracy >= 0.98);
    expect(first98, 'an epoch end at ≥ 98%').toBeDefined();
    // The 30 s goal is a speed goal: measured by `npm run bench` ("seconds to 98%"), not asserted
    // here, where a shared machine's load would decide the result. The time is printed above.

    // Confusion matrix: 10 × 10 counts over the 2,000 test digits; its diagonal is the accuracy.
    const counts = await page
      .locator(`${LAB} table.lab-confusion tbody tr`)
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent))),
      );
    expect(counts.length).toBe(10);
    expect(counts.every((r) => r.length === 10)).toBe(true);
    expect(counts.flat().reduce((a, b) => a + b, 0)).toBe(2000);
    const diagonal = counts.reduce((s, r, i) => s + r[i], 0);
    expect(diagonal / 2000).toBeCloseTo(accuracy, 6);
    expect(await page.locator(`${LAB} [data-gallery] figure`).count()).toBeGreaterThan(0);
    expect(await page.locator(`${LAB} [data-grid="filters"] .cb-pixelmap`).count()).toBe(8);
    expect(await page.locator(`${LAB} [data-chart="loss"] svg`).count()).toBeGreaterThan(0);

    // The dashboard full of results (charts, confusion table, gallery) still passes axe.
    // over CDP: the page's CSP blocks injected inline scripts
    await page.evaluate(axeSource);
    const serious = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run(ctx: string): Promise<{ violations: { id: string; impact: string | null }[] }>;
          };
        }
      ).axe;
      return (await axe.run('[data-widget="training-lab"]')).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id);
    });
    expect(serious).toEqual([]);

    // The drawing pad: a vertical stroke, like a 1.
    const canvas = page.locator(`${PAD} canvas[data-pad]`);
    await canvas.scrollIntoViewIfNeeded();
    // the pad starts when it comes on screen; a stroke drawn before it listens is lost
    await page.locator(`${PAD}[data-ready]`).waitFor({ timeout: 30_000 });
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++)
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + (0.7 * i) / 12));
    await page.mouse.up();
    await page.locator(`${PAD}[data-state="predicted"]`).waitFor({ timeout: 30_000 });
    const probs = await page
      .locator(`${PAD} [data-bars] li`)
      .evaluateAll((lis) => lis.map((li) => Number((li as HTMLElement).dataset.p)));
    expect(probs.length).toBe(10);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const top = Number(await attr(page, 'top', PAD));
    console.log(`drawn stroke read as ${top} (p = ${probs[top].toFixed(3)})`);
    expect(top).toBe(1);
    // The lab's answer, checked on the reference engine with the same weights: the badge agrees.
    await page.locator(`${PAD}[data-agree="true"]`).waitFor({ timeout: 30_000 });
    expect(Number(await attr(page, 'max-abs-error', PAD))).toBeLessThan(1e-3);
    expect(await page.locator(`${PAD} [data-pad-badge]`).innerText()).toMatch(/^✓ agree: /);

    // Export: a non-empty .onnx download.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(`${LAB} [data-action="export"]`).click(),
    ]);
    expect(download.suggestedFilename()).toBe('convbook-mnist.onnx');
    const bytes = readFileSync((await download.path())!);
    expect(bytes.length).toBeGreaterThan(20_000); // 5,994 float32 weights alone are 23,976 bytes
    expect(bytes[0]).toBe(0x08);
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await context.close();
  }, 480_000);

  it('refuses bad settings with messages next to the fields', async () => {
    const page = await browser().newPage();
    await open(page, 'train-a-cnn', 'backend=wasm');
    await fill(page, 'lr', 'abc');
    await fill(page, 'batchSize', '0');
    await fill(page, 'epochs', '1000');
    await page.locator(`${LAB} [data-action="start"]`).click();
    expect(await page.locator(`${LAB} [data-error="lr"]`).textContent()).toContain(
      'learning rate: "abc" is not a number',
    );
    expect(await page.locator(`${LAB} [data-error="batchSize"]`).textContent()).toContain(
      'between 1 and 512',
    );
    expect(await page.locator(`${LAB} [data-error="epochs"]`).textContent()).toContain(
      'between 1 and 100, got 1000',
    );
    expect(await page.locator(`${LAB} [name="lr"]`).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`${LAB} [data-error="start"]`).textContent()).toContain('Fix the');
    await page.waitForTimeout(500);
    expect(await attr(page, 'state')).toBe('idle');
    // The reader's typing stays.
    expect(await page.locator(`${LAB} [name="lr"]`).inputValue()).toBe('abc');
    await page.close();
  });

  it('a shared link with garbage falls back to the defaults with a note', async () => {
    const page = await browser().newPage();
    await open(page, 'train-a-cnn', 'backend=wasm&lab.lr=-3&lab.epochs=7&lab.preset=huge');
    expect(await page.locator(`${LAB} [name="lr"]`).inputValue()).toBe('0.05');
    expect(await page.locator(`${LAB} [name="epochs"]`).inputValue()).toBe('7');
    expect(await page.locator(`${LAB} [data-note]`).textContent()).toContain('learning rate');
    await page.close();
  });

  it(
    'stops on NaN with a huge learning rate, explains it, and recovers at lr ÷ 10',
    { timeout: 420_000 },
    async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      // The decay schedule keeps the rate constant within an epoch, so a NaN after a recovery
      // names exactly the recovered rate (the linear default lowers it a little every step).
      await open(
        page,
        'train-a-cnn',
        'backend=wasm&lab.lr=100&lab.optimizer=sgd&lab.lrSchedule=decay',
      );
      await page.locator(`${LAB} [data-action="start"]`).click();
      expect(await waitState(page, ['stopped-nan', 'done'], 120_000)).toBe('stopped-nan');
      const banner = page.locator(`${LAB} [data-banner="nan"]`);
      await banner.waitFor({ state: 'visible' });
      expect(await banner.textContent()).toContain('learning rate was too large');
      const stopStep = Number(await attr(page, 'step'));
      // As a reader would: recover (lr ÷ 10) until the loss stays finite; lr 10 and 1 may still
      // diverge with plain SGD, 0.1 does not.
      const rates: string[] = [];
      for (let round = 0; round < 4; round++) {
        await page.locator(`${LAB} [data-action="recover"]`).click();
        rates.push(await page.locator(`${LAB} [name="lr"]`).inputValue());
        const rate = Number(rates.at(-1));
        // Wait for this rate's own outcome: a NaN stop that names this rate, or steps past the
        // old stop. (The state alone can still read 'stopped-nan' from the previous rate.)
        await page.waitForFunction(
          ([sel, s, lr]) => {
            const d = document.querySelector<HTMLElement>(sel)!.dataset;
            const stoppedHere =
              d.state === 'stopped-nan' && Math.abs(Number(d.nanLr) - lr) <= lr * 1e-6;
            return stoppedHere || (d.state !== 'stopped-nan' && Number(d.step) > s + 20);
          },
          [LAB, stopStep, rate] as const,
          { timeout: 90_000 },
        );
        if ((await attr(page, 'state')) !== 'stopped-nan') break;
      }
      console.log(`NaN at step ${stopStep}; recovered with lr ${rates.join(' → ')}`);
      expect(rates[0]).toBe('10');
      expect(await banner.isHidden()).toBe(true);
      expect(Number(await attr(page, 'step'))).toBeGreaterThan(stopStep + 20);
      expect(Number(await attr(page, 'train-loss'))).toBeLessThan(Math.log(10) * 2);
      await page.locator(`${LAB} [data-action="pause"]`).click();
      expect(problems.consoleErrors).toEqual([]);
      await page.close();
    },
  );

  it('offers the saved run after a reload and resumes it', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await open(page, 'train-a-cnn', 'backend=wasm&lab.epochs=3');
    await page.locator(`${LAB} [data-action="start"]`).click();
    // The lab saves at every epoch end.
    await page.waitForFunction(
      (sel) => Number(document.querySelector<HTMLElement>(sel)?.dataset.epoch) >= 1,
      LAB,
      { timeout: 120_000 },
    );
    await page.locator(`${LAB}[data-saved-step]`).waitFor();
    const saved = Number(await attr(page, 'epoch'));
    // Steps per second of training, and where the run is as the page goes away.
    const stepsPerSecond = Number(await attr(page, 'step')) / Number(await attr(page, 'seconds'));
    const before = Number(await attr(page, 'step'));
    await page.reload();
    await page.locator(LAB).scrollIntoViewIfNeeded();
    const banner = page.locator(`${LAB} [data-banner="restored"]`);
    await banner.waitFor({ state: 'visible', timeout: 60_000 });
    const text = (await banner.textContent()) ?? '';
    console.log(`after reload: ${text.trim()}`);
    expect(text).toMatch(/Resumed your run from epoch (\d)/);
    const shown = Number(/epoch (\d+)/.exec(text)![1]);
    expect(shown).toBeGreaterThanOrEqual(1);
    expect(shown).toBeLessThanOrEqual(saved + 1);
    expect(Number(await attr(page, 'epoch'))).toBe(shown);
    // It saves about every second (and on pagehide): the reload lost at most ~1 s of steps (2 s of
    // margin for a loaded machine), not the epoch.
    const restoredStep = Number(await attr(page, 'step'));
    console.log(
      `reload at step ${before}, resumed at ${restoredStep} (${stepsPerSecond.toFixed(0)} steps/s)`,
    );
    expect(restoredStep).toBeGreaterThanOrEqual(before - Math.ceil(2 * stepsPerSecond));
    expect(await page.locator(`${LAB} [name="epochs"]`).inputValue()).toBe('3');
    // The settings read while the run is being restored (fieldsets locked) are the real ones: no
    // false errors, a backend still chosen (FormData skips disabled controls: every field was "").
    expect(await fieldErrors(page)).toEqual([]);
    expect(await page.locator(`${LAB} [name="backend"]`).inputValue()).not.toBe('');
    await page.locator(`${LAB} [data-action="restore-resume"]`).click();
    await waitState(page, ['training', 'evaluating', 'done']);
    await banner.waitFor({ state: 'hidden' });
    await pauseIfBusy(page);
    // A new run starts after the reload, with no refusal.
    await page.locator(`${LAB} [data-action="start"]`).click();
    await waitState(page, ['training', 'evaluating', 'done']);
    expect(await page.locator(`${LAB} [data-error="start"]`).textContent()).toBe('');
    expect(await fieldErrors(page)).toEqual([]);
    await pauseIfBusy(page);
    await page.locator(`${LAB} [data-action="clear"]`).click();
    await waitState(page, ['idle']);
    await context.close();
  });
});

describe('lesson 9: training lab on WebGPU', () => {
  it('a short tiny-net run agrees with the reference engine and its loss falls', async () => {
    const page = await browser().newPage();
    await open(
      page,
      'train-a-cnn',
      'backend=webgpu&lab.preset=small&lab.trainSubset=640&lab.epochs=1&lab.shift=0',
    );
    await page.locator(`${LAB} [data-action="start"]`).click();
    await page.locator(`${LAB}[data-train-loss]`).waitFor({ timeout: 120_000 });
    const first = Number(await attr(page, 'train-loss'));
    expect(await waitState(page, ['done', 'error', 'stopped-nan'], 175_000)).toBe('done');
    const last = Number(await attr(page, 'train-loss'));
    console.log(
      `WebGPU tiny net: loss ${first.toFixed(3)} → ${last.toFixed(3)}, max abs error ${await attr(page, 'max-abs-error')}`,
    );
    expect(await attr(page, 'backend')).toBe('webgpu');
    expect(await attr(page, 'agree')).toBe('true');
    expect(Number(await attr(page, 'max-abs-error'))).toBeLessThan(1e-2);
    expect(last).toBeLessThan(first);
    expect(last).toBeLessThan(Math.log(10));
    await page.close();
  }, 420_000);
});

describe('lesson 10: overfitting comparison', () => {
  it('keeps a finished run in the comparison table with its gap', async () => {
    const page = await browser().newPage();
    await open(page, 'overfitting', 'backend=wasm&overfit.epochs=3');
    await page.locator(`${LAB} [data-action="start"]`).click();
    expect(await waitState(page, ['done', 'error'], 120_000)).toBe('done');
    const row = page.locator(`${LAB} [data-runs] tr`).first();
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toBe('Run 1');
    expect(cells[1]).toContain('500 digits');
    const train = Number.parseFloat(cells[2]);
    const clean = Number.parseFloat(cells[3]);
    const test = Number.parseFloat(cells[4]);
    expect(Number.parseFloat(cells[5])).toBeCloseTo(train - test, 0);
    // the clean training accuracy: the 500 digits unaugmented, dropout off — a whole number of
    // 500ths on the root, the table's figure, and its own gap
    const exact = Number(await attr(page, 'clean-train-accuracy'));
    expect(exact * 500).toBeCloseTo(Math.round(exact * 500), 6);
    expect(clean).toBeCloseTo(exact * 100, 0);
    expect(Number.parseFloat(cells[6])).toBeCloseTo(clean - test, 0);
    expect(await page.locator(`${LAB} [data-out="clean"]`).textContent()).toMatch(
      /% after epoch 3/,
    );
    expect(await page.locator(`${LAB} [data-chart="compare"] svg`).count()).toBeGreaterThan(0);
    await page.close();
  });

  it('shows one step’s augmented digits and dropout mask, redrawn by Next step', async () => {
    const page = await browser().newPage();
    await page.goto(`${baseURL}/lessons/overfitting/?aug.rate=0.5`);
    const fig = page.locator('[data-widget="augment-dropout"]');
    await fig.scrollIntoViewIfNeeded();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-widget="augment-dropout"]')?.getAttribute('data-state') ===
        'done',
    );
    expect(await fig.locator('[data-strip] figure').count()).toBe(8);
    expect(await fig.getAttribute('data-augmented')).toBe('8');
    expect(await fig.getAttribute('data-units')).toBe('1568');
    const dropped = Number(await fig.getAttribute('data-dropped'));
    // 1,568 units at p = 0.5: 784 expected, standard deviation ≈ 19.8
    expect(Math.abs(dropped - 784)).toBeLessThan(80);
    const before = await fig.locator('[data-strip] figcaption').allTextContents();
    await fig.locator('[data-action="next"]').click();
    await expect.poll(() => fig.locator('input[name="step"]').inputValue()).toBe('1');
    expect(await fig.locator('[data-strip] figcaption').allTextContents()).not.toEqual(before);
    expect(page.url()).toContain('aug.step=1');
    // everything off: each digit is shown unchanged
    for (const name of ['shift', 'rotate', 'scale'])
      await fig.locator(`input[name="${name}"]`).fill('0');
    expect(await fig.getAttribute('data-augmented')).toBe('0');
    await page.close();
  });
});
