/**
 * Loading a network back (issue 14, item 2), in a real browser on wasm. The .onnx is made here in
 * Node by ConvBook's own exporter from a seeded tutorial net, and its answer for the drawing pad's
 * first sample digit computed here by the reference engine: lesson 9's drawing pad loads the file
 * and predicts the same; a broken file gets the importer's message and the loaded net stays;
 * lesson 11's saliency explains the loaded net with every view computed twice.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { forward, initParams, mnistTutorialNet, softmax } from '../../src/cnn/index';
import { exportInferenceModel } from '../../src/onnx/index';
import { digitToInk, padToInput } from '../../src/widgets/shared/ink-pad';
import { watchPage } from './browser';
import { attr, chromiumPerFile, embedded, openWidget, W } from './widgets';

const browser = chromiumPerFile();
const params = initParams(mnistTutorialNet, 41);
const onnx = Buffer.from(exportInferenceModel(mnistTutorialNet, params));
const file = (name: string, buffer: Buffer) => ({
  name,
  mimeType: 'application/octet-stream',
  buffer,
});

async function padProbabilities(page: Page): Promise<number[]> {
  return page
    .locator(`${W('draw-pad')} [data-bars] li`)
    .evaluateAll((lis) => lis.map((li) => Number((li as HTMLElement).dataset.p)));
}

describe('load a network back', () => {
  it('the drawing pad loads an exported .onnx and predicts what the reference engine does', async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    await openWidget(page, 'train-a-cnn', 'draw-pad', 'backend=wasm');
    const pad = page.locator(W('draw-pad'));
    await page.locator(`${W('draw-pad')}[data-ready="true"]`).waitFor({ timeout: 60_000 });
    await pad.locator('input[data-load-net]').setInputFiles(file('mine.onnx', onnx));
    await page.locator(`${W('draw-pad')}[data-loaded-net="true"]`).waitFor({ timeout: 120_000 });
    expect(await pad.locator('[data-load-net-msg]').innerText()).toContain('Loaded “mine.onnx”');

    const samples = await embedded<{ pixels: number[] }[]>(page, 'draw-pad', 'samples');
    const input = padToInput(digitToInk(samples[0]!.pixels));
    if (input.empty) throw new Error('the sample digit preprocessed to nothing');
    const x = { shape: [1, 1, 28, 28], data: input.image };
    const expected = Array.from(softmax(forward(mnistTutorialNet, params, x).logits).data);

    await pad.locator('[data-action="sample"]').click();
    await expect.poll(() => padProbabilities(page), { timeout: 60_000 }).toHaveLength(10);
    const got = await padProbabilities(page);
    got.forEach((p, k) => expect(p).toBeCloseTo(expected[k]!, 4));
    const top = expected.indexOf(Math.max(...expected));
    expect(await attr(page, 'draw-pad', 'top')).toBe(String(top));
    // The training lab above holds it too (its saved run now), paused, ready to train on.
    await page.locator(W('training-lab')).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await expect
      .poll(() => page.locator(`${W('training-lab')} [data-action="resume"]`).isEnabled(), {
        timeout: 60_000,
      })
      .toBe(true);
    await pad.evaluate((el) => el.scrollIntoView({ block: 'center' }));

    // Not a network: the importer's message, and the loaded net still answers the same.
    await pad
      .locator('input[data-load-net]')
      .setInputFiles(file('broken.onnx', Buffer.from('nope')));
    // (data-loaded-net is false from "Reading…" on: wait for the importer's answer itself)
    await pad
      .locator('[data-load-net-msg]', { hasText: 'could not be loaded' })
      .waitFor({ timeout: 60_000 });
    expect(await attr(page, 'draw-pad', 'loaded-net')).toBe('false');
    expect(await pad.locator('[data-load-net-msg]').innerText()).toMatch(
      /^“broken\.onnx” could not be loaded: .+\.$/,
    );
    await pad.locator('input[data-load-net]').setInputFiles(file('notes.txt', Buffer.from('x')));
    expect(await pad.locator('[data-load-net-msg]').innerText()).toBe(
      '“notes.txt” is not an .onnx file: choose a network exported from ConvBook.',
    );
    await pad.locator('[data-action="sample"]').click();
    await pad.locator('[data-action="sample"]').click();
    await expect.poll(() => padProbabilities(page)).not.toEqual(got);
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  }, 300_000);

  it('asks before a loaded .onnx replaces a run the reader trained, and keeps it if told so', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const problems = watchPage(page);
    await openWidget(page, 'train-a-cnn', 'training-lab', 'backend=wasm');
    const lab = page.locator(W('training-lab'));
    await lab.locator('[data-action="start"]:not([disabled])').click();
    await page.locator(`${W('training-lab')}[data-state="training"]`).waitFor({ timeout: 120_000 });
    await lab.locator('[data-action="pause"]').click();
    await page.locator(`${W('training-lab')}[data-state="paused"]`).waitFor({ timeout: 60_000 });
    const epochText = await lab.locator('[data-out="epoch"]').innerText();
    expect(epochText).toMatch(/step [1-9]/);

    const input = lab.locator('input[data-load-net]');
    const msg = lab.locator('[data-load-net-msg]');
    await input.setInputFiles(file('mine.onnx', onnx));
    await page
      .locator(`${W('training-lab')}[data-loaded-net="asking"]`)
      .waitFor({ timeout: 60_000 });
    expect(await msg.innerText()).toMatch(/would replace the run you trained in the lab \(epoch 0/);
    await msg.getByRole('button', { name: 'Keep my run' }).click();
    expect(await msg.innerText()).toBe('Kept your run; “mine.onnx” was not loaded.');
    expect(await lab.locator('[data-out="epoch"]').innerText()).toBe(epochText);

    await input.setInputFiles(file('mine.onnx', onnx));
    await msg.getByRole('button', { name: 'Replace it with “mine.onnx”' }).click();
    await page
      .locator(`${W('training-lab')}[data-loaded-net="true"]`)
      .waitFor({ timeout: 120_000 });
    expect(await msg.innerText()).toContain('Loaded “mine.onnx”');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await context.close();
  }, 300_000);

  it('saliency explains a loaded .onnx, every view computed twice', async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    await openWidget(page, 'what-did-it-learn', 'saliency', 'backend=wasm');
    const sal = page.locator(W('saliency'));
    await sal.locator('[data-train]:not([hidden])').waitFor({ timeout: 60_000 });
    await sal.locator('input[data-load-net]').setInputFiles(file('mine.onnx', onnx));
    await page.locator(`${W('saliency')}[data-net]`).waitFor({ timeout: 120_000 });
    expect(await sal.locator('[data-out="net"]').innerText()).toContain('loaded from its .onnx');
    await page.locator(`${W('saliency')}[data-agree="true"]`).waitFor({ timeout: 150_000 });
    expect(await attr(page, 'saliency', 'backend')).toBe('wasm');
    for (const v of ['saliency', 'occlusion', 'filters'])
      expect(await sal.locator(`[data-view="${v}"]`).getAttribute('data-agree')).toBe('true');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  }, 300_000);
});
