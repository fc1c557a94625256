/**
 * The whole network at a glance, declared on the widget kernel: the reference engine's forward
 * pass (every activation) comes from a worker (reference.ts), onnxruntime-web computes the same
 * pass from src/onnx's forward graph (model.ts) and the badge says how closely they agree. The
 * network is the home page's trained one or the reader's own from the training lab (net.ts).
 */
import { stateOnly } from '../shared/define';
import type { WidgetSpec } from '../shared/define';
import { embedded } from '../shared/dom';
import { checkRequest } from './model';
import { followLab, homeNet } from './net';
import type { HomeAsset } from './net';
import { inputsPanel } from './panels/inputs';
import { overviewPanel } from './panels/overview';
import { stepperPanel } from './panels/stepper';
import { forwardPass } from './reference';
import type { Pass } from './reference';
import { initialState, inputKey, pixelsOf, placeText, reduce } from './state';
import type { Digit, NvAction, NvState } from './state';

export const networkViewWidget: WidgetSpec<NvState, NvAction, Pass | undefined> = {
  name: 'network-view',
  announceMs: 600,
  init(root) {
    const digits = embedded<Digit[]>(root, 'digits');
    const net =
      root.dataset.net === 'home' ? homeNet(embedded<HomeAsset>(root, 'home-net')) : undefined;
    return { state: initialState(digits, net) };
  },
  reduce,
  compute: {
    key: inputKey,
    run: (s) => (s.net.kind === 'ready' ? forwardPass(s.net.net, pixelsOf(s)) : undefined),
    check: (_s, r) => (r ? checkRequest(r) : undefined),
  },
  status: (s) => (s.net.kind === 'none' ? 'empty' : s.net.kind === 'looking' ? 'loading' : 'done'),
  announce(prev, s, r) {
    if (s.open && (prev?.open?.cell !== s.open.cell || prev.open.map !== s.open.map))
      return `Stepper on ${placeText(s)}.`;
    if (r && prev && prev.input !== s.input) {
      const top = r.probabilities.indexOf(Math.max(...r.probabilities));
      return `The network reads a ${top} (${(r.probabilities[top]! * 100).toFixed(0)}%).`;
    }
    if (s.net !== prev?.net && s.net.kind === 'none') return s.net.text;
    return undefined;
  },
  view(ctx) {
    const { root, $, dispatch } = ctx;
    const status = $('[data-status]');
    const badge = $('[data-badge]');
    if (root.dataset.net === 'lab') void followLab((net) => dispatch({ kind: 'net', net }));
    const statusPanel = (s: NvState) => {
      if (s.net.kind === 'ready') root.dataset.netId = String(s.net.net.id);
      else if (s.net.kind === 'none') badge.textContent = 'No network yet, so nothing to check.';
      status.textContent =
        s.net.kind === 'ready'
          ? `Showing ${s.net.net.about}.`
          : s.net.kind === 'none'
            ? s.net.text
            : status.textContent;
    };
    return [
      stateOnly<NvState, Pass | undefined>(statusPanel),
      stateOnly<NvState, Pass | undefined>(inputsPanel(ctx)),
      overviewPanel(ctx),
      stepperPanel(ctx),
    ];
  },
};
