/**
 * Lessons 8 (backprop) and 11 (saliency) in a real Chromium, on onnxruntime-web's wasm and WebGPU
 * backends. Checked here, independently of the page's code:
 *
 * - backprop: dL/dz_k = p_k − [k = y] against the probabilities the page's table shows (4
 *   decimals); the ten entries sum to 0; the stepper walks loss → dense → pool → relu → conv with
 *   the arrow keys (↑/↓ too: one row of steps) and a click on the path; the numerical check on kernel cell (2, 0, 1) agrees with backprop (relative
 *   error < 1e-2) and ORT with the reference; one SGD step at lr 0.01 lowers the loss on both
 *   engines; a bad seed shows a message and keeps the figure; a garbage link falls back.
 * - saliency: with no saved run, "Train a quick network here" trains one epoch in the lab worker
 *   (wasm); the three views agree with the reference; occlusion with patch 6, stride 2 has
 *   (28 − 6) / 2 + 1 = 12 → 144 positions; patch 10, stride 7 → 3 × 3 = 9. The WebGPU run finds
 *   that network again in IndexedDB (same browser), without training.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { watchLongTasks, watchPage } from './browser';
import { agreed, attr, chromiumPerFile, openWidget as open, W } from './widgets';

const baseURL = inject('baseURL');
const browser = chromiumPerFile();

const NO_PROBLEMS = { consoleErrors: [], failedRequests: [], foreignRequests: [] };

/**
 * On WebGPU, ORT logs (as console.error) a session warning that it placed some nodes on the CPU:
 * tinyNet's backward graphs get 10 such nodes — src/onnx's own training graph for tinyNet gets 14
 * — while its forward graph gets none. Only that warning is set aside here; see the report.
 */
function withoutPlacementWarning(p: ReturnType<typeof watchPage>) {
  return {
    ...p,
    consoleErrors: p.consoleErrors.filter((e) => !e.includes('VerifyEachNodeIsAssignedToAnEp')),
  };
}

for (const backend of ['wasm', 'webgpu'] as const) {
  describe(`lesson 8 backprop on ?backend=${backend}`, () => {
    it('dL/dlogits, the stepper, the gradient check and one SGD step', async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      await open(page, 'backpropagation', 'backprop', `backend=${backend}`);
      await agreed(page, 'backprop', backend);
      const bp = page.locator(W('backprop'));

      // softmax − one-hot, against the probabilities the table shows.
      const label = Number(await attr(page, 'backprop', 'label'));
      expect(label).toBe(3);
      const shown = async (sel: string) =>
        Number((await bp.locator(sel).innerText()).replace('−', '-'));
      const py = await shown(`[data-prob="${label}"]`);
      const p0 = await shown('[data-prob="0"]');
      expect(await shown(`[data-dlogit="${label}"]`)).toBeCloseTo(py - 1, 3);
      expect(await shown('[data-dlogit="0"]')).toBeCloseTo(p0, 3);
      const dl = (await attr(page, 'backprop', 'dlogits')).split(',').map(Number);
      expect(dl.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 5);
      expect(Number(await attr(page, 'backprop', 'loss'))).toBeCloseTo(-Math.log(py), 3);

      // Step through the backward pass with the keyboard.
      await bp.locator('[data-next]').focus();
      const seen: string[] = [await attr(page, 'backprop', 'step')];
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('ArrowRight');
        seen.push(await attr(page, 'backprop', 'step'));
      }
      expect(seen).toEqual(['loss', 'dense', 'pool', 'relu', 'conv']);
      expect(await bp.locator('[data-panel="conv"]').isVisible()).toBe(true);
      expect(await bp.locator('[data-panel="loss"]').isVisible()).toBe(false);
      await page.keyboard.press('ArrowLeft');
      expect(await attr(page, 'backprop', 'step')).toBe('relu');
      expect(page.url()).toContain('bp.step=4');
      // Winners outlined on the pool step: one per window, 169 per channel.
      await page.keyboard.press('ArrowLeft');
      expect(await bp.locator('[data-grid="pool-a"] .bp-win').count()).toBe(169);
      // One row of steps: ↑/↓ step like ←/→; a click on a layer of the path goes there.
      await page.keyboard.press('ArrowDown');
      expect(await attr(page, 'backprop', 'step')).toBe('relu');
      await page.keyboard.press('ArrowUp');
      expect(await attr(page, 'backprop', 'step')).toBe('pool');
      await bp.locator('[data-path="0"]').click();
      expect(await attr(page, 'backprop', 'step')).toBe('loss');
      await bp.locator('[data-path="2"]').click();
      expect(await attr(page, 'backprop', 'step')).toBe('pool');

      // Numerical gradient check on kernel cell (filter 2, row 0, col 1).
      await bp.locator('select[name="wkind"]').selectOption('kernel');
      await bp.locator('input[name="wa"]').fill('2');
      await bp.locator('input[name="wb"]').fill('0');
      await bp.locator('input[name="wc"]').fill('1');
      await page.locator(`${W('backprop')}[data-check-ort]`).waitFor({ timeout: 60_000 });
      expect(await attr(page, 'backprop', 'check-weight')).toBe(`kernel:${2 * 9 + 1}`);
      const num = Number(await attr(page, 'backprop', 'check-num'));
      const ref = Number(await attr(page, 'backprop', 'check-ref'));
      const ort = Number(await attr(page, 'backprop', 'check-ort'));
      expect(Math.abs(num - ref) / Math.max(Math.abs(num), Math.abs(ref))).toBeLessThan(1e-2);
      expect(Math.abs(ort - ref)).toBeLessThan(backend === 'wasm' ? 1e-4 : 1e-3);
      expect(page.url()).toContain('bp.w=k2.0.1');
      // Counted from 0, as in the formulas.
      expect(await bp.locator('[data-out="check-weight"]').innerText()).toContain(
        'kernel 2, row 0, column 1',
      );

      // Bad input: a kernel row of "abc" is named, the last valid check stays.
      await bp.locator('input[name="wb"]').fill('abc');
      expect(await bp.locator('[data-error="weight"]').innerText()).toContain('kernel row');
      expect(await bp.locator('input[name="wb"]').getAttribute('aria-invalid')).toBe('true');
      expect(await attr(page, 'backprop', 'check-weight')).toBe(`kernel:${2 * 9 + 1}`);

      // One SGD step at lr = 0.01 lowers the loss, on both engines.
      await bp.locator('button[data-lr="0.01"]').click();
      await agreed(page, 'backprop', backend);
      await page
        .locator(`${W('backprop')} [data-part="sgd"][data-agree="true"]`)
        .waitFor({ timeout: 150_000 });
      await page.locator(`${W('backprop')}[data-loss-after-ort]`).waitFor();
      const before = Number(await attr(page, 'backprop', 'loss-before'));
      expect(Number(await attr(page, 'backprop', 'loss-after'))).toBeLessThan(before);
      expect(Number(await attr(page, 'backprop', 'loss-after-ort'))).toBeLessThan(before);

      // A bad seed: message, nothing recomputed.
      const loss = await attr(page, 'backprop', 'loss');
      await bp.locator('input[name="seed"]').fill('abc');
      expect(await bp.locator('[data-error="seed"]').innerText()).toContain('"abc"');
      expect(await attr(page, 'backprop', 'loss')).toBe(loss);
      expect(withoutPlacementWarning(problems)).toEqual(NO_PROBLEMS);
      await page.close();
    });

    it('restores a shared link and survives a garbage one', async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      await open(
        page,
        'backpropagation',
        'backprop',
        `backend=${backend}&bp.step=3&bp.w=d3.200&bp.digit=1&bp.lr=abc`,
      );
      // The reference result comes from a worker and is drawn in animation frames: wait for it.
      await page
        .locator(`${W('backprop')}:not([data-state="loading"])`)
        .waitFor({ timeout: 150_000 });
      expect(await attr(page, 'backprop', 'step')).toBe('pool');
      expect(await attr(page, 'backprop', 'label')).toBe('7');
      expect(await attr(page, 'backprop', 'check-weight')).toBe(`dense:${3 * 676 + 200}`);
      expect(await page.locator(`${W('backprop')} [data-note]`).innerText()).toContain('abc');
      await agreed(page, 'backprop', backend);
      expect(withoutPlacementWarning(problems)).toEqual(NO_PROBLEMS);
      await page.close();
    });
  });
}

describe('lesson 11 saliency', () => {
  // One context for both runs: its IndexedDB keeps the network the first run trains.
  let context: Awaited<ReturnType<Browser['newContext']>>;
  beforeAll(async () => {
    context = await browser().newContext();
  });
  afterAll(async () => {
    await context?.close();
  });
  for (const backend of ['wasm', 'webgpu'] as const) {
    it(`views agree on ?backend=${backend}${backend === 'wasm' ? ', after training a quick network' : ', with the saved network'}`, async () => {
      const page = await context.newPage();
      const problems = watchPage(page);
      const long = watchLongTasks(page);
      await page.goto(`${baseURL}/lessons/what-did-it-learn/?backend=${backend}`);
      const sal = page.locator(W('saliency'));
      await sal.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      if (backend === 'wasm') {
        await sal.locator('[data-train]:not([hidden])').waitFor({ timeout: 30_000 });
        // No network yet: the figure waits for the reader, and says so.
        expect(await attr(page, 'saliency', 'state')).toBe('empty');
        expect(await attr(page, 'saliency', 'net-problem')).toBe('missing');
        await sal.locator('[data-train]').click();
      }
      await page
        .locator(`${W('saliency')}[data-net]`)
        .waitFor({ timeout: 150_000 })
        .catch(async (error: unknown) => {
          throw new Error(`${String(error)}\n${await sal.locator('[data-out="net"]').innerText()}`);
        });
      if (backend === 'webgpu')
        expect(await sal.locator('[data-out="net"]').innerText()).toContain('training lab');
      await page
        .locator(`${W('saliency')}[data-agree="true"]`)
        .waitFor({ timeout: 150_000 })
        .catch(async (error: unknown) => {
          const badges = await sal.locator('[data-badge]').allInnerTexts();
          throw new Error(`${String(error)}\nbadges: ${badges.join(' | ')}`);
        });
      expect(await attr(page, 'saliency', 'backend')).toBe(backend);
      expect(await attr(page, 'saliency', 'state')).toBe('done');
      for (const v of ['saliency', 'occlusion', 'filters'])
        expect(await sal.locator(`[data-view="${v}"]`).getAttribute('data-agree')).toBe('true');
      expect(await attr(page, 'saliency', 'occlusion-positions')).toBe('144');
      // Each of the strongest digits marks where its filter fired: a window inside the digit's box.
      const thumbs = sal.locator('.sal-thumb');
      const marks = sal.locator('.sal-thumb .sal-fired');
      expect(await thumbs.count()).toBeGreaterThan(0);
      expect(await marks.count()).toBe(await thumbs.count());
      const [r0, c0] = ((await marks.first().getAttribute('data-fired')) ?? '')
        .split(',')
        .map(Number);
      expect(r0).toBeGreaterThanOrEqual(-2);
      expect(c0).toBeLessThan(28);
      // A trained network gets most test digits right: check the first ten.
      let right = 0;
      const stepsFrom = await long.start();
      for (let i = 0; i < 10; i++) {
        await sal.locator('input[name="digit"]').fill(String(i));
        await page.locator(`${W('saliency')}[data-shown-digit="${i}"]`).waitFor();
        await page.locator(`${W('saliency')}[data-state="done"]`).waitFor();
        if ((await attr(page, 'saliency', 'predicted')) === (await attr(page, 'saliency', 'label')))
          right++;
      }
      expect(right).toBeGreaterThanOrEqual(8);
      // Ten digits, each recomputed and checked: the maps are canvases and the reference runs in
      // a worker, so no step blocks the page (each took 100–777 ms when the maps were elements).
      // A margin for a loaded machine, as in the lab's test; `npm run bench:page` has the aim.
      const t = await long.since(stepsFrom);
      console.log(`saliency, ten digits (${backend}), long tasks: ${JSON.stringify(t)}`);
      expect(t.longestMs, 'the longest main-thread task while stepping').toBeLessThan(250);
      // The one stepping model: ↓ next, ↑ previous (in the box), → next on the buttons.
      const digit = sal.locator('input[name="digit"]');
      await digit.press('ArrowDown');
      expect(await digit.inputValue()).toBe('10');
      await digit.press('ArrowUp');
      await digit.press('ArrowUp');
      expect(await digit.inputValue()).toBe('8');
      await sal.locator('[data-digit="next"]').click();
      expect(await digit.inputValue()).toBe('9');
      expect(page.url()).toContain('sal.digit=9');
      // Another patch: 10 with stride 7 → positions 0, 7, 14 → 9; bad input keeps the map.
      await sal.locator('input[name="patch"]').fill('10');
      await sal.locator('input[name="stride"]').fill('7');
      await page.locator(`${W('saliency')}[data-occlusion-positions="9"]`).waitFor();
      await sal.locator('input[name="stride"]').fill('0');
      expect(await sal.locator('[data-error="occlusion"]').innerText()).toContain(
        'stride must be a whole number from 1 to 28, got 0.',
      );
      expect(await attr(page, 'saliency', 'occlusion-positions')).toBe('9');
      await page
        .locator(`${W('saliency')} [data-view="occlusion"][data-agree="true"]`)
        .waitFor({ timeout: 150_000 })
        .catch(async (error: unknown) => {
          const badges = await sal.locator('[data-badge]').allInnerTexts();
          throw new Error(`${String(error)}\nbadges: ${badges.join(' | ')}`);
        });
      expect(page.url()).toContain('sal.patch=10');
      expect(withoutPlacementWarning(problems)).toEqual(NO_PROBLEMS);
      await page.close();
    });
  }
});
