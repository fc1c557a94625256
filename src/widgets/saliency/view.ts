/**
 * saliency, declared on the widget kernel: the network comes from the page's lab (net.ts); the
 * reference engine computes the three views in a worker (reference.ts), so the page never
 * freezes; each view is checked on
 * onnxruntime-web with its own badge (panels/checks.ts), and the root's badge merges the three.
 */
import { stateOnly } from '../shared/define';
import type { WidgetSpec } from '../shared/define';
import { embedded } from '../shared/dom';
import { navigate } from '../shared/grid-nav';
import { getSharedLab } from '../shared/lab';
import { wireLoadNet } from '../shared/load-net';
import { readParams } from '../shared/url-state';
import { SIDE } from './analysis';
import type { Digit } from './analysis';
import { findNetwork, trainQuick } from './net';
import { checksPanel } from './panels/checks';
import { controlsPanel, netPanel } from './panels/controls';
import { filtersPanel, saliencyPanel } from './panels/maps';
import { occlusionPanel } from './panels/occlusion';
import { explain, firstLayer } from './reference';
import {
  explained,
  initialState,
  parseSaliencyParams,
  reduceSaliency,
  saliencyParams,
  VIEWS,
} from './state';
import type { SalAction, SalResult, SalState } from './state';

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

export const saliencyWidget: WidgetSpec<SalState, SalAction, SalResult | undefined> = {
  name: 'saliency',
  ns: 'sal',
  failure: { where: '[data-badge="all"]' },
  announceMs: 900,
  init(root) {
    const digits = decodeDigits(embedded(root, 'test-digits'));
    const { notes, ...settings } = parseSaliencyParams(readParams('sal'), digits.length);
    return { state: initialState(digits, settings), notes };
  },
  reduce: reduceSaliency,
  compute: {
    key: (s) =>
      s.net.kind === 'ready'
        ? `${s.net.net.id}/${s.settings.digit}/${explained(s)}`
        : `none/${s.net.kind}`,
    // In the reference worker: a backward pass and the first layer over every test digit take
    // far longer than a frame.
    async run(s) {
      if (s.net.kind !== 'ready') return undefined;
      const { net } = s.net;
      const cls = explained(s);
      const [r, first] = await Promise.all([
        explain(net, s.digits[s.settings.digit]!.pixels, cls),
        firstLayer(net, s.digits),
      ]);
      return { net, cls, ...r, first };
    },
  },
  params: (s) => (s.net.kind === 'ready' ? saliencyParams(s.settings, s.digits.length) : {}),
  status(s) {
    if (s.net.kind === 'none') return 'empty';
    if (s.net.kind !== 'ready') return 'loading';
    const checks = VIEWS.map((v) => s.checks[v]);
    if (checks.some((c) => c?.check === null)) return 'error';
    return checks.every((c) => c?.check) ? 'done' : 'loading';
  },
  announce(prev, s, r) {
    if (s.net !== prev?.net) {
      if (s.net.kind === 'ready') return `Using ${s.net.net.from}.`;
      if (s.net.kind !== 'looking') return s.net.text;
    }
    if (
      r &&
      prev &&
      (prev.settings.digit !== s.settings.digit || prev.settings.cls !== s.settings.cls)
    )
      return `Test digit ${s.settings.digit}: explaining class ${r.cls}.`;
    return undefined;
  },
  view(ctx) {
    const { $, dispatch, state } = ctx;
    void findNetwork().then((net) => dispatch({ kind: 'net', net }));
    void getSharedLab().then((lab) =>
      wireLoadNet(
        ctx.root,
        lab,
        () => void findNetwork().then((net) => dispatch({ kind: 'net', net })),
      ),
    );
    $('[data-train]').addEventListener('click', () => {
      void trainQuick((net) => dispatch({ kind: 'net', net }));
    });

    const digitInput = $<HTMLInputElement>('input[name="digit"]');
    digitInput.addEventListener('input', () => dispatch({ kind: 'edit', raw: digitInput.value }));
    const step = (to: number | 'toggle' | null, e: KeyboardEvent) => {
      if (typeof to !== 'number') return;
      e.preventDefault();
      dispatch({ kind: 'digit', to });
    };
    // The one model: ↓ next, ↑ previous in the box (←/→ move its caret); on the buttons also
    // ←/→ and Home/End.
    digitInput.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
      step(navigate(e.key, state().settings.digit, state().digits.length), e);
    });
    const buttons = $('[data-digit-steps]');
    buttons.addEventListener('keydown', (e) => {
      if (e.key === ' ' || e.key === 'Enter') return;
      step(navigate(e.key, state().settings.digit, state().digits.length), e);
    });
    for (const b of buttons.querySelectorAll<HTMLButtonElement>('[data-digit]'))
      b.addEventListener('click', () =>
        dispatch({
          kind: 'digit',
          to: state().settings.digit + (b.dataset.digit === 'next' ? 1 : -1),
        }),
      );
    const classSelect = $<HTMLSelectElement>('select[name="class"]');
    classSelect.addEventListener('change', () =>
      dispatch({ kind: 'class', raw: classSelect.value }),
    );
    const patch = $<HTMLInputElement>('input[name="patch"]');
    const stride = $<HTMLInputElement>('input[name="stride"]');
    const occlusion = () =>
      dispatch({ kind: 'occlusion', size: patch.value, stride: stride.value });
    patch.addEventListener('input', occlusion);
    stride.addEventListener('input', occlusion);

    return [
      stateOnly<SalState, SalResult | undefined>(netPanel(ctx)),
      stateOnly<SalState, SalResult | undefined>(controlsPanel(ctx)),
      saliencyPanel(ctx),
      occlusionPanel(ctx),
      filtersPanel(ctx),
      checksPanel(ctx),
    ];
  },
};
