/**
 * backprop, declared on the widget kernel: the settings come from the link (fields.ts), every
 * change goes through `reduceBackprop`, the reference result is recomputed only when the digit,
 * seed or learning rate change, and ORT checks it (compute.ts). Here: finding the controls,
 * wiring them to `dispatch` once, and the panels (panels/*.ts) that draw the state.
 */
import type { WidgetSpec } from '../shared/define';
import { embedded } from '../shared/dom';
import { num } from '../shared/format';
import { stepperParts, wireStepper } from '../shared/stepper';
import { TwiceRunner } from '../shared/twice';
import { onCellPick } from '../shared/grid-nav';
import { readParams } from '../shared/url-state';
import { prefersReducedMotion } from '../shared/visible';
import { argMaxAbs, describeStep, plane, POOLED, STEP_COUNT } from './backward';
import { sameWeight, weightLabel } from './check';
import { backpropCompute } from './compute';
import type { BackpropResult } from './compute';
import { checkPanel, BOX_NAMES, pickerOf, pickerPanel } from './panels/check';
import { controlsPanel } from './panels/controls';
import { convPanel } from './panels/conv';
import { forwardPanel } from './panels/forward';
import { makeGrids } from './panels/grids';
import { densePanel, poolPanel, reluPanel } from './panels/maps';
import { sgdPanel } from './panels/sgd';
import { stepsPanel } from './panels/steps';
import {
  backpropParams,
  computeKey,
  FIELDS,
  initialState,
  parseBackpropParams,
  reduceBackprop,
  UNIT_FIELD,
} from './state';
import type { BackpropAction, BackpropState, Digit } from './state';

/** The sentence for the live region after a change the reader made. */
function announce(
  prev: BackpropState | undefined,
  s: BackpropState,
  r: BackpropResult,
): string | undefined {
  if (!prev) return undefined;
  if (prev.step !== s.step) return describeStep(s.step, r.pass, s.channel);
  if (prev.digit !== s.digit) return `Digit ${r.digit.label}: loss ${num(r.pass.loss, 3)}.`;
  if (prev.lr !== s.lr)
    return `Learning rate ${s.lr}: loss ${num(r.sgd.before, 3)} → ${num(r.sgd.after, 3)}.`;
  if (!sameWeight(prev.weight, s.weight)) return `Checking ${weightLabel(s.weight)}.`;
  if (prev.channel !== s.channel) return describeStep(s.step, r.pass, s.channel);
  return undefined;
}

export const backpropWidget: WidgetSpec<BackpropState, BackpropAction, BackpropResult> = {
  name: 'backprop',
  ns: 'bp',
  failure: { where: '[data-badge="main"]' },
  announceMs: 900,
  init(root) {
    const digits = embedded<Digit[]>(root, 'digits');
    const others = embedded<Digit[]>(root, 'others');
    const { notes, ...link } = parseBackpropParams(readParams('bp'));
    return { state: initialState(digits, others, link), notes };
  },
  reduce: reduceBackprop,
  compute: backpropCompute,
  checked: (s, result) => ({ kind: 'ort', key: computeKey(s), result }),
  params: backpropParams,
  announce,
  view({ root, $, dispatch, state, say }) {
    const grids = makeGrids($);
    // The last result drawn: what the kind select's "sensible dense weight" is picked from.
    const drawn: { result?: BackpropResult } = {};

    for (const field of [FIELDS.digit, FIELDS.channel] as const) {
      const el = $<HTMLSelectElement>(`select[name="${field.key}"]`);
      const name = field === FIELDS.digit ? 'digit' : 'channel';
      el.addEventListener('change', () => dispatch({ kind: 'edit', field: name, raw: el.value }));
    }
    for (const name of ['seed', 'lr'] as const) {
      const input = $<HTMLInputElement>(`input[name="${FIELDS[name].key}"]`);
      input.value = FIELDS[name].format(state()[name]);
      input.addEventListener('input', () =>
        dispatch({ kind: 'edit', field: name, raw: input.value }),
      );
    }
    const lr = $<HTMLInputElement>(`input[name="${FIELDS.lr.key}"]`);
    for (const b of root.querySelectorAll<HTMLButtonElement>('[data-lr]'))
      b.addEventListener('click', () => {
        lr.value = b.dataset.lr!;
        dispatch({ kind: 'edit', field: 'lr', raw: lr.value });
      });
    const unit = $<HTMLSelectElement>(`select[name="${UNIT_FIELD.key}"]`);
    unit.addEventListener('change', () => dispatch({ kind: 'unit', raw: unit.value }));

    const picker = pickerOf($);
    picker.kind.addEventListener('change', () => {
      // A dense weight that reads the strongest input of the channel shown (its gradient is not 0).
      const s = state();
      const pooled = drawn.result ? plane(drawn.result.pass.pooled, s.channel) : [];
      const feature = s.channel * POOLED * POOLED + argMaxAbs(pooled);
      const label = s.digits[s.digit].label;
      dispatch({
        kind: 'weight-kind',
        to: picker.kind.value === 'dense' ? 'dense' : 'kernel',
        dense: { kind: 'dense', unit: label, feature },
      });
    });
    const boxes = () => {
      const { a, b, c } = picker.boxes;
      dispatch({ kind: 'weight-boxes', as: picker.kind.value, a: a.value, b: b.value, c: c.value });
    };
    for (const b of BOX_NAMES) picker.boxes[b].addEventListener('input', boxes);
    onCellPick(grids.maps['conv-dk'].el, (index) =>
      dispatch({ kind: 'pick', grid: 'kernel', index }),
    );
    onCellPick(grids.maps['dense-dw'].el, (index) =>
      dispatch({ kind: 'pick', grid: 'dense', index }),
    );
    onCellPick(grids.maps['conv-dx'].el, (index) => dispatch({ kind: 'pixel', index }));

    wireStepper(
      { ...stepperParts(root), cells: [$('.bp-path')] },
      {
        count: () => STEP_COUNT,
        step: () => state().step,
        show: (step) => dispatch({ kind: 'step', step }),
        finished: () => say('Finished: the gradient has reached the image.'),
        delayMs: () => (prefersReducedMotion() ? 4000 : 2500),
      },
    );

    const parts = { root, $, grids };
    const sgdRunner = new TwiceRunner($('[data-part="sgd"]'), $('[data-badge="sgd"]'));
    return [
      (_s: BackpropState, r: BackpropResult) => void (drawn.result = r),
      controlsPanel($),
      stepsPanel(parts),
      forwardPanel(parts),
      densePanel(parts),
      poolPanel(parts),
      reluPanel(parts),
      convPanel(parts),
      pickerPanel($, picker),
      checkPanel(parts),
      sgdPanel(parts, sgdRunner, dispatch),
    ];
  },
};
