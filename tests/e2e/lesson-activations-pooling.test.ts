/**
 * Lessons 1, 5, 6 and 7 in a real Chromium, on onnxruntime-web's wasm and WebGPU backends:
 * shift-match, dense-params, activations, pooling and softmax. Each widget is driven (keys,
 * buttons, typed values, bad input, shared links) and chosen numbers are checked against numbers
 * computed here, independently of the page's code:
 *
 * - shift-match: the score is Σ x·t; unshifted it is Σ t², shifted 1 px right Σ t[r][c−1]·t[r][c]
 *   (computed below from the digit the page embeds).
 * - activations: ReLU zeroes exactly the cells where the 3×3 Sobel map (padding 1, computed below)
 *   is negative, on top of the cells already 0.
 * - pooling, "Grid with ties" (rows: 1 3 2 0 4 4 / 5 3 1 1 4 0 / 0 2 6 6 1 2 / 2 2 6 1 0 3 /
 *   7 0 1 1 5 5 / 0 7 1 1 5 2), 2×2 max, stride 2 (rows and columns counted from 0):
 *     out(0,2): window 4 4 / 4 0 → 4, the first 4 at input (0,4)
 *     out(1,1): window 6 6 / 6 1 → 6, the first 6 at input (2,2)
 *   3×3 average, stride 1, padding 1, out(0,0): real cells 1 3 / 5 3 → 12/4 = 3; counting the 5
 *   padded cells: 12/9 = 1.3333.
 * - pool-shift: the trained net's first layer, recomputed here with the engine's conv2d, relu and
 *   maxPool2d from the weights and digits the page embeds, gives the same strong-response counts
 *   (a strong cell: ≥ half the map's largest value; kept: moved by ≤ a tenth of it).
 * - softmax: p_k = e^{z_k/T} / Σ_j e^{z_j/T} from the page's logits; T = 100 → every p within
 *   0.1 ± 0.03.
 * - dense-params: 28·28·1·100 + 100 = 78,500 parameters, 314,000 bytes.
 */
import { describe, expect, inject, it } from 'vitest';
import { conv2d, maxPool2d, relu, tensor } from '../../src/cnn/index';
import { shiftImage } from '../../src/data/mnist';
import { watchPage } from './browser';
import { agreed, attr, chromiumPerFile, embedded, openWidget as open, W } from './widgets';

const baseURL = inject('baseURL');
const browser = chromiumPerFile();

for (const backend of ['wasm', 'webgpu'] as const) {
  describe(`lesson 1 widgets on ?backend=${backend}`, () => {
    it('shift-match: arrow keys shift the digit and the score follows Σ x·t', async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      await open(page, 'images-are-grids-of-numbers', 'shift-match', `backend=${backend}`);
      await agreed(page, 'shift-match', backend);
      const { pixels } = await embedded<{ pixels: number[] }>(page, 'shift-match', 'digit');
      const at = (r: number, c: number) => (c < 0 ? 0 : pixels[r * 28 + c]);
      let self = 0;
      let shifted = 0;
      for (let r = 0; r < 28; r++)
        for (let c = 0; c < 28; c++) {
          self += at(r, c) * at(r, c);
          shifted += at(r, c - 1) * at(r, c);
        }
      expect(Number(await attr(page, 'shift-match', 'score'))).toBeCloseTo(self, 3);
      await page.locator(`${W('shift-match')} [data-keys]`).focus();
      await page.keyboard.press('ArrowRight');
      expect(await attr(page, 'shift-match', 'dx')).toBe('1');
      expect(Number(await attr(page, 'shift-match', 'score'))).toBeCloseTo(shifted, 3);
      expect(shifted).toBeLessThan(self * 0.9);
      await agreed(page, 'shift-match', backend);
      expect(page.url()).toContain('shift.dx=1');
      // Clamped at ±3. Three pixels right, the zero's template out-scores the seven's own.
      expect(await attr(page, 'shift-match', 'winner')).toBe('7');
      for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
      expect(await attr(page, 'shift-match', 'dx')).toBe('3');
      await expect.poll(() => attr(page, 'shift-match', 'winner')).toBe('0');
      expect(await page.locator(`${W('shift-match')} [data-out="verdict"]`).innerText()).toBe(
        "Now read as a 0: the 0's template scores 0.504, the 7's own template only 0.356.",
      );
      await agreed(page, 'shift-match', backend);
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });

    it('shift-match restores a shared link and survives a garbage one', async () => {
      const page = await browser().newPage();
      await open(
        page,
        'images-are-grids-of-numbers',
        'shift-match',
        `backend=${backend}&shift.dx=-2&shift.dy=1`,
      );
      expect(await attr(page, 'shift-match', 'dx')).toBe('-2');
      expect(await attr(page, 'shift-match', 'dy')).toBe('1');
      expect(await page.locator(`${W('shift-match')} [data-out="shift"]`).innerText()).toBe(
        '2 px left and 1 px down',
      );
      await agreed(page, 'shift-match', backend);
      await page.close();
      // A garbage link, in a fresh page: defaults and a note, no crash.
      const fresh = await browser().newPage();
      const problems = watchPage(fresh);
      await open(
        fresh,
        'images-are-grids-of-numbers',
        'shift-match',
        `backend=${backend}&shift.dx=abc&shift.dy=99`,
      );
      expect(await attr(fresh, 'shift-match', 'dx')).toBe('0');
      expect(await fresh.locator(`${W('shift-match')} [data-note]`).innerText()).toContain(
        'horizontal shift dx: "abc" is not a number',
      );
      await agreed(fresh, 'shift-match', backend);
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await fresh.close();
    });
  });

  describe(`lesson 5 activations on ?backend=${backend}`, () => {
    it('ReLU zeroes exactly the negative cells; leaky, sigmoid and tanh agree with ORT', async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      await open(page, 'relu', 'activations', `backend=${backend}`);
      await agreed(page, 'activations', backend);
      const digits = await embedded<{ pixels: number[] }[]>(page, 'activations', 'digits');
      const x = digits[0].pixels;
      const k = [-1, 0, 1, -2, 0, 2, -1, 0, 1]; // lesson 2's Sobel x, computed here by hand
      let negative = 0;
      let zero = 0;
      for (let r = 0; r < 28; r++)
        for (let c = 0; c < 28; c++) {
          let s = 0;
          for (let p = 0; p < 3; p++)
            for (let q = 0; q < 3; q++) {
              const rr = r + p - 1;
              const cc = c + q - 1;
              if (rr >= 0 && rr < 28 && cc >= 0 && cc < 28) s += x[rr * 28 + cc] * k[p * 3 + q];
            }
          if (s < -1e-6) negative++;
          else if (Math.abs(s) <= 1e-6) zero++;
        }
      expect(negative).toBeGreaterThan(20);
      expect(Number(await attr(page, 'activations', 'negative'))).toBe(negative);
      expect(Number(await attr(page, 'activations', 'zero-after'))).toBe(negative + zero);

      const select = page.locator(`${W('activations')} select[name="fn"]`);
      for (const fn of ['leakyRelu', 'sigmoid', 'tanh']) {
        await select.selectOption(fn);
        await agreed(page, 'activations', backend);
      }
      await select.selectOption('leakyRelu');
      // A bad alpha: a message, the last valid maps stay, the typed text stays.
      const alpha = page.locator(`${W('activations')} input[name="alpha"]`);
      await alpha.fill('abc');
      // The figure draws once per animation frame: poll until that frame is drawn.
      await expect
        .poll(() => page.locator(`${W('activations')} [data-error="alpha"]`).innerText())
        .toContain('not a number');
      expect(await alpha.inputValue()).toBe('abc');
      await alpha.fill('0.25');
      await agreed(page, 'activations', backend);
      // The inspected cell (row 14, col 14 by default) after leaky ReLU: v if v > 0 else 0.25 v.
      const [before, after] = (await attr(page, 'activations', 'cell')).split(',').map(Number);
      expect(after).toBeCloseTo(before > 0 ? before : 0.25 * before, 5);
      expect(page.url()).toContain('act.alpha=0.25');
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });
  });

  describe(`lesson 6 pooling on ?backend=${backend}`, () => {
    it('steps max pooling on the ties grid: the first max wins; average with and without padding', async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      await open(page, 'pooling', 'pooling', `backend=${backend}`);
      await agreed(page, 'pooling', backend);
      const root = page.locator(W('pooling'));
      await root.locator('[data-preset="ties"]').click();
      await agreed(page, 'pooling', backend);
      expect(await attr(page, 'pooling', 'output')).toBe('5,2,4,2,6,3,7,1,5');
      await root.locator('[data-next]').focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect(await attr(page, 'pooling', 'step')).toBe('2');
      expect(Number(await attr(page, 'pooling', 'value'))).toBe(4);
      expect(await attr(page, 'pooling', 'winner')).toBe('0,4');
      expect(await root.locator('[data-out="explain"]').innerText()).toContain(
        'first of 3 equal maxima',
      );
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect(await attr(page, 'pooling', 'winner')).toBe('2,2');
      // ↑/↓ move a row of the 3 × 3 output; a click on an output cell goes there.
      await page.keyboard.press('ArrowUp');
      expect(await attr(page, 'pooling', 'step')).toBe('1');
      await page.keyboard.press('ArrowDown');
      expect(await attr(page, 'pooling', 'step')).toBe('4');
      await root.locator('[data-grid="output"] [data-index="8"]').click();
      expect(await attr(page, 'pooling', 'step')).toBe('8');
      expect(await attr(page, 'pooling', 'winner')).toBe('4,4');
      expect(await root.locator('[data-out="step"]').innerText()).toBe(
        'Output cell 9 of 9: row 2, column 2',
      );
      await root.locator('[data-next]').focus();
      await page.keyboard.press('Home');
      expect(await attr(page, 'pooling', 'step')).toBe('0');

      await root.locator('select[name="mode"]').selectOption('avg');
      await root.locator('input[name="k"]').fill('3');
      await root.locator('input[name="s"]').fill('1');
      await root.locator('input[name="p"]').fill('1');
      await agreed(page, 'pooling', backend);
      expect(Number(await attr(page, 'pooling', 'value'))).toBeCloseTo(3, 6);
      await root.locator('input[name="inc"]').check();
      await agreed(page, 'pooling', backend);
      expect(Number(await attr(page, 'pooling', 'value'))).toBeCloseTo(12 / 9, 6);
      expect(page.url()).toContain('pool.inc=1');
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });

    it('rejects a window of 0 and "abc" with a message, keeps the result; restores links', async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      await open(
        page,
        'pooling',
        'pooling',
        `backend=${backend}&pool.x=1 2;3 4&pool.k=2&pool.s=1&pool.mode=max&pool.step=0`,
      );
      await agreed(page, 'pooling', backend);
      const root = page.locator(W('pooling'));
      expect(await attr(page, 'pooling', 'output')).toBe('4');
      await root.locator('input[name="k"]').fill('0');
      expect(await root.locator('[data-error="settings"]').innerText()).toMatch(
        /window size k must be a whole number from 1 to 12, got 0/,
      );
      expect(await attr(page, 'pooling', 'output')).toBe('4');
      await root.locator('input[name="k"]').fill('1');
      await root.locator('input[name="s"]').fill('abc');
      expect(await root.locator('[data-error="settings"]').innerText()).toContain(
        'stride: "abc" is not a number',
      );
      expect(await root.locator('input[name="s"]').inputValue()).toBe('abc');
      await root.locator('input[name="s"]').fill('1');
      await agreed(page, 'pooling', backend);
      expect(await attr(page, 'pooling', 'output')).toBe('1,2,3,4');
      await root.locator('textarea[name="grid"]').fill('1 2\n3 x');
      expect(await root.locator('[data-error="grid"]').innerText()).toContain('row 1, column 1');
      expect(await attr(page, 'pooling', 'output')).toBe('1,2,3,4');
      // Garbage link: defaults and a note, no crash.
      await open(
        page,
        'pooling',
        'pooling',
        `backend=${backend}&pool.k=-4&pool.mode=min&pool.x=zzz`,
      );
      expect(await root.locator('[data-note]').innerText()).toContain('pooling: "min"');
      expect(await root.locator('input[name="k"]').inputValue()).toBe('2');
      await agreed(page, 'pooling', backend);
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });
  });

  describe(`lesson 6 pooling on a trained net on ?backend=${backend}`, () => {
    it('pool-shift: pooled maps keep more strong responses; the counts recomputed here agree', async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      await open(page, 'pooling', 'pool-shift', `backend=${backend}&pshift.digit=3&pshift.map=2`);
      await agreed(page, 'pool-shift', backend);
      const unpooled = Number(await attr(page, 'pool-shift', 'unpooled-share'));
      const pooled = Number(await attr(page, 'pool-shift', 'pooled-share'));
      expect(pooled).toBeGreaterThan(unpooled + 0.15);
      expect([
        await attr(page, 'pool-shift', 'digit'),
        await attr(page, 'pool-shift', 'map'),
      ]).toEqual(['3', '2']);
      // Independently: digit 3, map 2, from the embedded weights and digit.
      type W = { shape: number[]; base64: string };
      const home = await embedded<{ weights: Record<string, W> }>(page, 'pool-shift', 'home-net');
      const digits = await embedded<{ pixels: number[] }[]>(page, 'pool-shift', 'digits');
      const dec = (w: W) =>
        tensor(w.shape, new Float32Array(Uint8Array.from(Buffer.from(w.base64, 'base64')).buffer));
      const layer = (img: Float32Array) => {
        const y = relu(
          conv2d(tensor([1, 1, 28, 28], img), dec(home.weights['0.kernel']!), {
            bias: dec(home.weights['0.bias']!),
          }),
        );
        return { y, p: maxPool2d(y, { kernelShape: [2, 2], strides: [2, 2] }) };
      };
      const img = Float32Array.from(digits[3]!.pixels);
      const [a, b] = [layer(img), layer(shiftImage(img, 1, 0))];
      const count = (x: Float32Array, y: Float32Array, per: number) => {
        const u = x.subarray(2 * per, 3 * per);
        const v = y.subarray(2 * per, 3 * per);
        const m = Math.max(...u);
        if (m <= 0) return '0/0';
        let strong = 0;
        let kept = 0;
        u.forEach((val, i) => {
          if (val < 0.5 * m) return;
          strong++;
          if (Math.abs(val - v[i]!) <= 0.1 * m) kept++;
        });
        return `${kept}/${strong}`;
      };
      expect(await attr(page, 'pool-shift', 'digit-unpooled')).toBe(count(a.y.data, b.y.data, 576));
      expect(await attr(page, 'pool-shift', 'digit-pooled')).toBe(count(a.p.data, b.p.data, 144));
      // Another digit redraws (the result is the same: every digit was computed at once)
      await page.locator(`${W('pool-shift')} select[name="digit"]`).selectOption('7');
      await expect.poll(() => attr(page, 'pool-shift', 'digit')).toBe('7');
      expect(await page.locator(`${W('pool-shift')} [data-out="pooled"]`).innerText()).toMatch(
        /^\d+ of \d+ \([\d.]+%\)$/,
      );
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });
  });

  describe(`lesson 7 softmax on ?backend=${backend}`, () => {
    it('temperature reshapes the probabilities as p_k = e^(z_k/T) / Σ e^(z_j/T)', async () => {
      const page = await browser().newPage();
      const problems = watchPage(page);
      await open(page, 'dense-and-softmax', 'softmax', `backend=${backend}&softmax.t=2`);
      await agreed(page, 'softmax', backend);
      const root = page.locator(W('softmax'));
      const logits = (await attr(page, 'softmax', 'logits')).split(',').map(Number);
      const probs = async () => (await attr(page, 'softmax', 'probs')).split(',').map(Number);
      const by = (t: number) => {
        const e = logits.map((z) => Math.exp(z / t));
        const s = e.reduce((a, b) => a + b, 0);
        return e.map((v) => v / s);
      };
      expect(logits).toHaveLength(10);
      expect(await attr(page, 'softmax', 'top')).toBe('7'); // the first digit is a 7
      const p2 = await probs();
      by(2).forEach((p, k) => expect(p2[k]).toBeCloseTo(p, 4));
      // Slider to its end: T = 100, nearly uniform.
      await root.locator('input[name="t-range"]').focus();
      await page.keyboard.press('End');
      // The figure draws once per animation frame: wait for that frame.
      await page.locator(`${W('softmax')}[data-t="100"]`).waitFor();
      expect(await attr(page, 'softmax', 't')).toBe('100');
      await agreed(page, 'softmax', backend);
      for (const p of await probs()) expect(Math.abs(p - 0.1)).toBeLessThan(0.03);
      // Bad temperatures: a message, the last valid result stays.
      const before = await attr(page, 'softmax', 'probs');
      const t = root.locator('input[name="t"]');
      for (const bad of ['0', 'abc']) {
        await t.fill(bad);
        await expect
          .poll(() => root.locator('[data-error="t"]').innerText())
          .toMatch(bad === '0' ? /greater than 0/ : /not a number/);
        expect(await attr(page, 'softmax', 'probs')).toBe(before);
      }
      await t.fill('0.5');
      await agreed(page, 'softmax', backend);
      const pHalf = await probs();
      by(0.5).forEach((p, k) => expect(pHalf[k]).toBeCloseTo(p, 4));
      // Another digit via the radio group.
      await root.locator('input[name="digit"][value="2"]').check();
      await agreed(page, 'softmax', backend);
      expect(await attr(page, 'softmax', 'top')).toBe('1');
      expect(page.url()).toContain('softmax.digit=2');
      expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    });
  });
}

describe('dense-params (no engine: exact integer arithmetic)', () => {
  it('computes the parameter count and bytes, rejects bad input, restores a link', async () => {
    const page = await browser().newPage();
    const problems = watchPage(page);
    await page.goto(
      `${baseURL}/lessons/images-are-grids-of-numbers/?dense.h=28&dense.w=28&dense.c=1&dense.u=100`,
    );
    const root = page.locator(W('dense-params'));
    await root.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.locator(`${W('dense-params')}[data-params]`).waitFor();
    expect(await attr(page, 'dense-params', 'params')).toBe('78500');
    expect(await attr(page, 'dense-params', 'bytes')).toBe('314000');
    expect(await root.locator('[data-out="bytes"]').innerText()).toContain('314 kB');
    expect(await root.locator('.katex').count()).toBeGreaterThan(0);
    await root.locator('input[name="h"]').fill('1080');
    await root.locator('input[name="w"]').fill('1,920');
    await root.locator('input[name="c"]').fill('3');
    await root.locator('input[name="u"]').fill('1000');
    expect(await attr(page, 'dense-params', 'params')).toBe('6220801000');
    expect(await root.locator('[data-out="params"]').innerText()).toBe('6,220,801,000');
    expect(await root.locator('[data-out="bytes"]').innerText()).toContain('24.9 GB');
    await root.locator('input[name="u"]').fill('abc');
    expect(await root.locator('[data-error="u"]').innerText()).toContain('not a number');
    await root.locator('input[name="c"]').fill('0');
    expect(await root.locator('[data-error="c"]').innerText()).toContain(
      'must be a whole number from 1',
    );
    expect(await attr(page, 'dense-params', 'params')).toBe('6220801000');
    await page.goto(`${baseURL}/lessons/images-are-grids-of-numbers/?dense.h=abc`);
    await root.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.locator(`${W('dense-params')}[data-params]`).waitFor();
    expect(await root.locator('[data-note]').innerText()).toContain('height H');
    expect(problems).toEqual({ consoleErrors: [], failedRequests: [], foreignRequests: [] });
    await page.close();
  });
});
