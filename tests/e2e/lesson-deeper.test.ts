/**
 * Lesson 14 in a real browser: the default run (both networks trained in the widget's worker)
 * reaches its figures and agrees with ORT on wasm — the network with skips learns, the plain one's
 * gradients are a thousand times smaller; turning the skips off makes the two networks the same
 * (identical numbers) and goes into the link; an odd depth gets a message. On WebGPU a short run
 * agrees too.
 */
import { describe, expect, it } from 'vitest';
import { watchPage } from './browser';
import { agreed, attr, chromiumPerFile, openWidget, W } from './widgets';

const browser = chromiumPerFile();
const NAME = 'deeper';

describe('lesson 14, going deeper (?backend=wasm)', () => {
  it('trains both networks, agrees with ORT, and the skips are the difference', async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    await openWidget(page, 'going-deeper', NAME, 'backend=wasm');
    await agreed(page, NAME, 'wasm');
    const num = async (name: string) => Number(await attr(page, NAME, name));
    expect(await num('plain-steps')).toBe(40);
    expect(await num('skip-steps')).toBe(40);
    expect(await num('skip-accuracy')).toBeGreaterThan((await num('plain-accuracy')) + 0.3);
    expect(await num('skip-typical')).toBeGreaterThan(100 * (await num('plain-typical')));
    for (const chart of ['grads-plain', 'grads-skip', 'loss', 'step'])
      await page
        .locator(`${W(NAME)} [data-chart="${chart}"] svg`)
        .first()
        .waitFor();

    await page.locator(`${W(NAME)} input[name="skips"]`).uncheck();
    await expect.poll(() => page.url()).toContain('deep.skips=0');
    await agreed(page, NAME, 'wasm');
    expect(await attr(page, NAME, 'skip-accuracy')).toBe(await attr(page, NAME, 'plain-accuracy'));
    expect(await attr(page, NAME, 'skip-typical')).toBe(await attr(page, NAME, 'plain-typical'));

    const depth = page.locator(`${W(NAME)} input[name="depth"]`);
    await depth.fill('7');
    await depth.press('Enter');
    await expect
      .poll(() => page.locator(`${W(NAME)} [data-error="depth"]`).innerText())
      .toContain('must be even (two per block), got 7');
    expect(await depth.getAttribute('aria-invalid')).toBe('true');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  });
});

describe('lesson 14, going deeper (?backend=webgpu)', () => {
  it('a short run agrees with ORT on WebGPU', async () => {
    const page = await browser().newPage();
    await openWidget(page, 'going-deeper', NAME, 'backend=webgpu&deep.depth=2&deep.steps=5');
    await agreed(page, NAME, 'webgpu');
    expect(await attr(page, NAME, 'skip-steps')).toBe('5');
    await page.close();
  });
});
