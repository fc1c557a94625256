/**
 * conv-stepper (lesson 2), declared on the widget kernel: the link and the embedded digits make
 * the first state (state.ts), the reference engine computes both feature maps once per kernel,
 * bias and image (the step only moves through them), onnxruntime-web checks both through one
 * ONNX Conv graph, and the panels draw the editor, the input choice, the grids and the stepper.
 */
import { float32 } from '../../runtime/client';
import type { WidgetSpec } from '../shared/define';
import { embedded } from '../shared/dom';
import { maxAbs } from '../shared/palette';
import { readParams } from '../shared/url-state';
import { prefersReducedMotion } from '../shared/visible';
import { modelKey, stepperModel } from './model';
import { editorView } from './panels/editor';
import { mapsView } from './panels/maps';
import type { ConvResult } from './panels/maps';
import { sourceView } from './panels/source';
import { stepperView } from './panels/stepper';
import {
  announcement,
  cellTrace,
  computeKey,
  downsample2,
  featureMap,
  FULL,
  initState,
  parseUrlState,
  reduce,
  sideOf,
  slid,
  SMALL,
  speaks,
  stateParams,
} from './state';
import type { ConvAction, ConvState, Sample } from './state';

export const convStepper: WidgetSpec<ConvState, ConvAction, ConvResult> = {
  name: 'conv-stepper',
  ns: 'conv',
  frame: true,
  failure: { prefix: 'The stepper could not start: ' },
  init(root) {
    const samples = embedded<Sample[]>(root, 'samples');
    const url = parseUrlState(readParams('conv'), samples.length);
    if (prefersReducedMotion()) root.dataset.reducedMotion = 'true';
    return { state: initState(samples, url), notes: url.notes };
  },
  reduce,
  compute: {
    key: computeKey,
    run(s) {
      const k = slid(s);
      const small = downsample2(s.image);
      const fullMap = featureMap(s.image, FULL, k, s.bias);
      const smallMap = featureMap(small, SMALL, k, s.bias);
      const scale = {
        kind: 'diverging' as const,
        maxAbs: Math.max(maxAbs(fullMap), maxAbs(smallMap), 1e-6),
      };
      return { k, small, fullMap, smallMap, scale };
    },
    check(s, r) {
      const size = sideOf(r.k);
      return {
        key: modelKey(size),
        model: () => stepperModel(size),
        feeds: {
          x: float32([1, 1, FULL, FULL], Float32Array.from(s.image)),
          xSmall: float32([1, 1, SMALL, SMALL], Float32Array.from(r.small)),
          kernel: float32([1, 1, size, size], Float32Array.from(r.k)),
          bias: float32([1], Float32Array.of(s.bias)),
        },
        expected: { featureMap: r.fullMap, stepperMap: r.smallMap },
      };
    },
  },
  view(ctx) {
    const { grids, panels } = mapsView(ctx);
    return [editorView(ctx), sourceView(ctx), ...panels, ...stepperView(ctx, grids)];
  },
  params: stateParams,
  announce: (prev, s, r) =>
    speaks(prev, s) ? announcement(s.step, cellTrace(r.small, r.k, s.bias, s.step)) : undefined,
};
