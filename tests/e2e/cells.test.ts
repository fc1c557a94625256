/**
 * Notebook cells in a real Chromium under the site's CSP: edit → Run → the output changes and
 * ORT agrees (wasm and WebGPU); a runaway loop is stopped with its message and the next run still
 * works; errors name their line; the worker can neither eval nor reach another host; a shared
 * link shows its code and runs only on Run; a reload keeps the edit and Reset restores the
 * original; the exercise checker; axe on the open editor.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { watchPage } from './browser';
import { chromiumPerFile } from './widgets';

const require = createRequire(import.meta.url);
const axeSource: string = (require('axe-core') as { source: string }).source;
const browser = chromiumPerFile();
const LESSON = '/lessons/convolution-and-feature-maps/';
const C = (name: string) => `[data-code-cell="${name}"]`;
const LOOP = C('conv-loop');

async function open(page: Page, query = 'backend=wasm', hash = ''): Promise<void> {
  await page.goto(`${inject('baseURL')}${LESSON}?${query}${hash}`);
  await page.locator(LOOP).evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.locator(`${LOOP}[data-state="idle"]`).waitFor({ timeout: 30_000 });
}

/** Opens the editor (if needed) and replaces the whole code, as a reader typing would. */
async function setCode(page: Page, cell: string, code: string): Promise<void> {
  const edit = page.locator(`${cell} [data-edit]`);
  if (await edit.isVisible()) await edit.click();
  const content = page.locator(`${cell} .cm-content`);
  await content.waitFor();
  await content.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(code);
}

/** Clicks Run (or presses `keys`) and waits for this run's outcome, not the last one's. */
async function run(page: Page, cell: string, state = 'done', keys?: string): Promise<void> {
  const runs = Number((await page.locator(cell).getAttribute('data-runs')) ?? 0);
  if (keys) await page.keyboard.press(keys);
  else await page.locator(cell).getByRole('button', { name: 'Run', exact: true }).click();
  await page
    .locator(`${cell}[data-runs="${runs + 1}"][data-state="${state}"]`)
    .waitFor({ timeout: 150_000 });
}

const outputs = (page: Page, cell: string) => page.locator(`${cell} [data-outputs]`).innerText();
const errorText = (page: Page, cell: string) => page.locator(`${cell} [data-error]`).innerText();

const EDIT = `const { image } = mnist(0);
const y = relu(conv2d(image, fromNested([[[[1, 0], [0, -1]]]]), { strides: 2 }));
show('shape', y.shape);`;

describe('notebook cells', () => {
  for (const backend of ['wasm', 'webgpu'] as const) {
    it(`runs the lesson's code, then the reader's edit, checked on ${backend}`, async () => {
      const context = await browser().newContext();
      const page = await context.newPage();
      const problems = watchPage(page);
      await open(page, `backend=${backend}`);
      await run(page, LOOP);
      await page.locator(`${LOOP}[data-agree="true"]`).waitFor({ timeout: 150_000 });
      expect(await page.locator(`${LOOP} [data-output="heatmap"]`).count()).toBe(2);
      expect(await outputs(page, LOOP)).toContain('largest difference between the two: 0');
      expect(await page.locator(LOOP).getAttribute('data-backend')).toBe(backend);
      expect(Number(await page.locator(LOOP).getAttribute('data-max-abs-error'))).toBeLessThan(
        1e-3,
      );
      expect(await page.locator(`${LOOP} [data-edited]`).isHidden()).toBe(true);

      await setCode(page, LOOP, EDIT);
      expect(await page.locator(`${LOOP} [data-edited]`).innerText()).toBe('edited');
      await run(page, LOOP, 'done', 'ControlOrMeta+Enter');
      await page.locator(`${LOOP}[data-agree="true"]`).waitFor({ timeout: 150_000 });
      expect(await outputs(page, LOOP)).toBe('shape [1, 1, 14, 14]');
      expect(await page.locator(`${LOOP} [data-output="heatmap"]`).count()).toBe(0);
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await context.close();
    });
  }

  it('keeps the edit across a reload; Reset brings the original back, for good', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const problems = watchPage(page);
    await open(page);
    const original = await page.locator(`${LOOP} [data-original]`).textContent();
    await setCode(page, LOOP, EDIT);
    // Reload as soon as the editor has the edit (its badge says so), well within the 250 ms
    // after the last key when the edit is saved: leaving the page must save it at once.
    await page.locator(`${LOOP} [data-edited]`).waitFor();
    await open(page);
    expect(await page.locator(`${LOOP} [data-view]`).innerText()).toBe(EDIT);
    expect(await page.locator(`${LOOP} [data-edited]`).isVisible()).toBe(true);
    // The original is never hidden: it is in the page beside the edit.
    expect(await page.locator(`${LOOP} [data-original]`).textContent()).toBe(original);
    // And the edit against it, line by line. The edit's first line is also the original's
    // second (the digit): it is kept; the rest of the original is removed, the rest added.
    await page.locator(`${LOOP} [data-diff-box] summary`).click();
    await page.locator(`${LOOP} [data-diff] ins`).first().waitFor();
    const lines = original!.split('\n');
    expect(lines[1]).toBe(EDIT.split('\n')[0]);
    expect(await page.locator(`${LOOP} [data-diff] ins`).allTextContents()).toEqual(
      EDIT.split('\n').slice(1),
    );
    expect(await page.locator(`${LOOP} [data-diff] del`).count()).toBe(lines.length - 1);
    expect(await page.locator(`${LOOP} [data-diff] [data-diff="same"]`).innerText()).toContain(
      `  2   1  ${lines[1]}`,
    );
    expect(await page.locator(`${LOOP} [data-diff-summary]`).innerText()).toBe(
      `(2 lines added, ${lines.length - 1} lines removed)`,
    );
    await page.locator(LOOP).getByRole('button', { name: 'Reset' }).click();
    expect(await page.locator(`${LOOP} [data-diff-box]`).isHidden()).toBe(true);
    expect(await page.locator(`${LOOP} [data-view]`).innerText()).toBe(original);
    expect(await page.locator(`${LOOP} [data-edited]`).isHidden()).toBe(true);
    await open(page);
    expect(await page.locator(`${LOOP} [data-view]`).innerText()).toBe(original);
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await context.close();
  });

  it('stops a runaway loop after 5 s, and the next run works', async () => {
    const page = await browser().newPage();
    await open(page);
    await setCode(page, LOOP, 'let n = 0;\nwhile (true) { n++; }');
    const started = Date.now();
    await run(page, LOOP, 'stopped');
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(4_900);
    expect(took).toBeLessThan(15_000);
    expect(await errorText(page, LOOP)).toContain('Stopped after 5 s');
    await setCode(page, LOOP, 'show(6 * 7);');
    await run(page, LOOP);
    expect(await outputs(page, LOOP)).toBe('42');
    // A warm cell's first output: the runner's own measure (docs/cells.md).
    console.log(`warm run: ${await page.locator(LOOP).getAttribute('data-run-ms')} ms`);
    await page.close();
  });

  it('names the line of an error, at run time and in the syntax', async () => {
    const page = await browser().newPage();
    await open(page);
    await setCode(
      page,
      LOOP,
      'const a: number = 1;\nconst b = a + 1;\nconst t = null as any;\nt.x = b;',
    );
    await run(page, LOOP, 'error');
    expect(await errorText(page, LOOP)).toMatch(
      /^line 4: TypeError: Cannot set properties of null/,
    );
    await setCode(page, LOOP, 'show(1);\nconst = 2;');
    await run(page, LOOP, 'error');
    expect(await errorText(page, LOOP)).toMatch(/^line 2: SyntaxError/);
    // An engine op given the wrong shapes: the message is the engine's, the line the reader's.
    await setCode(page, LOOP, '\n\nconv2d(zeros([1, 1, 4, 4]), zeros([1, 2, 3, 3]));');
    await run(page, LOOP, 'error');
    expect(await errorText(page, LOOP)).toMatch(/^line 3: /);
    await page.close();
  });

  it('gives the code no eval and no other host', async () => {
    const page = await browser().newPage();
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(inject('baseURL')) && !/^(blob|data):/.test(r.url()))
        foreign.push(r.url());
    });
    await open(page);
    await setCode(page, LOOP, "show(typeof document, typeof window);\neval('1 + 1');");
    await run(page, LOOP, 'error');
    expect(await outputs(page, LOOP)).toBe('undefined undefined');
    expect(await errorText(page, LOOP)).toMatch(/^line 2: EvalError/);
    await setCode(page, LOOP, "await fetch('https://example.com/');");
    await run(page, LOOP, 'error');
    expect(await errorText(page, LOOP)).toMatch(/^line 1: TypeError: Failed to fetch/);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('shows code that arrives by link without running it, until Run', async () => {
    const context = await browser().newContext({
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    await open(page);
    await setCode(page, LOOP, 'show("from the link");');
    await page.locator(LOOP).getByRole('button', { name: 'Share' }).click();
    const field = page.locator(`${LOOP} [data-share-url]`);
    await expect.poll(() => field.inputValue()).not.toBe('');
    const url = await field.inputValue();
    expect(url).toMatch(/#code\.conv-loop=[A-Za-z0-9_-]+$/);
    await context.close();

    const fresh = await browser().newContext();
    const reader = await fresh.newPage();
    const problems = watchPage(reader);
    await reader.goto(url);
    await reader.locator(LOOP).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await reader.locator(`${LOOP}[data-origin="link"]`).waitFor({ timeout: 30_000 });
    expect(await reader.locator(`${LOOP} [data-view]`).innerText()).toBe('show("from the link");');
    expect(await reader.locator(`${LOOP} [data-edited]`).innerText()).toContain('from a link');
    await reader.waitForTimeout(1500);
    expect(await reader.locator(LOOP).getAttribute('data-state')).toBe('idle');
    expect(await reader.locator(`${LOOP} [data-output]`).count()).toBe(0);
    await run(reader, LOOP);
    expect(await outputs(reader, LOOP)).toBe('from the link');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await fresh.close();
  });

  it('checks the reader’s conv2d: the starter fails with its first cell, a right one passes', async () => {
    const page = await browser().newPage();
    const EX = C('conv2d-exercise');
    await open(page);
    await page.locator(EX).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.locator(`${EX}[data-state="idle"]`).waitFor();
    await run(page, EX);
    expect(await page.locator(`${EX} .cell-check`).getAttribute('data-pass')).toBe('false');
    expect(await outputs(page, EX)).toMatch(
      /✗ case 1 of 12 \(x \[.*\]\): your y\[0,0,0,0\] = 0, expected /,
    );
    const starter = (await page.locator(`${EX} [data-original]`).textContent()) ?? '';
    const solved = starter.replace(
      'let sum = 0;',
      `let sum = 0;
            for (let c = 0; c < C; c++)
              for (let p = 0; p < kh; p++)
                for (let q = 0; q < kw; q++) {
                  const row = i * sh + p - top, col = j * sw + q - left;
                  if (row < 0 || row >= H || col < 0 || col >= W) continue;
                  sum += x.data[((n * C + c) * H + row) * W + col] * kernel.data[((m * C + c) * kh + p) * kw + q];
                }`,
    );
    await setCode(page, EX, solved);
    await run(page, EX);
    expect(await outputs(page, EX)).toContain(
      '✓ your conv2d matches the reference engine on all 12 random cases',
    );
    await page.locator(`${EX}[data-agree="true"]`).waitFor({ timeout: 150_000 });
    await page.close();
  });

  it('checks the reader’s max pooling in lesson 6 and then draws their pooled digit', async () => {
    const page = await browser().newPage();
    const EX = C('max-pool-exercise');
    await page.goto(`${inject('baseURL')}/lessons/pooling/?backend=wasm`);
    await page.locator(EX).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.locator(`${EX}[data-state="idle"]`).waitFor({ timeout: 30_000 });
    await run(page, EX);
    expect(await outputs(page, EX)).toMatch(
      /✗ case 1 of 12 .*: your y\[0,0,0,0\] = -Infinity, expected /,
    );
    const starter = (await page.locator(`${EX} [data-original]`).textContent()) ?? '';
    const solved = starter.replace(
      'let best = -Infinity;',
      `let best = -Infinity;
              for (let p = 0; p < kh; p++)
                for (let q = 0; q < kw; q++)
                  best = Math.max(best, x.data[((n * C + c) * H + i * sh + p) * W + j * sw + q]);`,
    );
    await setCode(page, EX, solved);
    await run(page, EX);
    expect(await outputs(page, EX)).toContain('✓ your maxPool2d matches the reference engine');
    expect(await page.locator(`${EX} [data-output="heatmap"]`).count()).toBe(1);
    await page.locator(`${EX}[data-agree="true"]`).waitFor({ timeout: 150_000 });
    await page.close();
  });

  /** Opens a lesson on `query` and waits for the cell `name` to be mounted. */
  async function lessonCell(page: Page, slug: string, name: string, query = 'backend=wasm') {
    await page.goto(`${inject('baseURL')}/lessons/${slug}/?${query}`);
    await page.locator(C(name)).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.locator(`${C(name)}[data-state="idle"]`).waitFor({ timeout: 30_000 });
    return C(name);
  }

  it('checks the reader’s ReLU and its backward in lesson 5: the first wrong cell, then a pass', async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    const EX = await lessonCell(page, 'relu', 'relu-exercise');
    await run(page, EX);
    const verdicts = page.locator(`${EX} .cell-check`);
    expect(await verdicts.count()).toBe(2);
    // The starter passes negative values and their gradient: both fail at a cell with x < 0.
    expect(await verdicts.nth(0).innerText()).toMatch(
      /^✗ case 1 of 12 \(x \[[\d, ]+\]\): your y\[[\d,]+\] = -[\d.]+, expected 0; x\[[\d,]+\] = -[\d.]+$/,
    );
    expect(await verdicts.nth(1).innerText()).toMatch(
      /your dx\[[\d,]+\] = -?[\d.]+, expected 0 \(finite differences: 0\); x\[[\d,]+\] = -[\d.]+, dy\[/,
    );
    const starter = (await page.locator(`${EX} [data-original]`).textContent()) ?? '';
    const solved = starter
      .replace('y.data[k] = x.data[k];', 'y.data[k] = Math.max(0, x.data[k]);')
      .replace('dx.data[k] = dy.data[k];', 'dx.data[k] = x.data[k] > 0 ? dy.data[k] : 0;');
    await setCode(page, EX, solved);
    await run(page, EX);
    expect(await outputs(page, EX)).toContain('✓ your relu matches the reference engine');
    expect(await outputs(page, EX)).toContain(
      '✓ your reluBackward matches the reference engine on all 12 random cases (and finite differences)',
    );
    // The engine's relu and reluBackward behind the expected values agree on ORT.
    await page.locator(`${EX}[data-agree="true"]`).waitFor({ timeout: 150_000 });
    expect(await page.locator(EX).getAttribute('data-backend')).toBe('wasm');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  });

  it('checks max pooling’s backward in lesson 8, on wasm even when WebGPU is asked for', async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    const EX = await lessonCell(
      page,
      'backpropagation',
      'max-pool-backward-exercise',
      'backend=webgpu',
    );
    await run(page, EX);
    // The starter fails at case 1, a tiling window: its one recorded backward runs on WebGPU.
    await page.locator(`${EX}[data-agree="true"]`).waitFor({ timeout: 150_000 });
    expect(await page.locator(EX).getAttribute('data-backend')).toBe('webgpu');
    expect(await outputs(page, EX)).toMatch(
      /✗ case 1 of 12 .*: your dx\[[\d,]+\] = 0, expected -?[\d.]+ \(finite differences: -?[\d.]+\); x\[[\d,]+\] = -?[\d.]+ is the first maximum of the window of y\[/,
    );
    const starter = (await page.locator(`${EX} [data-original]`).textContent()) ?? '';
    const solved = starter.replace(
      '// and add g to dx at that cell.',
      `// and add g to dx at that cell.
              let best = -Infinity, at = -1;
              for (let p = 0; p < kh; p++)
                for (let q = 0; q < kw; q++) {
                  const k = ((n * C + c) * H + i * sh + p) * W + j * sw + q;
                  if (x.data[k] > best) { best = x.data[k]; at = k; }
                }
              dx.data[at] += g;`,
    );
    await setCode(page, EX, solved);
    await run(page, EX);
    expect(await outputs(page, EX)).toContain(
      '✓ your maxPool2dBackward matches the reference engine on all 12 random cases (and finite differences)',
    );
    await page.locator(`${EX}[data-agree="true"]`).waitFor({ timeout: 150_000 });
    // Overlapping windows need MaxPool's Indices output, which WebGPU does not give.
    expect(await page.locator(EX).getAttribute('data-backend')).toBe('wasm');
    expect(await page.locator(`${EX} [data-badge]`).innerText()).toContain('Indices');
    // On WebGPU, ORT warns (console.error) that it put some of a backward graph's nodes on the
    // CPU, as in lesson 8's backprop test; only that warning is set aside.
    expect({
      ...problems,
      consoleErrors: problems.consoleErrors.filter(
        (e) => !e.includes('VerifyEachNodeIsAssignedToAnEp'),
      ),
    }).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  });

  it('checks the convolution’s input gradient in lesson 8 against the engine and ORT', async () => {
    const page = await browser().newPage();
    const EX = await lessonCell(page, 'backpropagation', 'conv-backward-exercise');
    await run(page, EX);
    expect(await outputs(page, EX)).toMatch(
      /✗ case 1 of 12 \(x \[.*\], kernel \[.*\], dy \[.*\], strides \[1, 1\], pads \[0, 0, 0, 0\]\): your dx\[0,0,0,0\] = 0, expected -?[\d.]+ \(finite differences: -?[\d.]+\); x\[0,0,0,0\] is under y\[0,0,0,0\] \(dy -?[\d.]+\) × kernel\[0,0,0,0\] = /,
    );
    const starter = (await page.locator(`${EX} [data-original]`).textContent()) ?? '';
    const solved = starter.replace(
      '// row = i·sh + p − top, col = j·sw + q − left, skipping cells outside x.',
      `// row = i·sh + p − top, col = j·sw + q − left, skipping cells outside x.
              for (let c = 0; c < C; c++)
                for (let p = 0; p < kh; p++)
                  for (let q = 0; q < kw; q++) {
                    const row = i * sh + p - top, col = j * sw + q - left;
                    if (row < 0 || row >= H || col < 0 || col >= W) continue;
                    dx.data[((n * C + c) * H + row) * W + col] += g * kernel.data[((m * C + c) * kh + p) * kw + q];
                  }`,
    );
    await setCode(page, EX, solved);
    await run(page, EX);
    expect(await outputs(page, EX)).toContain(
      '✓ your conv2d backward matches the reference engine on all 12 random cases (and finite differences)',
    );
    await page.locator(`${EX}[data-agree="true"]`).waitFor({ timeout: 150_000 });
    await page.close();
  });

  it('trains the reader’s edited network in lesson 9 and checks its predictions on ORT', async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    const CELL = await lessonCell(page, 'train-a-cnn', 'train-spec');
    const starter = (await page.locator(`${CELL} [data-original]`).textContent()) ?? '';
    // The reader's edit: 4 filters of 3 × 3 instead of 8 of 5 × 5, and fewer steps.
    const edited = starter
      .replace(
        "{ type: 'conv2d', filters: 8, kernelShape: [5, 5] }",
        "{ type: 'conv2d', filters: 4, kernelShape: [3, 3] }",
      )
      .replace('steps: 120', 'steps: 60');
    expect(edited).not.toBe(starter);
    await setCode(page, CELL, edited);
    await run(page, CELL);
    const text = await outputs(page, CELL);
    expect(text).toContain('output shapes 4 × 26 × 26 → 4 × 26 × 26 → 4 × 13 × 13 → 676 → 10');
    const accuracy = Number(/test accuracy on 500 held-out digits: ([\d.]+) %/.exec(text)?.[1]);
    expect(accuracy).toBeGreaterThan(50);
    expect(await page.locator(`${CELL} [data-output="plot"] svg`).count()).toBe(1);
    await page.locator(`${CELL}[data-agree="true"]`).waitFor({ timeout: 150_000 });
    console.log(
      `lesson 9 cell: ${await page.locator(CELL).getAttribute('data-run-ms')} ms, ${accuracy} %`,
    );
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  });

  it('axe finds nothing serious on an open editor with outputs', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser().newContext({ colorScheme });
      const page = await context.newPage();
      await open(page);
      await setCode(page, LOOP, 'show("x"); table([{ a: 1, b: 2 }]); heatmap([[0, 1], [1, 0]]);');
      await run(page, LOOP);
      await page.locator(`${LOOP} [data-diff-box] summary`).click();
      await page.locator(`${LOOP} [data-diff] ins`).first().waitFor();
      await page.evaluate(axeSource);
      const bad = await page.evaluate(async (selector) => {
        const axe = (
          window as unknown as {
            axe: {
              run(el: Element): Promise<{
                violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
              }>;
            };
          }
        ).axe;
        const { violations } = await axe.run(document.querySelector(selector)!);
        return violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      }, LOOP);
      expect(bad, colorScheme).toEqual([]);
      // Keyboard: Escape leaves the editor for the Run button.
      await page.locator(`${LOOP} .cm-content`).focus();
      await page.keyboard.press('Escape');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Run');
      await context.close();
    }
  });
});
