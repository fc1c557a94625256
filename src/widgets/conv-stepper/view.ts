/**
 * The convolution stepper's DOM: kernel editor, input choice, the 14×14 stepper with its written-out
 * multiply-add, the full 28×28 feature map and the agreement badge. State rules live in state.ts.
 */
import { float32 } from '../../runtime/client';
import { Heatmap } from '../shared/heatmap';
import { maxAbs } from '../shared/palette';
import { TwiceRunner } from '../shared/twice';
import { readParams, writeParams } from '../shared/url-state';
import { prefersReducedMotion } from '../shared/visible';
import { modelKey, stepperModel } from './model';
import {
  FULL,
  SMALL,
  STEPS,
  announcement,
  cellTrace,
  fullTrace,
  clampStep,
  downsample2,
  effectiveKernel,
  featureMap,
  fmt,
  matchPreset,
  parseKernelCell,
  parseNumber,
  parseUrlState,
  presetById,
  presetForSize,
  presetsFor,
  sideOf,
  shouldAnnounce,
  stepForKey,
  urlParams,
  windowIndices,
  type Mode,
  type Size,
  type Sample,
} from './state';
import { digitFromFile, digitFromPixels } from './upload';

const NS = 'conv';

/** Exact zeros (blank paper) read "0" rather than "0.0", so the eye finds the ink; no "−0.0". */
function quietZeros(map: Heatmap, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const cell = map.cell(i)!;
    if (values[i] === 0) cell.textContent = '0';
    else if (/^−0\.0+$/.test(cell.textContent ?? '')) cell.textContent = cell.textContent!.slice(1);
  }
}

export function mountConvStepper(root: HTMLElement): void {
  const $ = <T extends HTMLElement = HTMLElement>(sel: string) => root.querySelector<T>(sel)!;
  const samples = JSON.parse($('[data-samples]').textContent ?? '[]') as Sample[];
  const url = parseUrlState(readParams(NS), samples.length);
  if (url.notes.length) {
    const note = $('[data-note]');
    note.textContent = `Some settings in the link could not be used: ${url.notes.join(' ')}`;
    note.hidden = false;
  }

  // ---- state -------------------------------------------------------------------------------
  let kernel = [...url.kernel];
  let size = sideOf(kernel) as Size;
  let bias = url.bias;
  let mode: Mode = url.mode;
  let step = url.step;
  let digit = url.digit;
  let speed = url.speed;
  let image: Float32Array = Float32Array.from(
    samples[digit]?.pixels ?? new Array(FULL * FULL).fill(0),
  );
  let small: Float32Array = downsample2(image);
  let fullMap: Float32Array = new Float32Array(FULL * FULL);
  let smallMap: Float32Array = new Float32Array(STEPS);
  let playing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSpoken = 0;
  let preview: number | null = null;
  const invalid = new Set<number>(); // kernel cells holding text that is not a number

  // ---- elements ----------------------------------------------------------------------------
  const badge = $('[data-badge]');
  const runner = new TwiceRunner(root, badge);
  const cells = [...root.querySelectorAll<HTMLInputElement>('[data-kcell]')];
  const presetSel = $<HTMLSelectElement>('[data-preset]');
  const sizeSel = $<HTMLSelectElement>('[data-size]');
  const kgrid = $('[data-kgrid]');
  const biasInput = $<HTMLInputElement>('[data-bias]');
  const flip = $<HTMLInputElement>('[data-flip]');
  const kernelError = $('[data-kernel-error]');
  const slider = $<HTMLInputElement>('[data-scrub]');
  const playBtn = $<HTMLButtonElement>('[data-play]');
  const speedSel = $<HTMLSelectElement>('[data-speed]');
  const live = $('[data-live]');
  const stepLabel = $('[data-step-label]');
  const traceEl = $('[data-trace]');
  const scaleNote = $('[data-scale]');
  const uploadMsg = $('[data-upload-msg]');
  const drawMsg = $('[data-draw-msg]');

  const inputMap = new Heatmap({
    rows: SMALL,
    cols: SMALL,
    scale: { kind: 'ink' },
    decimals: 1,
    cell: '1.55rem',
    label: 'Stepper input: the digit averaged down to 14 by 14 pixels, values 0 to 1',
  });
  const makeKernelMap = () =>
    new Heatmap({
      rows: size,
      cols: size,
      scale: { kind: 'diverging', maxAbs: 1 },
      decimals: size === 5 ? 1 : 2, // exact values are in the editor and in the multiply-add
      cell: size === 5 ? '2.3rem' : '3.4rem',
      label: `The ${size} by ${size} kernel as it is slid over the image`,
    });
  let kernelMap = makeKernelMap();
  const outMap = new Heatmap({
    rows: SMALL,
    cols: SMALL,
    scale: { kind: 'diverging', maxAbs: 1 },
    decimals: 1,
    cell: '1.55rem',
    label: 'Stepper output: the feature map filled in up to the current step',
  });
  const fullIn = new Heatmap({
    rows: FULL,
    cols: FULL,
    scale: { kind: 'ink' },
    cell: '0.62rem',
    label: 'The full 28 by 28 input image',
  });
  const fullOut = new Heatmap({
    rows: FULL,
    cols: FULL,
    scale: { kind: 'diverging', maxAbs: 1 },
    cell: '0.62rem',
    label: 'The full 28 by 28 feature map',
  });
  $('[data-grid="input"]').append(inputMap.el);
  $('[data-grid="kernel"]').append(kernelMap.el);
  $('[data-grid="output"]').append(outMap.el);
  $('[data-grid="full-input"]').append(fullIn.el);
  $('[data-grid="full-output"]').append(fullOut.el);
  outMap.el.dataset.output = '';

  // ---- computing ---------------------------------------------------------------------------
  function compute(): void {
    const k = effectiveKernel(kernel, mode);
    fullMap = featureMap(image, FULL, k, bias);
    smallMap = featureMap(small, SMALL, k, bias);
    const scale = {
      kind: 'diverging' as const,
      maxAbs: Math.max(maxAbs(fullMap), maxAbs(smallMap), 1e-6),
    };
    inputMap.update(small);
    quietZeros(inputMap, small);
    fullIn.update(image);
    fullOut.update(fullMap, scale);
    kernelMap.update(k, { kind: 'diverging', maxAbs: Math.max(maxAbs(k), 1e-6) });
    outScale = scale;
    scaleNote.textContent = `Colour scale of both feature maps: −${fmt(scale.maxAbs, 2)} (blue) to ${fmt(scale.maxAbs, 2)} (orange).`;
    root.dataset.kernel = k.join(',');
    renderStep();
    void runner.run({
      key: modelKey(size),
      model: () => stepperModel(size),
      feeds: {
        x: float32([1, 1, FULL, FULL], Float32Array.from(image)),
        xSmall: float32([1, 1, SMALL, SMALL], Float32Array.from(small)),
        kernel: float32([1, 1, size, size], Float32Array.from(k)),
        bias: float32([1], Float32Array.of(bias)),
      },
      expected: { featureMap: fullMap, stepperMap: smallMap },
    });
  }
  let outScale = { kind: 'diverging' as const, maxAbs: 1 };

  function renderStep(): void {
    const shown = preview ?? step;
    const k = effectiveKernel(kernel, mode);
    const trace = cellTrace(small, k, bias, shown);
    outMap.update(smallMap, outScale);
    quietZeros(outMap, smallMap);
    for (let i = step + 1; i < STEPS; i++) {
      const c = outMap.cell(i)!;
      c.style.background = 'var(--bg)';
      c.textContent = '';
    }
    inputMap.highlight('is-window', windowIndices(trace));
    outMap.highlight('is-current', [shown]);
    const padded = trace.terms.filter((t) => t.inPadding).length;
    slider.value = String(step + 1);
    slider.setAttribute('aria-valuetext', `step ${step + 1} of ${STEPS}`);
    stepLabel.textContent = `${preview === null ? 'Step' : 'Previewing'} ${shown + 1} of ${STEPS}: output row ${trace.row + 1}, column ${trace.col + 1}`;
    root.dataset.step = String(step);
    renderTrace(trace, padded);
  }

  function renderTrace(trace: ReturnType<typeof cellTrace>, padded: number): void {
    const table = document.createElement('table');
    table.className = 'terms';
    const cap = document.createElement('caption');
    cap.textContent = `Input × kernel, tap by tap${mode === 'conv' ? ' (kernel flipped)' : ''}`;
    table.append(cap);
    const body = document.createElement('tbody');
    for (let p = 0; p < size; p++) {
      const tr = document.createElement('tr');
      for (let q = 0; q < size; q++) {
        const t = trace.terms[p * size + q];
        const td = document.createElement('td');
        td.className = t.inPadding ? 'is-padding' : '';
        td.innerHTML = '';
        const a = document.createElement('span');
        a.textContent = `${fmt(t.input, 4)}${t.inPadding ? '*' : ''} · ${fmt(t.kernel, 4)}`;
        const b = document.createElement('strong');
        b.textContent = `= ${fmt(t.product, 4)}`;
        td.append(a, document.createElement('br'), b);
        tr.append(td);
      }
      body.append(tr);
    }
    table.append(body);
    const eq = document.createElement('p');
    eq.className = 'equation';
    eq.dataset.traceSum = String(trace.sum);
    const products = trace.terms.map((t) => fmt(t.product, 4)).join(' + ');
    eq.textContent = `y(${trace.row + 1}, ${trace.col + 1}) = ${products} + bias ${fmt(trace.bias, 4)} = ${fmt(trace.sum, 4)}`;
    const foot = document.createElement('p');
    foot.className = 'foot';
    foot.textContent = padded
      ? `* ${padded} of the ${size * size} taps fall in the ring of zero padding around the image.`
      : 'Every tap lies inside the image.';
    traceEl.replaceChildren(table, eq, foot);
  }

  function say(text: string, force = false): void {
    const now = performance.now();
    if (!force && !shouldAnnounce(now, lastSpoken, playing)) return;
    lastSpoken = now;
    live.textContent = text;
  }

  function saveUrl(): void {
    writeParams(NS, urlParams({ kernel, bias, mode, step, digit, speed }));
  }

  function go(to: number, announce = true): void {
    step = clampStep(to);
    preview = null;
    renderStep();
    if (announce)
      say(announcement(step, cellTrace(small, effectiveKernel(kernel, mode), bias, step)));
    if (!playing) saveUrl();
  }

  // ---- playback ----------------------------------------------------------------------------
  function setPlaying(on: boolean): void {
    playing = on;
    clearTimeout(timer);
    playBtn.textContent = on ? 'Pause' : 'Play';
    playBtn.setAttribute('aria-pressed', String(on));
    root.dataset.playing = String(on);
    if (on) {
      if (step >= STEPS - 1) go(0, false);
      tick();
    } else {
      saveUrl();
      say(announcement(step, cellTrace(small, effectiveKernel(kernel, mode), bias, step)), true);
    }
  }
  function tick(): void {
    timer = setTimeout(() => {
      if (!playing) return;
      go(step + 1);
      if (step >= STEPS - 1) setPlaying(false);
      else tick();
    }, 1000 / speed);
  }

  playBtn.addEventListener('click', () => setPlaying(!playing));
  $('[data-prev]').addEventListener('click', () => go(step - 1));
  $('[data-next]').addEventListener('click', () => go(step + 1));
  slider.max = String(STEPS);
  slider.addEventListener('input', () => go(Number(slider.value) - 1));
  speedSel.value = String(speed);
  speedSel.addEventListener('change', () => {
    speed = Number(speedSel.value) || speed;
    saveUrl();
  });
  $('[data-stepper]').addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    if (target.matches('input, select, textarea')) return;
    if (e.key === ' ' && !target.matches('button, summary')) {
      e.preventDefault();
      setPlaying(!playing);
      return;
    }
    const next = stepForKey(e.key, step);
    if (next === null) return;
    e.preventDefault();
    if (playing) setPlaying(false);
    go(next);
  });
  // Hover or click an output cell: preview its window; click makes it the current step.
  const outGrid = outMap.el;
  outGrid.addEventListener('mouseover', (e) => {
    const idx = (e.target as HTMLElement).dataset.index;
    if (idx === undefined) return;
    preview = Number(idx);
    renderStep();
  });
  outGrid.addEventListener('mouseleave', () => {
    preview = null;
    renderStep();
  });
  outGrid.addEventListener('click', (e) => {
    const idx = (e.target as HTMLElement).dataset.index;
    if (idx !== undefined) go(Number(idx));
  });
  // Hover the full feature map: its window on the full input and the value, read out below.
  const readout = $('[data-full-readout]');
  const fullHint = readout.textContent ?? '';
  fullOut.el.addEventListener('mouseover', (e) => {
    const idx = (e.target as HTMLElement).dataset.index;
    if (idx === undefined) return;
    const i = Number(idx);
    const t = fullTrace(image, effectiveKernel(kernel, mode), bias, i);
    fullIn.highlight('is-window', windowIndices(t, FULL));
    fullOut.highlight('is-current', [i]);
    readout.textContent = `Feature map row ${t.row + 1}, column ${t.col + 1} = ${fmt(t.sum, 4)} (its 3×3 window is outlined on the input).`;
  });
  fullOut.el.addEventListener('mouseleave', () => {
    fullIn.highlight('is-window', []);
    fullOut.highlight('is-current', []);
    readout.textContent = fullHint;
  });

  // ---- kernel editor -----------------------------------------------------------------------
  const where = (i: number) => `(row ${Math.floor(i / size) + 1}, col ${(i % size) + 1})`;
  function showKernel(): void {
    cells.forEach((input, i) => {
      input.hidden = i >= size * size;
      input.value = i < size * size ? String(kernel[i]) : '';
      input.removeAttribute('aria-invalid');
      input.setAttribute(
        'aria-label',
        `Kernel row ${Math.floor(i / size) + 1}, column ${(i % size) + 1}`,
      );
    });
    kgrid.style.setProperty('--k', String(size));
    kgrid.setAttribute('aria-label', `Kernel values, ${size} by ${size}, row by row`);
    const offered = new Set(presetsFor(size).map((p) => p.id));
    for (const o of presetSel.options) o.hidden = o.value !== 'custom' && !offered.has(o.value);
    sizeSel.value = String(size);
    invalid.clear();
    kernelError.textContent = '';
    presetSel.value = matchPreset(kernel)?.id ?? 'custom';
  }
  cells.forEach((input, i) => {
    input.addEventListener('input', () => {
      if (i >= size * size) return;
      const p = parseKernelCell(input.value, Math.floor(i / size) + 1, (i % size) + 1);
      if (!p.ok) {
        invalid.add(i);
        input.setAttribute('aria-invalid', 'true');
        kernelError.textContent = `${p.message}. The last valid kernel is still in use.`;
        return;
      }
      invalid.delete(i);
      input.removeAttribute('aria-invalid');
      kernel[i] = p.value;
      kernelError.textContent = invalid.size
        ? `Kernel cell ${[...invalid].map(where).join(', ')} still holds text that is not a number.`
        : '';
      presetSel.value = matchPreset(kernel)?.id ?? 'custom';
      compute();
      saveUrl();
    });
  });
  sizeSel.addEventListener('change', () => {
    const next = Number(sizeSel.value) === 5 ? 5 : 3;
    if (next === size) return;
    kernel = [...presetForSize(matchPreset(kernel)?.id ?? 'identity', next).values];
    size = next;
    const fresh = makeKernelMap();
    kernelMap.el.replaceWith(fresh.el);
    kernelMap = fresh;
    showKernel();
    compute();
    saveUrl();
  });
  presetSel.addEventListener('change', () => {
    const p = presetById(presetSel.value);
    if (!p) return;
    kernel = [...p.values];
    showKernel();
    compute();
    saveUrl();
  });
  biasInput.addEventListener('input', () => {
    const p = parseNumber(biasInput.value, 'bias');
    const err = $('[data-bias-error]');
    if (!p.ok) {
      biasInput.setAttribute('aria-invalid', 'true');
      err.textContent = `${p.message}. The last valid bias is still in use.`;
      return;
    }
    biasInput.removeAttribute('aria-invalid');
    err.textContent = '';
    bias = p.value;
    compute();
    saveUrl();
  });
  flip.addEventListener('change', () => {
    mode = flip.checked ? 'conv' : 'xcorr';
    root.dataset.mode = mode;
    compute();
    saveUrl();
  });

  // ---- input choice ------------------------------------------------------------------------
  const radios = [...root.querySelectorAll<HTMLInputElement>('input[name$="-source"]')];
  let drawn: Float32Array | null = null;
  let uploaded: Float32Array | null = null;
  function useImage(next: Float32Array): void {
    image = next;
    small = downsample2(image);
    compute();
  }
  function choose(value: string): void {
    if (/^d\d+$/.test(value)) {
      digit = Number(value.slice(1));
      useImage(Float32Array.from(samples[digit].pixels));
      saveUrl();
    } else if (value === 'drawn' && drawn) useImage(drawn);
    else if (value === 'upload' && uploaded) useImage(uploaded);
    root.dataset.source = value;
  }
  for (const r of radios) r.addEventListener('change', () => r.checked && choose(r.value));
  const select = (value: string) => {
    const r = radios.find((x) => x.value === value);
    if (r) {
      r.disabled = false;
      r.checked = true;
    }
    choose(value);
  };

  const pad = $<HTMLCanvasElement>('[data-pad]');
  const ctx = pad.getContext('2d', { willReadFrequently: true })!;
  let drawing = false;
  const pos = (e: PointerEvent) => {
    const b = pad.getBoundingClientRect();
    return [
      ((e.clientX - b.left) * pad.width) / b.width,
      ((e.clientY - b.top) * pad.height) / b.height,
    ];
  };
  pad.addEventListener('pointerdown', (e) => {
    drawing = true;
    pad.setPointerCapture(e.pointerId);
    const [x, y] = pos(e);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = pad.width / 11;
    ctx.strokeStyle = '#000';
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 0.1, y);
    ctx.stroke();
  });
  pad.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const [x, y] = pos(e);
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  const endStroke = () => {
    if (!drawing) return;
    drawing = false;
    const result = digitFromPixels(
      ctx.getImageData(0, 0, pad.width, pad.height).data,
      pad.width,
      pad.height,
    );
    if (typeof result === 'string') drawMsg.textContent = result;
    else {
      drawn = result;
      drawMsg.textContent =
        'Your drawing, centred and scaled like an MNIST digit, is the input now.';
      select('drawn');
    }
  };
  pad.addEventListener('pointerup', endStroke);
  pad.addEventListener('pointercancel', endStroke);
  $('[data-clear]').addEventListener('click', () => {
    ctx.clearRect(0, 0, pad.width, pad.height);
    drawMsg.textContent = 'Cleared.';
  });

  $<HTMLInputElement>('[data-upload]').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    uploadMsg.textContent = `Reading "${file.name}"…`;
    uploadMsg.dataset.state = 'busy';
    digitFromFile(file).then(
      (img) => {
        uploaded = img;
        uploadMsg.textContent = `"${file.name}", downscaled and centred like an MNIST digit, is the input now.`;
        uploadMsg.dataset.state = 'ok';
        select('upload');
      },
      (error: unknown) => {
        uploadMsg.textContent = `That picture could not be used: ${error instanceof Error ? error.message : String(error)}. The previous input stays.`;
        uploadMsg.dataset.state = 'error';
      },
    );
  });

  // ---- start -------------------------------------------------------------------------------
  if (prefersReducedMotion()) root.dataset.reducedMotion = 'true';
  radios.find((r) => r.value === `d${digit}`)!.checked = true;
  flip.checked = mode === 'conv';
  root.dataset.mode = mode;
  biasInput.value = String(bias);
  showKernel();
  compute();
  say(announcement(step, cellTrace(small, effectiveKernel(kernel, mode), bias, step)), true);
}
