/** saliency's DOM: finding or training a network, then the three views, each computed twice. */
import {
  checkParams,
  forward,
  mnistTutorialNet,
  paramShapes,
  softmax,
  type NetworkSpec,
  type Params,
} from '../../cnn/index.ts';
import { importInferenceModel } from '../../onnx/index.ts';
import { chooseBackend } from '../../runtime/backends';
import { float32, probeBackends } from '../../runtime/client';
import { mergeChecks, type CrossCheck } from '../../runtime/crosscheck';
import { indexedDbStore } from '../../runtime/lab/checkpoint';
import { createLab } from '../../runtime/lab/client';
import type { LabConfig } from '../../runtime/lab/protocol';
import type { TensorMsg } from '../../runtime/protocol';
import { formatError } from '../shared/agreement';
import { readPreferredBackend } from '../shared/backend-pref';
import { Heatmap } from '../shared/heatmap';
import { maxAbs } from '../shared/palette';
import { TwiceRunner } from '../shared/twice';
import { readParams, writeParams } from '../shared/url-state';
import { embedded, q, throttledAnnouncer } from '../shared/dom';
import { num } from '../shared/format';
import { firstLayerModel, forwardModel, gradientModel } from './model';
import {
  absolute,
  firstLayerMaxima,
  inputGradient,
  occludedBatch,
  occlusionGrid,
  parseOcclusion,
  parseSaliencyParams,
  probabilityDrops,
  saliencyParams,
  SIDE,
  TOP_K,
  topImages,
  type Digit,
  type OcclusionSettings,
} from './state';

const NS = 'sal';

interface Net {
  readonly spec: NetworkSpec;
  readonly params: Params;
  readonly from: string;
}

/** The training lab's saved run (IndexedDB), read only; null when there is none worth using. */
async function savedNetwork(): Promise<Net | null> {
  const store = await indexedDbStore(globalThis.indexedDB);
  const c = await store.load();
  if (!c || (c.progress.epoch === 0 && c.progress.step === 0)) return null;
  const spec = c.config.network;
  const params: Params = {};
  for (const { name } of paramShapes(spec)) {
    const t = c.state[name];
    if (t) params[name] = { shape: [...t.dims], data: t.data };
  }
  checkParams(spec, params, 'the saved run');
  const acc = c.progress.history.findLast((h) => h.testAccuracy !== undefined)?.testAccuracy;
  return {
    spec,
    params,
    from: `your network from the training lab (${spec.name}, ${c.progress.epoch} epoch${c.progress.epoch === 1 ? '' : 's'}${acc === undefined ? '' : `, ${(acc * 100).toFixed(1)}% test accuracy`})`,
  };
}

/** One epoch of the tutorial net in the lab worker, then its weights through the .onnx export. */
function trainQuick(onProgress: (fraction: number, text: string) => void): Promise<Net> {
  const lab = createLab();
  return new Promise((resolve, reject) => {
    let accuracy: number | undefined;
    const fail = (message: string) => {
      off();
      lab.terminate();
      reject(new Error(message));
    };
    const off = lab.on((e) => {
      switch (e.kind) {
        case 'progress': {
          const p = e.progress;
          const done = p.epoch * p.stepsPerEpoch + p.step;
          onProgress(
            done / Math.max(1, p.totalSteps),
            `Training: step ${done} of ${p.totalSteps}, ${Math.round(e.imagesPerSecond)} images/s…`,
          );
          break;
        }
        case 'eval':
          accuracy = e.testAccuracy;
          break;
        case 'status':
          if (e.state === 'done') lab.send({ kind: 'export', id: 1 });
          else if (e.state === 'error' || e.state === 'stopped-nan')
            fail(`the training lab stopped: ${e.message ?? e.state}`);
          break;
        case 'exported': {
          // The worker stays (idle): ending it while it still holds open requests for the data
          // would abort them.
          off();
          try {
            const m = importInferenceModel(e.bytes, 'quick');
            resolve({
              spec: m.spec,
              params: m.params,
              from: `a quick network trained here for 1 epoch${accuracy === undefined ? '' : ` (${(accuracy * 100).toFixed(1)}% test accuracy)`}; the training lab keeps it as your run`,
            });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
          break;
        }
        case 'error':
          fail(e.message);
          break;
      }
    });
    void probeBackends()
      .then((statuses) => chooseBackend(statuses, readPreferredBackend()).backend)
      .catch(() => 'reference' as const)
      .then((backend) => {
        const config: LabConfig = {
          preset: 'tutorial',
          network: mnistTutorialNet,
          optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 },
          lrDecay: 1,
          batchSize: 64,
          epochs: 1,
          backend,
          augmentation: { shift: 0, rotate: 0, scale: 0 },
          seed: 1,
        };
        lab.send({ kind: 'start', config });
      });
  });
}

function decodeDigits(raw: { labels: number[]; pixels: string }): Digit[] {
  const bin = atob(raw.pixels);
  return raw.labels.map((label, n) => ({
    label,
    pixels: Array.from(
      { length: SIDE * SIDE },
      (_, k) => bin.charCodeAt(n * SIDE * SIDE + k) / 255,
    ),
  }));
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

/** Yields to the page between chunks so a long reference computation never freezes it. */
const nextFrame = () => new Promise<void>((r) => setTimeout(r, 0));

export async function startSaliency(root: HTMLElement): Promise<void> {
  const digits = decodeDigits(embedded(root, 'test-digits'));
  const url = parseSaliencyParams(readParams(NS), digits.length);
  q(root, '[data-note]').textContent = url.notes.join(' ');
  const say = throttledAnnouncer(q(root, '[data-live]'), 900);
  const netText = q(root, '[data-out="net"]');
  const trainButton = q<HTMLButtonElement>(root, '[data-train]');
  const progress = q<HTMLProgressElement>(root, '[data-progress]');
  const allBadge = q(root, '[data-badge="all"]');

  let net: Net | null = null;
  try {
    net = await savedNetwork();
  } catch (error) {
    netText.textContent = `Your saved training-lab run could not be read (${error instanceof Error ? error.message : String(error)}).`;
  }
  if (!net) {
    if (!netText.textContent?.startsWith('Your saved')) netText.textContent = '';
    netText.textContent +=
      ' No trained network was found: train one in the training lab (lesson 9), or train a quick one here, in a background worker.';
    allBadge.textContent = 'Nothing to compute until there is a trained network.';
    trainButton.hidden = false;
    net = await new Promise<Net>((resolve) => {
      trainButton.addEventListener('click', () => {
        trainButton.disabled = true;
        progress.hidden = false;
        root.dataset.training = 'true';
        trainQuick((fraction, text) => {
          progress.value = fraction;
          netText.textContent = text;
          say(text);
        }).then(resolve, (error: unknown) => {
          trainButton.disabled = false;
          progress.hidden = true;
          netText.textContent = `Training failed: ${error instanceof Error ? error.message : String(error)}. You can try again.`;
        });
      });
    });
    trainButton.hidden = true;
    progress.hidden = true;
  }
  netText.textContent = `Using ${net.from}.`;
  say(netText.textContent);
  showViews(root, net, digits, url);
}

function showViews(
  root: HTMLElement,
  net: Net,
  digits: readonly Digit[],
  url: ReturnType<typeof parseSaliencyParams>,
): void {
  const { spec, params } = net;
  const views = q(root, '[data-views]');
  views.hidden = false;
  root.dataset.net = spec.name;
  const view = (name: string) => q(root, `[data-view="${name}"]`);
  const badge = (name: string) => q(view(name), '[data-badge]');
  const runners = {
    saliency: new TwiceRunner(view('saliency'), badge('saliency')),
    occlusion: new TwiceRunner(view('occlusion'), badge('occlusion')),
    filters: new TwiceRunner(view('filters'), badge('filters')),
  };
  // One ORT run at a time: the WebGPU EP fails on runs that overlap in the engine worker
  // ("Session already started", "memory access out of bounds").
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job, job);
    queue = next.catch(() => undefined);
    return next;
  };
  const checks = new Map<string, CrossCheck>();
  const allBadge = q(root, '[data-badge="all"]');
  const record = (name: keyof typeof runners, check: CrossCheck | undefined) => {
    if (!check) return;
    checks.set(name, check);
    if (checks.size < 3) return;
    const merged = mergeChecks([...checks.values()]);
    root.dataset.state = 'done';
    root.dataset.backend = merged.backend;
    root.dataset.maxAbsError = String(merged.maxAbsError);
    root.dataset.agree = String(merged.agree);
    allBadge.textContent = `${merged.agree ? '✓ all three views agree' : '✗ a view disagrees'}: ${merged.backend} vs reference, max error ${formatError(merged.maxAbsError)}`;
    allBadge.classList.toggle('is-agree', merged.agree);
    allBadge.classList.toggle('is-disagree', !merged.agree);
  };
  const key = hash(JSON.stringify(spec.layers));
  const paramFeeds: Record<string, TensorMsg> = {};
  for (const [name, t] of Object.entries(params)) paramFeeds[name] = float32(t.shape, t.data);
  const classes = 10;

  const say = throttledAnnouncer(q(root, '[data-live]'), 900);
  const digitInput = q<HTMLInputElement>(root, 'input[name="digit"]');
  const classSelect = q<HTMLSelectElement>(root, 'select[name="class"]');
  const patchInput = q<HTMLInputElement>(root, 'input[name="patch"]');
  const strideInput = q<HTMLInputElement>(root, 'input[name="stride"]');
  let digit = url.digit;
  let cls: number | null = url.cls;
  let occlusion: OcclusionSettings = url.occlusion;
  digitInput.value = String(digit);
  classSelect.value = cls === null ? 'own' : String(cls);
  patchInput.value = String(occlusion.size);
  strideInput.value = String(occlusion.stride);
  const save = () => writeParams(NS, saliencyParams({ digit, cls, occlusion }));

  const ink = (rows: number, cols: number, cell: string, label: string) =>
    new Heatmap({ rows, cols, cell, label, scale: { kind: 'ink' } });
  const digitMap = ink(SIDE, SIDE, '0.55rem', 'The test digit');
  const salMap = ink(SIDE, SIDE, '0.55rem', 'Saliency: absolute gradient of the class score');
  const signedMap = new Heatmap({
    rows: SIDE,
    cols: SIDE,
    cell: '0.55rem',
    label: 'Signed gradient of the class score',
    scale: { kind: 'diverging', maxAbs: 1 },
  });
  q(root, '[data-grid="digit"]').replaceChildren(digitMap.el);
  q(root, '[data-grid="saliency"]').replaceChildren(salMap.el);
  q(root, '[data-grid="signed"]').replaceChildren(signedMap.el);
  const occludedMap = ink(SIDE, SIDE, '0.55rem', 'The digit with the most damaging patch blanked');
  q(root, '[data-grid="occluded"]').replaceChildren(occludedMap.el);
  let occMap: Heatmap | undefined;
  let occShape = '';

  // ---- (a) saliency
  const computeSaliency = () => {
    const d = digits[digit];
    const c = cls ?? d.label;
    const r = inputGradient(spec, params, d.pixels, c);
    digitMap.update(d.pixels);
    const abs = absolute(r.gradient);
    const m = Math.max(maxAbs(abs), 1e-12);
    salMap.update(abs.map((v) => v / m));
    signedMap.update(r.gradient, { kind: 'diverging', maxAbs: m });
    const top = r.probs.indexOf(Math.max(...r.probs));
    q(root, '[data-out="prediction"]').textContent =
      `Test digit ${digit} is a ${d.label}; the network says ${top} (p = ${num(r.probs[top], 3)}); explaining class ${c} (p = ${num(r.probs[c], 3)}).`;
    q(root, '[data-caption="saliency"]').textContent =
      `|∂ z${c} / ∂ pixel| (largest = ${m.toExponential(2)})`;
    root.dataset.predicted = String(top);
    root.dataset.label = String(d.label);
    root.dataset.saliencyPeak = String(abs.indexOf(m));
    const seed = new Float32Array(classes);
    seed[c] = 1;
    void serial(() =>
      runners.saliency.run({
        key: `saliency/grad/${key}`,
        model: () => gradientModel(spec),
        feeds: {
          images: float32([1, 1, SIDE, SIDE], Float32Array.from(d.pixels)),
          seed: float32([1, classes], seed),
          ...paramFeeds,
        },
        expected: { dinput: r.gradient, logits: r.logits },
      }),
    ).then((res) => record('saliency', res?.check));
    return { probs: r.probs, c };
  };

  // ---- (b) occlusion
  let occGeneration = 0;
  const computeOcclusion = async (probs: Float32Array, c: number) => {
    const generation = ++occGeneration;
    const d = digits[digit];
    const grid = occlusionGrid(occlusion);
    const shape = `${grid.rows}x${grid.cols}`;
    if (shape !== occShape) {
      occShape = shape;
      occMap = new Heatmap({
        rows: grid.rows,
        cols: grid.cols,
        cell: grid.cols > 14 ? '0.9rem' : '1.3rem',
        label: 'Drop in the class probability per patch position',
        scale: { kind: 'diverging', maxAbs: 1 },
      });
      q(root, '[data-grid="occlusion"]').replaceChildren(occMap.el);
    }
    const batch = occludedBatch(d.pixels, occlusion);
    const n = grid.positions.length;
    const ref = new Float32Array(n * classes);
    for (let s = 0; s < n; s += 16) {
      const k = Math.min(16, n - s);
      const x = { shape: [k, 1, SIDE, SIDE], data: batch.slice(s * 784, (s + k) * 784) };
      ref.set(softmax(forward(spec, params, x).logits).data, s * classes);
      await nextFrame();
      if (generation !== occGeneration) return;
    }
    const drops = probabilityDrops(ref, classes, c, probs[c]);
    occMap!.update(drops, { kind: 'diverging', maxAbs: Math.max(maxAbs(drops), 1e-6) });
    const worst = drops.indexOf(Math.max(...drops));
    const w = grid.positions[worst];
    occMap!.highlight('is-current', [worst]);
    occludedMap.update(batch.subarray(worst * 784, (worst + 1) * 784));
    q(root, '[data-out="occlusion"]').textContent =
      `${n} positions (${grid.rows} × ${grid.cols}). Blanking the ${occlusion.size} × ${occlusion.size} patch at row ${w.row}, column ${w.col} hurts most: p(${c}) falls from ${num(probs[c], 3)} to ${num(probs[c] - drops[worst], 3)}.`;
    root.dataset.occlusionPositions = String(n);
    root.dataset.occlusionWorst = `${w.row},${w.col}`;
    void serial(() =>
      runners.occlusion.run({
        key: `saliency/forward/${key}`,
        model: () => forwardModel(spec),
        feeds: { images: float32([n, 1, SIDE, SIDE], batch), ...paramFeeds },
        expected: { probabilities: ref },
      }),
    ).then((res) => record('occlusion', res?.check));
  };

  // ---- (c) filters
  const computeFilters = () => {
    const layer = spec.layers[0];
    if (layer?.type !== 'conv2d') {
      q(root, '[data-grid="filters"]').textContent =
        'This network does not start with a convolution.';
      return;
    }
    const { maxima, filters } = firstLayerMaxima(spec, params, digits);
    const kernel = params['0.kernel'];
    const [, cin, kh, kw] = kernel.shape;
    const box = q(root, '[data-grid="filters"]');
    box.replaceChildren();
    for (let f = 0; f < filters; f++) {
      const fig = document.createElement('figure');
      const cap = document.createElement('figcaption');
      const top = topImages(maxima, filters, f);
      cap.textContent = `Filter ${f} and its ${TOP_K} strongest test digits (responses ${top.map((i) => num(maxima[i * filters + f], 2)).join(', ')})`;
      const row = document.createElement('div');
      row.className = 'sal-row';
      const k = kernel.data.subarray(f * cin * kh * kw, f * cin * kh * kw + kh * kw);
      const km = new Heatmap({
        rows: kh,
        cols: kw,
        cell: '0.85rem',
        label: `Filter ${f}`,
        scale: { kind: 'diverging', maxAbs: Math.max(maxAbs(k), 1e-9) },
      });
      km.update(k);
      row.append(km.el);
      for (const i of top) {
        const h = ink(SIDE, SIDE, '0.16rem', `Test digit ${i}, a ${digits[i].label}`);
        h.update(digits[i].pixels);
        h.el.title = `test digit ${i}, a ${digits[i].label}`;
        row.append(h.el);
      }
      fig.append(cap, row);
      box.append(fig);
    }
    root.dataset.filterTop = Array.from(
      { length: filters },
      (_, f) => topImages(maxima, filters, f)[0],
    ).join(',');
    void serial(() =>
      runners.filters.run({
        key: `saliency/first/${key}/${digits.length}`,
        model: () => firstLayerModel(spec, digits.length),
        feeds: {
          images: float32(
            [digits.length, 1, SIDE, SIDE],
            Float32Array.from(digits.flatMap((d) => d.pixels)),
          ),
          '0.kernel': paramFeeds['0.kernel'],
          ...(paramFeeds['0.bias'] ? { '0.bias': paramFeeds['0.bias'] } : {}),
        },
        expected: { maxima },
      }),
    ).then((res) => record('filters', res?.check));
  };

  const refresh = () => {
    const { probs, c } = computeSaliency();
    void computeOcclusion(probs, c);
    save();
    say(q(root, '[data-out="prediction"]').textContent ?? '');
  };

  const setDigit = (raw: string) => {
    const err = q(root, '[data-error="digit"]');
    if (!/^\s*\d+\s*$/.test(raw) || Number(raw) >= digits.length) {
      digitInput.setAttribute('aria-invalid', 'true');
      err.textContent = `Test digit must be a whole number from 0 to ${digits.length - 1}, got "${raw}". The views show the last valid digit.`;
      return;
    }
    digitInput.removeAttribute('aria-invalid');
    err.textContent = '';
    digit = Number(raw);
    refresh();
  };
  digitInput.addEventListener('input', () => setDigit(digitInput.value));
  digitInput.addEventListener('keydown', (e) => {
    const step = e.key === 'ArrowUp' ? 1 : e.key === 'ArrowDown' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    digitInput.value = String((digit + step + digits.length) % digits.length);
    setDigit(digitInput.value);
  });
  for (const b of root.querySelectorAll<HTMLButtonElement>('[data-digit-step]')) {
    b.addEventListener('click', () => {
      digitInput.value = String(
        (digit + Number(b.dataset.digitStep) + digits.length) % digits.length,
      );
      setDigit(digitInput.value);
    });
  }
  classSelect.addEventListener('change', () => {
    cls = classSelect.value === 'own' ? null : Number(classSelect.value);
    refresh();
  });
  const applyOcclusion = () => {
    const r = parseOcclusion(patchInput.value, strideInput.value);
    const err = q(root, '[data-error="occlusion"]');
    patchInput.removeAttribute('aria-invalid');
    strideInput.removeAttribute('aria-invalid');
    if ('error' in r) {
      (r.field === 'size' ? patchInput : strideInput).setAttribute('aria-invalid', 'true');
      err.textContent = `${r.error} The map shows the last valid patch.`;
      return;
    }
    err.textContent = '';
    occlusion = r.settings;
    const d = digits[digit];
    const c = cls ?? d.label;
    const probs = softmax(
      forward(spec, params, { shape: [1, 1, SIDE, SIDE], data: Float32Array.from(d.pixels) })
        .logits,
    ).data;
    void computeOcclusion(probs, c);
    save();
  };
  patchInput.addEventListener('input', applyOcclusion);
  strideInput.addEventListener('input', applyOcclusion);

  allBadge.textContent = 'Reference results shown; checking the three views on onnxruntime-web…';
  refresh();
  computeFilters();
}
