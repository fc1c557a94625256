/** backprop's DOM: controls, the backward-pass stepper, the gradient check and the SGD step. */
import { conv2dInputGradTrace, conv2dKernelGradTrace, type Params } from '../../cnn/index.ts';
import { oneHot } from '../../onnx/index.ts';
import { float32 } from '../../runtime/client';
import { Heatmap, type Scale } from '../shared/heatmap';
import { maxAbs } from '../shared/palette';
import { TwiceRunner, type TwiceResult } from '../shared/twice';
import { stepperParts, wireStepper } from '../shared/stepper';
import { prefersReducedMotion } from '../shared/visible';
import { readParams, writeParams } from '../shared/url-state';
import { embedded, q, throttledAnnouncer } from '../shared/dom';
import { num } from '../shared/format';
import {
  AFTER_MODEL_KEY,
  afterModel,
  BACKPROP_MODEL_KEY,
  backpropExpected,
  backpropModel,
} from './model';
import {
  argMaxAbs,
  backpropParams,
  backwardPass,
  clampStep,
  closedGates,
  CONV,
  describeStep,
  FEATURES,
  freshParams,
  gradientCheck,
  gradNormSquared,
  kernelCellInputs,
  lossOnly,
  lossesFromProbabilities,
  probabilities,
  meanLoss,
  parseBackpropParams,
  parseLr,
  parseWeightFields,
  plane,
  POOLED,
  relativeError,
  sgdStep,
  STEP_COUNT,
  STEPS,
  weightLabel,
  weightParam,
  winnerCells,
  type BackwardPass,
  type WeightRef,
} from './state';

const NS = 'bp';
type Digit = { label: number; pixels: number[] };

const div = (values: ArrayLike<number>): Scale => ({
  kind: 'diverging',
  maxAbs: Math.max(maxAbs(values), 1e-9),
});

function sci(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? num(v, 6) : v.toExponential(4).replace('-', '−');
}

export function startBackprop(root: HTMLElement): void {
  const digits = embedded<Digit[]>(root, 'digits');
  const others = embedded<Digit[]>(root, 'others');
  const runner = new TwiceRunner(root, q(root, '[data-badge="main"]'));
  const sgdPart = q(root, '[data-part="sgd"]');
  const sgdRunner = new TwiceRunner(sgdPart, q(root, '[data-badge="sgd"]'));
  const say = throttledAnnouncer(q(root, '[data-live]'), 900);
  const url = parseBackpropParams(readParams(NS), digits.length);
  const note = q(root, '[data-note]');
  note.textContent = url.notes.join(' ');

  const digitSelect = q<HTMLSelectElement>(root, 'select[name="digit"]');
  const seedInput = q<HTMLInputElement>(root, 'input[name="seed"]');
  const channelSelect = q<HTMLSelectElement>(root, 'select[name="channel"]');
  const unitSelect = q<HTMLSelectElement>(root, 'select[name="unit"]');
  const scrub = q<HTMLInputElement>(root, 'input[name="step"]');
  const wkind = q<HTMLSelectElement>(root, 'select[name="wkind"]');
  const wa = q<HTMLInputElement>(root, 'input[name="wa"]');
  const wb = q<HTMLInputElement>(root, 'input[name="wb"]');
  const wc = q<HTMLInputElement>(root, 'input[name="wc"]');
  const lrInput = q<HTMLInputElement>(root, 'input[name="lr"]');
  const out = (name: string) => q(root, `[data-out="${name}"]`);

  let digit = url.digit;
  let seed = url.seed;
  let step = url.step;
  let channel = url.channel;
  let weight: WeightRef = url.weight;
  let lr = url.lr;
  let params: Params = freshParams(seed);
  let pass: BackwardPass;
  let updated: Params;
  let ort: TwiceResult | null = null;
  let ortAfter: TwiceResult | null = null;
  let inputCell = 0;
  let unit = 0;
  let afterGeneration = 0;
  // One ORT run at a time: the WebGPU EP fails on runs that overlap in the engine worker.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job, job);
    queue = next.catch(() => undefined);
    return next;
  };

  digitSelect.value = String(digit);
  seedInput.value = String(seed);
  channelSelect.value = String(channel);
  lrInput.value = String(lr);

  // ---- grids
  const grid = (name: string, h: Heatmap) => {
    q(root, `[data-grid="${name}"]`).replaceChildren(h.el);
    return h;
  };
  const map = (rows: number, cols: number, cell: string, label: string, decimals?: number) =>
    new Heatmap({ rows, cols, scale: { kind: 'diverging', maxAbs: 1 }, cell, label, decimals });
  const g = {
    denseX: grid('dense-x', map(POOLED, POOLED, '1.05rem', 'Dense layer input, one channel')),
    denseDw: grid('dense-dw', map(POOLED, POOLED, '1.05rem', 'Weight gradient, one row of W')),
    denseDx: grid('dense-dx', map(POOLED, POOLED, '1.05rem', 'Dense input gradient')),
    poolA: grid('pool-a', map(CONV, CONV, '0.62rem', 'ReLU output with window winners')),
    poolDy: grid('pool-dy', map(POOLED, POOLED, '1.05rem', 'Gradient at the pooled map')),
    poolDa: grid('pool-da', map(CONV, CONV, '0.62rem', 'Gradient routed to the winners')),
    reluS: grid('relu-s', map(CONV, CONV, '0.62rem', 'Convolution output; closed gates hatched')),
    reluDa: grid('relu-da', map(CONV, CONV, '0.62rem', 'Gradient from the pool')),
    reluDs: grid('relu-ds', map(CONV, CONV, '0.62rem', 'Gradient after the ReLU gate')),
    convX: grid(
      'conv-x',
      new Heatmap({
        rows: 28,
        cols: 28,
        scale: { kind: 'ink' },
        cell: '0.6rem',
        label: 'Input digit',
      }),
    ),
    convDs: grid('conv-ds', map(CONV, CONV, '0.62rem', 'Gradient at the convolution output')),
    convDk: grid('conv-dk', map(3, 3, '3.6rem', 'Kernel gradient of this filter', 4)),
    convDx: grid('conv-dx', map(28, 28, '0.6rem', 'Gradient on the input image')),
  };
  for (const h of [g.denseDw, g.convDk, g.convDx]) h.el.classList.add('is-clickable');

  // Kernels before and after the SGD step.
  const kernelBox = q(root, '[data-grid="kernels"]');
  const kernelMaps: { before: Heatmap; after: Heatmap }[] = [];
  kernelBox.classList.add('bp-kernels');
  for (let f = 0; f < 4; f++) {
    const fig = document.createElement('figure');
    const cap = document.createElement('figcaption');
    cap.textContent = `Filter ${f}: before | after`;
    const row = document.createElement('div');
    row.className = 'cbw-row';
    const before = map(3, 3, '2.5rem', `Filter ${f} before the step`, 2);
    const after = map(3, 3, '2.5rem', `Filter ${f} after the step`, 2);
    row.append(before.el, after.el);
    fig.append(cap, row);
    kernelBox.append(fig);
    kernelMaps.push({ before, after });
  }

  const saveUrl = () => writeParams(NS, backpropParams({ digit, seed, step, channel, weight, lr }));

  // ---- the stepper
  const showStep = (announce = true): void => {
    step = clampStep(step);
    STEPS.forEach((s, i) => {
      q(root, `[data-panel="${s.id}"]`).hidden = i !== step;
      q(root, `[data-path="${i}"]`).classList.toggle('is-current', i === step);
    });
    q(root, `[data-path="${step}"]`).setAttribute('aria-current', 'step');
    for (let i = 0; i < STEP_COUNT; i++)
      if (i !== step) q(root, `[data-path="${i}"]`).removeAttribute('aria-current');
    out('step').textContent = `Step ${step + 1} of ${STEP_COUNT}: ${STEPS[step].title}`;
    scrub.value = String(step);
    scrub.setAttribute('aria-valuetext', `Step ${step + 1} of ${STEP_COUNT}: ${STEPS[step].title}`);
    root.dataset.step = STEPS[step].id;
    if (announce) say(describeStep(step, pass, channel));
    saveUrl();
  };

  // ---- drawing everything that depends on the pass and the channel
  const drawMaps = (): void => {
    const c = channel;
    const d = pass;
    // loss table
    const rows = Array.from({ length: 10 }, (_, k) => {
      const tr = document.createElement('tr');
      tr.dataset.class = String(k);
      if (k === d.label) tr.className = 'is-true';
      const cells = [
        String(k),
        num(d.logits.data[k], 4),
        num(d.probs.data[k], 4),
        k === d.label ? '1' : '0',
        num(d.dLogits.data[k], 4),
      ];
      for (const [i, text] of cells.entries()) {
        const td = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) td.setAttribute('scope', 'row');
        td.textContent = text;
        if (i === 2) td.dataset.prob = String(k);
        if (i === 4) td.dataset.dlogit = String(k);
        tr.append(td);
      }
      return tr;
    });
    out('loss-rows').replaceChildren(...rows);

    // dense
    const xc = plane(d.pooled, c);
    g.denseX.update(xc, div(xc));
    const dwRow = d.grads['4.weight'].data.subarray(
      unit * FEATURES + c * POOLED * POOLED,
      unit * FEATURES + (c + 1) * POOLED * POOLED,
    );
    g.denseDw.update(dwRow, div(dwRow));
    const dxc = plane(d.dPooled, c);
    g.denseDx.update(dxc, div(dxc));
    q(root, '[data-caption="dense-x"]').textContent = `Layer input x: pooled map, channel ${c}`;
    q(root, '[data-caption="dense-dw"]').textContent =
      `∂L/∂W, row ${unit}, the part that reads channel ${c}: δ${sub(unit)} · x (click a cell to check it)`;
    q(root, '[data-caption="dense-dx"]').textContent =
      `∂L/∂x = Wᵀδ, channel ${c} of the 4 × 13 × 13 reshape`;
    out('dense-explain').textContent =
      `δ${sub(unit)} = ${num(d.dLogits.data[unit], 4)}, so row ${unit} of ∂L/∂W is the input map scaled by ${num(d.dLogits.data[unit], 4)}${d.dLogits.data[unit] < 0 ? ' (negative: the step W ← W − lr·∂L/∂W will raise this class’s weights where x is large)' : ' (positive: the step lowers this class’s weights where x is large)'}. Flatten’s backward only reshapes the 676 input gradients back to 4 maps of 13 × 13.`;
    if (weight.kind === 'dense' && weight.unit === unit) {
      const f = weight.feature - c * POOLED * POOLED;
      g.denseDw.highlight('bp-sel', f >= 0 && f < POOLED * POOLED ? [f] : []);
    } else g.denseDw.highlight('bp-sel', []);

    // pool
    const winners = winnerCells(d.argmax, c);
    const ac = plane(d.relu, c);
    g.poolA.update(ac, div(ac));
    g.poolA.highlight('bp-win', winners);
    g.poolDy.update(dxc, div(dxc));
    const dac = plane(d.dRelu, c);
    g.poolDa.update(dac, div(dac));
    g.poolDa.highlight('bp-win', winners);
    const nonzero = dac.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
    const blankTies = winners.filter((w) => ac[w] === 0).length;
    out('pool-explain').textContent =
      `Each of the 169 windows passes its gradient to one cell — its maximum, the first one in reading order when several tie — so at most 169 of the 676 cells get a gradient (${nonzero} are non-zero here). ${blankTies} windows are all zeros (blank background or closed ReLUs); their top-left cell is the "winner" and receives the gradient, which the ReLU then blocks.`;

    // relu
    const sc = plane(d.conv, c);
    g.reluS.update(sc, div(sc));
    const closed = closedGates(d.conv, c);
    g.reluS.highlight('bp-closed', closed);
    g.reluDa.update(dac, div(dac));
    const dsc = plane(d.dConv, c);
    g.reluDs.update(dsc, div(dsc));
    g.reluDs.highlight('bp-closed', closed);
    const blocked = closed.filter((i) => dac[i] !== 0).length;
    out('relu-explain').textContent =
      `The gate is closed at ${closed.length} of 676 cells (s ≤ 0). ${blocked} of them had a non-zero gradient arriving, which stops here: those cells’ weights get no signal from this digit.`;
    root.dataset.closedGates = String(closed.length);

    drawConv();
  };

  const sub = (k: number) => String(k).replace(/\d/g, (ch) => '₀₁₂₃₄₅₆₇₈₉'[Number(ch)]);

  const drawConv = (): void => {
    const d = pass;
    const f = weight.kind === 'kernel' ? weight.filter : channel;
    const p = weight.kind === 'kernel' ? weight.row : 1;
    const qq = weight.kind === 'kernel' ? weight.col : 1;
    g.convX.update(d.x.data);
    // Outline the border of the 26 × 26 block kernel cell (p, q) meets.
    g.convX.highlight(
      'is-window',
      kernelCellInputs(p, qq).filter((_, k) => {
        const i = Math.floor(k / CONV);
        const j = k % CONV;
        return i === 0 || j === 0 || i === CONV - 1 || j === CONV - 1;
      }),
    );
    q(root, '[data-caption="conv-x"]').textContent =
      `Input x: kernel cell (${p}, ${qq}) meets the 26 × 26 block outlined (rows ${p}–${p + 25}, columns ${qq}–${qq + 25})`;
    const ds = plane(d.dConv, f);
    g.convDs.update(ds, div(ds));
    const dk = d.grads['0.kernel'].data.subarray(f * 9, f * 9 + 9);
    g.convDk.update(dk, div(dk));
    g.convDk.highlight('bp-sel', [p * 3 + qq]);
    const t = conv2dKernelGradTrace(d.x, [4, 1, 3, 3], d.dConv, {
      filter: f,
      channel: 0,
      kernelRow: p,
      kernelCol: qq,
    });
    const nz = t.terms.filter((term) => term.product !== 0);
    const shown = nz
      .slice(0, 6)
      .map(
        (term) =>
          `δ[${term.outRow},${term.outCol}]·x[${term.inputRow},${term.inputCol}] = ${num(term.outputGrad, 4)}·${num(term.input, 3)}`,
      );
    out('kernel-trace').textContent =
      `∂L/∂k${sub(f)}[${p},${qq}] = Σ over ${t.terms.length} output cells of δ[i,j]·x[i+${p}, j+${qq}]; ${nz.length} products are non-zero (δ is 0 at closed gates and non-winners, x is 0 on the background): ${shown.join(' + ')}${nz.length > 6 ? ` + … (${nz.length - 6} more)` : ''} = ${num(t.sum, 6)}. Backprop’s whole kernel gradient has ${num(dk[p * 3 + qq], 6)} here.`;
    root.dataset.kernelTrace = String(t.sum);

    const dx = d.dInput.data;
    g.convDx.update(dx, div(dx));
    g.convDx.highlight('bp-sel', [inputCell]);
    const r = Math.floor(inputCell / 28);
    const col = inputCell % 28;
    const it = conv2dInputGradTrace([1, 1, 28, 28], params['0.kernel'], d.dConv, {
      n: 0,
      channel: 0,
      row: r,
      col,
    });
    const itNz = it.terms.filter((term) => term.product !== 0);
    out('input-trace').textContent =
      `∂L/∂x[${r},${col}] = Σ over filters m and kernel cells (p, q) of δ${'ₘ'}[${r}−p, ${col}−q]·k${'ₘ'}[p,q] — ${it.terms.length} terms (fewer at the border, where the flipped kernel hangs over the edge of δ), ${itNz.length} non-zero: ${itNz
        .slice(0, 8)
        .map(
          (term) =>
            `δ${sub(term.filter)}[${term.outRow},${term.outCol}]·k${sub(term.filter)}[${term.kernelRow},${term.kernelCol}] = ${num(term.outputGrad, 4)}·${num(term.kernel, 3)}`,
        )
        .join(
          ' + ',
        )}${itNz.length > 8 ? ` + … (${itNz.length - 8} more)` : ''} = ${num(it.sum, 6)}. Nobody trains the image, but this gradient is what saliency maps (lesson 11) show.`;
  };

  // ---- the numerical gradient check
  const fillWeightFields = (): void => {
    wkind.value = weight.kind;
    const isK = weight.kind === 'kernel';
    q(root, '[data-label="a"]').textContent = isK ? 'Filter (0–3)' : 'Class k (0–9)';
    q(root, '[data-label="b"]').textContent = isK ? 'Kernel row (0–2)' : 'Input feature j (0–675)';
    q(root, '[data-field="c"]').hidden = !isK;
    if (weight.kind === 'kernel') {
      wa.value = String(weight.filter);
      wb.value = String(weight.row);
      wc.value = String(weight.col);
    } else {
      wa.value = String(weight.unit);
      wb.value = String(weight.feature);
      wc.value = '';
    }
  };

  const runCheck = (): void => {
    const c = gradientCheck(params, pass, weight);
    const { name, index } = weightParam(weight);
    out('check-weight').textContent =
      `${weightLabel(weight)} = ${num(c.value, 6)}; L(w + ε) = ${c.lossPlus.toFixed(10)}, L(w − ε) = ${c.lossMinus.toFixed(10)}`;
    out('check-num').textContent = `(L(w + ε) − L(w − ε)) / 2ε = ${sci(c.numerical)}`;
    out('check-ref').textContent = sci(c.reference);
    out('check-rel').textContent =
      `${c.relError.toExponential(2)} ${c.relError < 1e-2 ? '✓' : '✗'}`;
    root.dataset.checkWeight = `${weight.kind}:${index}`;
    root.dataset.checkNum = String(c.numerical);
    root.dataset.checkRef = String(c.reference);
    root.dataset.checkRel = String(c.relError);
    const ortGrad = ort?.outputs[`grad.${name}`];
    if (ortGrad && ort?.backend !== 'reference') {
      const v = ortGrad[index];
      const rel = relativeError(v, c.reference);
      out('check-ort').textContent = `${sci(v)} (${ort!.backend})`;
      out('check-rel-ort').textContent =
        `${rel.toExponential(2)} (absolute ${Math.abs(v - c.reference).toExponential(1)})`;
      root.dataset.checkOrt = String(v);
      root.dataset.checkRelOrt = String(rel);
    } else {
      out('check-ort').textContent =
        ort?.backend === 'reference'
          ? 'not run (reference engine chosen)'
          : 'waiting for onnxruntime-web…';
      out('check-rel-ort').textContent = '—';
      delete root.dataset.checkOrt;
      delete root.dataset.checkRelOrt;
    }
  };

  const applyWeightFields = (): void => {
    const r = parseWeightFields(wkind.value, wa.value, wb.value, wc.value);
    for (const input of [wa, wb, wc]) input.removeAttribute('aria-invalid');
    if ('error' in r) {
      ({ a: wa, b: wb, c: wc })[r.field].setAttribute('aria-invalid', 'true');
      q(root, '[data-error="weight"]').textContent =
        `${r.error} The check shows the last valid weight.`;
      return;
    }
    q(root, '[data-error="weight"]').textContent = '';
    selectWeight(r.weight, false);
  };

  const selectWeight = (w: WeightRef, fill = true): void => {
    weight = w;
    if (fill) fillWeightFields();
    if (w.kind === 'kernel' && channel !== w.filter) {
      channel = w.filter;
      channelSelect.value = String(channel);
      drawMaps();
    } else drawConv();
    if (w.kind === 'dense') {
      const c = Math.floor(w.feature / (POOLED * POOLED));
      if (unit !== w.unit || channel !== c) {
        unit = w.unit;
        unitSelect.value = String(unit);
        channel = c;
        channelSelect.value = String(channel);
      }
      drawMaps();
    }
    runCheck();
    saveUrl();
    say(`Checking ${weightLabel(w)}.`);
  };

  // ---- SGD
  const drawSgd = (): void => {
    const before = pass.loss;
    const after = lossOnly(updated, pass.x.data, pass.label);
    const pred = -lr * gradNormSquared(pass.grads);
    const ob = meanLoss(params, others);
    const oa = meanLoss(updated, others);
    for (let f = 0; f < 4; f++) {
      const kb = params['0.kernel'].data.subarray(f * 9, f * 9 + 9);
      const ka = updated['0.kernel'].data.subarray(f * 9, f * 9 + 9);
      const scale = div([...kb, ...ka]);
      kernelMaps[f].before.update(kb, scale);
      kernelMaps[f].after.update(ka, scale);
    }
    out('sgd-loss').textContent =
      `${num(before, 4)} → ${num(after, 4)} (${after < before ? 'down' : 'up'} ${num(Math.abs(after - before), 4)})`;
    out('sgd-pred').textContent = `${num(pred, 4)} (actual change ${num(after - before, 4)})`;
    out('sgd-others').textContent = `${num(ob, 3)} → ${num(oa, 3)}`;
    root.dataset.lossBefore = String(before);
    root.dataset.lossAfter = String(after);
    root.dataset.othersAfter = String(oa);
    const linearOk = Math.abs(after - before - pred) < 0.1 * Math.abs(pred);
    out('sgd-explain').textContent =
      after >= before
        ? `With lr = ${lr} the step went too far: the loss on this digit went up.`
        : oa > 1.5 * ob
          ? `With lr = ${lr} the loss on this digit fell${after < 0.01 ? ' almost to 0' : ''}, but the step is far too big: the first-order prediction ${linearOk ? 'still holds' : 'is useless'}, and the other digits’ mean loss jumped from ${num(ob, 2)} to ${num(oa, 2)} — the network now answers “${pass.label}” for almost anything. Training on one digit at a time needs a small lr.`
          : `With lr = ${lr} the loss on this digit fell ${linearOk ? 'by about what the first-order prediction says' : 'by less than the first-order prediction (the loss curves)'}, and the other digits barely moved. Try lr = 1 to see a step that is too big.`;
    if (ortAfter && ortAfter.backend !== 'reference') {
      const losses = lossesFromProbabilities(ortAfter.outputs.probabilities, [
        pass.label,
        ...others.map((o) => o.label),
      ]);
      const oaOrt = losses.slice(1).reduce((a, b) => a + b, 0) / others.length;
      out('sgd-loss-ort').textContent =
        `${num(ort!.outputs.loss[0], 4)} → ${num(losses[0], 4)}; other digits ${num(ort!.outputs.othersBefore[0], 3)} → ${num(oaOrt, 3)} (${ortAfter.backend}, its own updated weights)`;
      root.dataset.lossAfterOrt = String(losses[0]);
    } else {
      out('sgd-loss-ort').textContent =
        ortAfter?.backend === 'reference'
          ? 'not run (reference engine chosen)'
          : 'waiting for onnxruntime-web…';
      delete root.dataset.lossAfterOrt;
    }
  };

  // ---- compute
  const compute = (): void => {
    const d = digits[digit];
    pass = backwardPass(params, d.pixels, d.label);
    updated = sgdStep(params, pass.grads, lr);
    ort = null;
    ortAfter = null;
    inputCell = argMaxAbs(pass.dInput.data);
    const top = argMaxAbs(pass.probs.data); // probabilities are positive: the largest
    out('forward').textContent =
      `Forward pass: the digit is a ${d.label}; the untrained network (seed ${seed}) gives it p = ${num(pass.probs.data[d.label], 4)} and prefers ${top} (p = ${num(pass.probs.data[top], 4)}). Loss L = −log p${sub(d.label)} = ${num(pass.loss, 4)}.`;
    root.dataset.label = String(d.label);
    root.dataset.loss = String(pass.loss);
    root.dataset.probs = Array.from(pass.probs.data).join(',');
    root.dataset.dlogits = Array.from(pass.dLogits.data).join(',');
    drawMaps();
    runCheck();
    drawSgd();
    showStep(false);
    const expected = backpropExpected(pass, updated, meanLoss(params, others));
    const feeds: Record<string, ReturnType<typeof float32>> = {
      images: float32([1, 1, 28, 28], pass.x.data),
      labels: float32([1, 10], oneHot([d.label], 10)),
      lr: float32([], Float32Array.of(lr)),
      others: float32([10, 1, 28, 28], Float32Array.from(others.flatMap((o) => o.pixels))),
      otherLabels: float32(
        [10, 10],
        oneHot(
          others.map((o) => o.label),
          10,
        ),
      ),
    };
    for (const [name, t] of Object.entries(params)) feeds[name] = float32(t.shape, t.data);
    void serial(() =>
      runner.run({ key: BACKPROP_MODEL_KEY, model: backpropModel, feeds, expected }),
    ).then((result) => {
      if (result === null) return;
      ort = result;
      runCheck();
      drawSgd();
      if (result.backend === 'reference') {
        ortAfter = result;
        drawSgd();
        return;
      }
      // The loss after the step on ORT, from ORT's own updated weights.
      const afterFeeds: Record<string, ReturnType<typeof float32>> = {
        images: float32(
          [11, 1, 28, 28],
          Float32Array.from([d, ...others].flatMap((o) => o.pixels)),
        ),
      };
      for (const [name, t] of Object.entries(params))
        afterFeeds[name] = float32(t.shape, result.outputs[`updated.${name}`]);
      const generation = ++afterGeneration;
      void serial(() =>
        sgdRunner.run({
          key: AFTER_MODEL_KEY,
          model: afterModel,
          feeds: afterFeeds,
          expected: { probabilities: probabilities(updated, [d, ...others]) },
        }),
      ).then((r) => {
        if (r === null || generation !== afterGeneration) return;
        ortAfter = r;
        drawSgd();
      });
    });
  };

  // ---- events
  wireStepper(stepperParts(root), {
    count: () => STEP_COUNT,
    step: () => step,
    show: (n) => {
      step = n;
      showStep();
    },
    finished: () => say('Finished: the gradient has reached the image.'),
    delayMs: () => (prefersReducedMotion() ? 4000 : 2500),
  });

  digitSelect.addEventListener('change', () => {
    digit = Number(digitSelect.value);
    compute();
    say(`Digit ${digits[digit].label}: loss ${num(pass.loss, 3)}.`);
  });
  seedInput.addEventListener('input', () => {
    const raw = seedInput.value.trim();
    const err = q(root, '[data-error="seed"]');
    if (!/^\d{1,6}$/.test(raw)) {
      seedInput.setAttribute('aria-invalid', 'true');
      err.textContent = `Weight seed must be a whole number from 0 to 999999, got "${seedInput.value}". The figure shows the last valid seed.`;
      return;
    }
    seedInput.removeAttribute('aria-invalid');
    err.textContent = '';
    seed = Number(raw);
    params = freshParams(seed);
    compute();
  });
  channelSelect.addEventListener('change', () => {
    channel = Number(channelSelect.value);
    if (weight.kind === 'kernel' && weight.filter !== channel) {
      weight = { ...weight, filter: channel };
      fillWeightFields();
      runCheck();
    }
    drawMaps();
    saveUrl();
    say(describeStep(step, pass, channel));
  });
  unitSelect.addEventListener('change', () => {
    unit = Number(unitSelect.value);
    drawMaps();
  });
  wkind.addEventListener('change', () => {
    // Switching kind: start from a sensible weight of that kind.
    selectWeight(
      wkind.value === 'dense'
        ? {
            kind: 'dense',
            unit: pass.label,
            feature: channel * POOLED * POOLED + argMaxAbs(plane(pass.pooled, channel)),
          }
        : { kind: 'kernel', filter: channel, row: 1, col: 1 },
    );
  });
  for (const input of [wa, wb, wc]) input.addEventListener('input', applyWeightFields);
  g.convDk.el.addEventListener('click', (e) => {
    const i = Number((e.target as HTMLElement).dataset.index);
    if (!Number.isInteger(i)) return;
    const f = weight.kind === 'kernel' ? weight.filter : channel;
    selectWeight({ kind: 'kernel', filter: f, row: Math.floor(i / 3), col: i % 3 });
  });
  g.denseDw.el.addEventListener('click', (e) => {
    const i = Number((e.target as HTMLElement).dataset.index);
    if (!Number.isInteger(i)) return;
    selectWeight({ kind: 'dense', unit, feature: channel * POOLED * POOLED + i });
  });
  g.convDx.el.addEventListener('click', (e) => {
    const i = Number((e.target as HTMLElement).dataset.index);
    if (!Number.isInteger(i)) return;
    inputCell = i;
    drawConv();
  });
  const applyLr = (): void => {
    const r = parseLr(lrInput.value);
    const err = q(root, '[data-error="lr"]');
    if ('error' in r) {
      lrInput.setAttribute('aria-invalid', 'true');
      err.textContent = `${r.error} The step shown uses the last valid learning rate.`;
      return;
    }
    lrInput.removeAttribute('aria-invalid');
    err.textContent = '';
    lr = r.lr;
    compute();
    say(
      `Learning rate ${lr}: loss ${num(pass.loss, 3)} → ${num(lossOnly(updated, pass.x.data, pass.label), 3)}.`,
    );
  };
  lrInput.addEventListener('input', applyLr);
  for (const b of root.querySelectorAll<HTMLButtonElement>('[data-lr]')) {
    b.addEventListener('click', () => {
      lrInput.value = b.dataset.lr!;
      applyLr();
    });
  }

  unit = digits[digit].label;
  unitSelect.value = String(unit);
  fillWeightFields();
  compute();
}
