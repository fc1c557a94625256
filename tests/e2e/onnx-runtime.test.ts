/**
 * Issue 4's bar in a real browser: the op cases (data, shared with the Node tests) and 20-step
 * training checks on the WebGPU and the wasm EP, node placement, and the export round trip.
 * WebGPU here is SwiftShader: correct but slow, so its training check uses a smaller batch.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, watchPage } from './browser';
import type { PageProblems } from './browser';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function harnessPage(): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage();
  const problems = watchPage(page);
  await page.goto(`${baseURL}/__harness/`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  return { page, problems };
}

for (const backend of ['wasm', 'webgpu'] as const) {
  describe(`ORT ${backend} EP`, () => {
    it('runs every op case like the reference engine (and the hand-computed values)', async () => {
      const { page } = await harnessPage();
      const results = await page.evaluate((b) => window.harness.runOpCases(b), backend);
      expect(results.length).toBeGreaterThan(25);
      const bad = results.filter((r) => !r.agree || r.handAgree === false);
      expect(bad).toEqual([]);
      expect(results.filter((r) => r.handError !== null).length).toBeGreaterThan(10);
      await page.close();
    });

    for (const optimizer of ['sgd', 'adam'] as const) {
      it(`20 ${optimizer} steps of the tutorial net give the reference engine's parameters`, async () => {
        const { page } = await harnessPage();
        const batch = backend === 'webgpu' ? 4 : 16;
        const r = await page.evaluate(({ b, o, n }) => window.harness.trainCheck(b, o, 20, n), {
          b: backend,
          o: optimizer,
          n: batch,
        });
        console.log(
          `${backend} ${optimizer}: max param error ${r.maxAbsError.toExponential(2)}, ${r.ortMsPerStep.toFixed(0)} ms/step (batch ${batch})`,
        );
        // Tolerance relative to the weights' scale (max |w| ≈ 0.9): 20 steps of float32 rounding.
        expect(r.maxAbsError).toBeLessThan(1e-4 * Math.max(1, r.maxParam));
        r.ortLoss.forEach((l, i) => expect(l).toBeCloseTo(r.refLoss[i]!, 4));
        await page.close();
      });
    }

    it('exports a standalone .onnx whose predictions survive a reload', async () => {
      const { page, problems } = await harnessPage();
      const r = await page.evaluate((b) => window.harness.exportRoundTrip(b), backend);
      expect(r.ort.agree).toBe(true);
      expect(r.imported.maxAbsError).toBe(0);
      expect(r.predictions.ort).toEqual(r.predictions.original);
      expect(r.predictions.imported).toEqual(r.predictions.original);
      expect(problems.consoleErrors).toEqual([]);
      await page.close();
    });
  });
}

describe('node placement', () => {
  it("places every node of the presets' training-step graphs on the WebGPU EP (no CPU fallback)", async () => {
    const { page } = await harnessPage();
    const graphs = [
      ['sgd', 'tutorial'],
      ['adam', 'tutorial'],
      ['sgd', 'tiny'],
      ['sgd', 'large'],
      ['sgd', 'residual'],
      ['adam', 'residual'],
      ['sgd', 'deepSkip'],
      ['sgd', 'deepSigmoid'],
      ['adam', 'scenes'], // lesson 12's segmenter: its loss on a map (Transpose, Reshape)
      ['adam', 'detect'], // lesson 12's net with its detection head (Slice, Concat)
    ] as const;
    for (const [optimizer, net] of graphs) {
      const lines = await page.evaluate(([o, n]) => window.harness.placement('webgpu', o, 8, n), [
        optimizer,
        net,
      ] as const);
      // ORT says "All nodes placed on [P]" or, when split, "Node(s) placed on [P]" per provider.
      const placed = lines.filter((l) => /(All nodes|Node\(s\)) placed on/.test(l));
      expect(placed.length).toBeGreaterThan(0);
      const cpu = placed.filter((l) => l.includes('[CPUExecutionProvider]'));
      expect(cpu, `CPU-placed nodes, ${net} net with ${optimizer}:\n${lines.join('\n')}`).toEqual(
        [],
      );
      expect(placed.some((l) => l.includes('[JsExecutionProvider]'))).toBe(true);
    }
    await page.close();
  });

  it("places every node of lesson 14's check graph (both networks, forward and backward) on the WebGPU EP", async () => {
    const { page } = await harnessPage();
    for (const activation of ['relu', 'tanh', 'sigmoid'] as const) {
      const lines = await page.evaluate(
        (a) => window.harness.deeperPlacement('webgpu', a),
        activation,
      );
      const placed = lines.filter((l) => /(All nodes|Node\(s\)) placed on/.test(l));
      expect(placed.length).toBeGreaterThan(0);
      const cpu = placed.filter((l) => l.includes('[CPUExecutionProvider]'));
      expect(cpu, `CPU-placed nodes, ${activation}:\n${lines.join('\n')}`).toEqual([]);
    }
    await page.close();
  });
});

describe('importing a broken .onnx', () => {
  it('says it is not an ONNX model, in words', async () => {
    const { page } = await harnessPage();
    const garbage = await page.evaluate(() => window.harness.importError('garbage'));
    const truncated = await page.evaluate(() => window.harness.importError('truncated'));
    expect(garbage).toMatch(/not an ONNX model/i);
    expect(truncated).toMatch(/not an ONNX model|truncated/i);
    await page.close();
  });
});
