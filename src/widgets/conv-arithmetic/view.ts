/**
 * The convolution-arithmetic widget's DOM: reads the controls, keeps the last valid picture when
 * the reader types something invalid (with the engine's message next to the control), draws the
 * padded input, the footprint and the output, renders the formula with KaTeX, and asks ORT for
 * the same numbers.
 */
import katex from 'katex';
import { float32 } from '../../runtime/client';
import { Heatmap } from '../shared/heatmap';
import { maxAbs } from '../shared/palette';
import { TwiceRunner } from '../shared/twice';
import { readParams, writeParams } from '../shared/url-state';
import { arithModel, arithModelKey } from './model';
import { Player } from '../shared/player';
import {
  announce,
  computeArith,
  footprint,
  formulaTex,
  fromParams,
  NAMESPACE,
  padValues,
  paddingCells,
  parseInteger,
  stepCell,
  stepCount,
  toParams,
  type ArithResult,
  type ArithSettings,
  type Field,
  type Mode,
  type PadMode,
} from './state';

type Ok = Extract<ArithResult, { ok: true }>;
const FIELDS: readonly Field[] = ['h', 'w', 'k', 'sh', 'sw', 'pad', 'pads', 'd'];

function q<T extends HTMLElement>(root: HTMLElement, sel: string): T {
  const el = root.querySelector<T>(sel);
  if (!el) throw new Error(`conv-arithmetic: missing ${sel}`);
  return el;
}

const HATCH = 'repeating-linear-gradient(45deg, transparent 0 3px, rgb(90 90 90 / 0.45) 3px 5px)';

/** Hatches padding cells (inline, since the heatmap paints each cell's background inline). */
function hatch(map: Heatmap, cells: readonly number[], text: string): void {
  map.highlight('is-padding', cells);
  for (const i of cells) {
    const c = map.cell(i)!;
    c.style.backgroundImage = HATCH;
    c.textContent = text;
  }
}

/** Font size that fits the longest number of a grid inside its cells. */
function fitText(map: Heatmap, values: ArrayLike<number>): void {
  let digits = 1;
  for (let i = 0; i < values.length; i++)
    digits = Math.max(digits, String(Math.round(values[i])).length);
  map.el.style.fontSize = `${Math.min(0.72, 1.55 / (digits * 0.62)).toFixed(2)}rem`;
}

export function mountConvArithmetic(root: HTMLElement): void {
  const badge = q(root, '[data-badge]');
  const runner = new TwiceRunner(root, badge);
  const inputs = new Map<string, HTMLInputElement>();
  for (const el of root.querySelectorAll<HTMLInputElement>('input[data-field]'))
    inputs.set(el.dataset.field!, el);
  const padMode = q<HTMLSelectElement>(root, '[data-pad-mode]');
  const modeRadios = [...root.querySelectorAll<HTMLInputElement>('input[name$="-mode"]')];
  const message = q(root, '[data-message]');
  const note = q(root, '[data-note]');
  const inGrid = q(root, '[data-grid="in"]');
  const outGrid = q(root, '[data-grid="out"]');
  const inCaption = q(root, '[data-caption="in"]');
  const outCaption = q(root, '[data-caption="out"]');
  const formulaH = q(root, '[data-formula="h"]');
  const formulaW = q(root, '[data-formula="w"]');

  let current: Ok | null = null;
  let inMap: Heatmap | null = null;
  let outMap: Heatmap | null = null;
  let ortTimer: ReturnType<typeof setTimeout> | null = null;

  const player = new Player(
    {
      stage: q(root, '[data-stage]'),
      play: q(root, '[data-play]'),
      prev: q(root, '[data-prev]'),
      next: q(root, '[data-next]'),
      scrub: q(root, '[data-scrub]'),
      position: q(root, '[data-position]'),
      live: q(root, '[data-live]'),
    },
    {
      count: () => (current ? stepCount(current) : 1),
      show: (step) => highlight(step),
      describe: (step) => (current ? announce(current, step) : ''),
    },
  );

  function fill(s: ArithSettings): void {
    const set = (f: string, v: number) => {
      const el = inputs.get(f);
      if (el) el.value = String(v);
    };
    set('h', s.h);
    set('w', s.w);
    set('k', s.k);
    set('sh', s.sh);
    set('sw', s.sw);
    set('d', s.d);
    set('pad', s.pad);
    ['top', 'left', 'bottom', 'right'].forEach((side, i) => set(`pads-${side}`, s.pads[i]));
    padMode.value = s.padMode;
    for (const r of modeRadios) r.checked = r.value === s.mode;
    showPadFields(s.padMode);
  }

  function showPadFields(mode: PadMode): void {
    q(root, '[data-pad-sym]').hidden = mode !== 'symmetric';
    q(root, '[data-pad-asym]').hidden = mode !== 'asymmetric';
  }

  function setFieldError(field: Field, text: string | null): void {
    const slot = q(root, `[data-error-for="${field}"]`);
    slot.textContent = text ?? '';
    const els =
      field === 'pads'
        ? [...inputs.entries()].filter(([k]) => k.startsWith('pads-')).map(([, v]) => v)
        : [inputs.get(field)!];
    for (const el of els) {
      if (text) el.setAttribute('aria-invalid', 'true');
      else el.removeAttribute('aria-invalid');
    }
  }

  /** Reads the controls; returns settings, or null after showing what is wrong. */
  function read(): ArithSettings | null {
    for (const f of FIELDS) setFieldError(f, null);
    const mode = (modeRadios.find((r) => r.checked)?.value ?? 'conv') as Mode;
    const pm = padMode.value as PadMode;
    const values: Record<string, number> = {};
    let bad = false;
    for (const [key, el] of inputs) {
      const field = (key.startsWith('pads-') ? 'pads' : key) as Field;
      if (field === 'pad' && pm !== 'symmetric') continue;
      if (field === 'pads' && pm !== 'asymmetric') continue;
      const v = parseInteger(field, el.value);
      if (typeof v === 'string') {
        setFieldError(field, v);
        bad = true;
      } else values[key] = v;
    }
    if (bad) return null;
    return {
      mode,
      h: values.h,
      w: values.w,
      k: values.k,
      sh: values.sh,
      sw: values.sw,
      d: values.d,
      padMode: pm,
      pad: values.pad ?? current?.settings.pad ?? 0,
      pads: [
        values['pads-top'] ?? 0,
        values['pads-left'] ?? 0,
        values['pads-bottom'] ?? 0,
        values['pads-right'] ?? 0,
      ],
    };
  }

  function update(): void {
    showPadFields(padMode.value as PadMode);
    const s = read();
    if (!s) {
      showStale('Fix the highlighted field; the last valid picture stays below.');
      return;
    }
    const r = computeArith(s);
    if (!r.ok) {
      if (r.field === 'form') showStale(r.message);
      else {
        setFieldError(r.field, r.message);
        showStale(
          'This combination is not valid (see the message by the control); the last valid picture stays below.',
        );
      }
      return;
    }
    message.textContent = '';
    root.dataset.valid = 'true';
    render(r, 0);
    writeParams(NAMESPACE, toParams(r.settings, player.step));
  }

  function showStale(text: string): void {
    root.dataset.valid = 'false';
    message.textContent = text;
  }

  function render(r: Ok, step: number): void {
    current = r;
    const { g, settings: s } = r;
    root.dataset.mode = s.mode;
    root.dataset.outH = String(s.mode === 'conv' ? g.outHeight : g.inHeight);
    root.dataset.outW = String(s.mode === 'conv' ? g.outWidth : g.inWidth);
    root.dataset.pads = g.pads.join(',');
    const padded = [g.inHeight + g.pads[0] + g.pads[2], g.inWidth + g.pads[1] + g.pads[3]];
    const pad = paddingCells(g);
    if (s.mode === 'conv') {
      const inValues = padValues(g, r.x.data);
      inMap = new Heatmap({
        rows: padded[0],
        cols: padded[1],
        scale: { kind: 'diverging', maxAbs: maxAbs(inValues) },
        decimals: 0,
        cell: '1.9rem',
        label: `Input ${g.inHeight}×${g.inWidth}, cells numbered 1 to ${g.inHeight * g.inWidth}, padded to ${padded[0]}×${padded[1]}`,
      });
      inMap.update(inValues);
      hatch(inMap, pad, '0');
      fitText(inMap, inValues);
      outMap = new Heatmap({
        rows: g.outHeight,
        cols: g.outWidth,
        scale: { kind: 'diverging', maxAbs: maxAbs(r.y.data) },
        decimals: 0,
        cell: '1.9rem',
        label: `Output ${g.outHeight}×${g.outWidth}: each cell is the sum of the input numbers under the kernel`,
      });
      outMap.update(r.y.data);
      fitText(outMap, r.y.data);
      inCaption.textContent = `Input ${g.inHeight}×${g.inWidth}, padding [${g.pads.join(', ')}] hatched → ${padded[0]}×${padded[1]}`;
      outCaption.textContent = `Output ${g.outHeight}×${g.outWidth}`;
    } else {
      inMap = new Heatmap({
        rows: g.outHeight,
        cols: g.outWidth,
        scale: { kind: 'diverging', maxAbs: maxAbs(r.x.data) },
        decimals: 0,
        cell: '1.9rem',
        label: `Input ${g.outHeight}×${g.outWidth}, cells numbered 1 to ${g.outHeight * g.outWidth}`,
      });
      inMap.update(r.x.data);
      fitText(inMap, r.x.data);
      const outValues = padValues(g, r.y.data);
      outMap = new Heatmap({
        rows: padded[0],
        cols: padded[1],
        scale: { kind: 'diverging', maxAbs: maxAbs(outValues) },
        decimals: 0,
        cell: '1.9rem',
        label: `Output ${g.inHeight}×${g.inWidth}${pad.length ? `, drawn inside the ${padded[0]}×${padded[1]} grid before the padding crops it` : ''}`,
      });
      outMap.update(outValues);
      hatch(outMap, pad, '');
      fitText(outMap, outValues);
      inCaption.textContent = `Input ${g.outHeight}×${g.outWidth}`;
      outCaption.textContent = pad.length
        ? `Output ${g.inHeight}×${g.inWidth} (hatched: ${padded[0]}×${padded[1]} border cropped by pads [${g.pads.join(', ')}])`
        : `Output ${g.inHeight}×${g.inWidth}`;
    }
    inGrid.replaceChildren(inMap.el);
    outGrid.replaceChildren(outMap.el);
    const opts = { displayMode: true, throwOnError: false, output: 'htmlAndMathml' as const };
    formulaH.innerHTML = katex.renderToString(formulaTex(r, 'h'), opts);
    formulaW.innerHTML = katex.renderToString(formulaTex(r, 'w'), opts);
    player.reset(step);
    scheduleOrt(r);
  }

  function highlight(step: number): void {
    if (!current || !inMap || !outMap) return;
    const { g, settings: s } = current;
    const { row, col } = stepCell(g, step);
    const window = footprint(g, row, col);
    const cell = row * g.outWidth + col;
    root.dataset.step = String(step);
    if (s.mode === 'conv') {
      inMap.highlight('is-window', window);
      outMap.highlight('is-current', [cell]);
      root.dataset.current = String(current.y.data[cell]);
    } else {
      inMap.highlight('is-current', [cell]);
      outMap.highlight('is-window', window);
      root.dataset.current = String(current.x.data[cell]);
    }
    if (root.dataset.valid !== 'false') writeParams(NAMESPACE, toParams(s, step));
  }

  function scheduleOrt(r: Ok): void {
    if (ortTimer) clearTimeout(ortTimer);
    root.dataset.agree = 'pending';
    ortTimer = setTimeout(() => {
      void runner.run({
        key: arithModelKey(r),
        model: () => arithModel(r),
        feeds: {
          x: float32(r.x.shape, r.x.data),
          kernel: float32(r.kernel.shape, r.kernel.data),
        },
        expected: { y: r.y.data },
      });
    }, 120);
  }

  // Start from the URL (or the defaults, saying what was ignored).
  const restored = fromParams(readParams(NAMESPACE));
  if (restored.ignored.length > 0) {
    note.hidden = false;
    note.textContent = `Some settings in the link could not be used and were replaced by defaults: ${restored.ignored.join('; ')}.`;
  }
  fill(restored.settings);
  const first = computeArith(restored.settings);
  if (first.ok) render(first, restored.step);

  root.querySelector('[data-controls]')!.addEventListener('input', update);
  root.querySelector('[data-controls]')!.addEventListener('change', update);
}
